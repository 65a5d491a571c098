import type { ChatDB } from './schema.js';
import type { ConversationRecord, ConversationType, LeftReason } from './records.js';

/** Longest draft kept; longer text is cut (a draft is not a document store). */
export const MAX_DRAFT_CHARS = 32 * 1024;

export type ConversationFlags = Partial<Pick<ConversationRecord, 'muted' | 'hidden' | 'draft' | 'pin'>>;

/**
 * Sets list flags of a conversation, creating it (as `type`) when it does not exist
 * yet, so a draft typed into a brand-new chat is kept too.
 */
export async function setConversationFlags(
  db: ChatDB,
  id: string,
  flags: ConversationFlags,
  type: ConversationType = 'chat',
): Promise<void> {
  await db.transaction('rw', db.conversations, async () => {
    const conv: ConversationRecord = (await db.conversations.get(id)) ?? { id, type, lastAt: Date.now(), unread: 0, pin: 0 };
    const next: ConversationRecord = { ...conv, ...flags, pin: flags.pin ?? conv.pin ?? 0 };
    // Absent, not false or empty: the record stays as small as it was.
    if (!next.muted) delete next.muted;
    if (!next.hidden) delete next.hidden;
    if (!next.draft) delete next.draft;
    await db.conversations.put(next);
  });
}

/** A group the user is no longer in: kept (its history stays readable) and marked. */
export async function markConversationLeft(db: ChatDB, id: string, reason: LeftReason): Promise<boolean> {
  return db.transaction('rw', db.conversations, async () => {
    const conv = await db.conversations.get(id);
    if (!conv || (conv.left && conv.leftReason === reason)) return false;
    await db.conversations.update(id, { left: true, leftReason: reason, invitePending: false });
    return true;
  });
}

/** Removes a conversation and its messages from this device (e.g. a declined invitation). */
export async function deleteConversation(db: ChatDB, id: string): Promise<void> {
  await db.transaction('rw', db.conversations, db.messages, async () => {
    await db.messages
      .where('[conversationId+ts+seq]')
      .between([id, -Infinity, -Infinity], [id, Infinity, Infinity])
      .delete();
    await db.conversations.delete(id);
  });
}
