import type { ChatDB } from './schema.js';
import type { ConversationRecord, MessageRecord, OpRecord } from './records.js';
import { messagePreview } from './messages.js';
import { nextSeq } from './seq.js';
import { withReactions } from './changes.js';

/**
 * The user's own rich messages and changes, written the way sending is: to the store
 * first. A new message with a reply, location, custom payload (or attachment) enters the
 * message outbox whole; an edit, recall or reaction is applied to the message at once and
 * queued in `ops` (drained by protocol/ops.ts) in one transaction, so what the user sees
 * and what will be sent cannot disagree.
 */

/** Whether an own message has certainly not left this device (never handed to the socket). */
export function neverSent(m: MessageRecord): boolean {
  return m.own && ((m.state === 'pending' && !m.attempts) || m.state === 'failed');
}

/**
 * Corrects an own message's text. Unsent: the queued text just changes. Otherwise the
 * record shows the new text as `edited` and a correction is queued. Mentions are
 * dropped (their offsets were for the old text). Returns whether a correction was queued.
 */
export async function editOwnMessage(db: ChatDB, messageId: string, body: string, now = Date.now()): Promise<boolean> {
  return db.transaction('rw', db.messages, db.conversations, db.ops, async () => {
    const m = await db.messages.get(messageId);
    if (!m || !m.own || m.retracted) return false;
    const next: MessageRecord = { ...m, body };
    delete next.mentions;
    delete next.mentioned;
    const queue = !neverSent(m);
    if (queue) next.edited = now;
    await db.messages.put(next);
    await refreshPreview(db, next);
    if (queue) await db.ops.add(op(m, 'correct', { body }));
    return queue;
  });
}

/**
 * Recalls an own message. Unsent: it is deleted (nothing goes out). Otherwise it is
 * marked `retracted` with its content wiped, stops being resent, and a retraction is
 * queued (corrections of it still waiting are dropped). Returns whether one was queued.
 */
export async function recallOwnMessage(db: ChatDB, messageId: string): Promise<boolean> {
  return db.transaction('rw', db.messages, db.conversations, db.ops, db.files, async () => {
    const m = await db.messages.get(messageId);
    if (!m || !m.own || m.retracted) return false;
    await db.ops.filter((o) => o.messageId === messageId && o.op !== 'retract').delete();
    if (neverSent(m)) {
      await db.messages.delete(messageId);
      await db.files.delete(messageId);
      await dropFromPreview(db, m);
      return false;
    }
    const next: MessageRecord = { ...m, body: '', retracted: true };
    for (const key of ['attachment', 'upload', 'location', 'custom', 'reply', 'mentions', 'mentioned', 'edited', 'reactions', 'error'] as const) delete next[key];
    // Handed to the socket but unacknowledged: it may have arrived, so it is recalled rather than sent again.
    if (next.state === 'pending') next.state = 'sent';
    await db.messages.put(next);
    await db.files.delete(messageId);
    await refreshPreview(db, next);
    await db.ops.add(op(m, 'retract', {}));
    return true;
  });
}

/**
 * Sets the user's reactions on a message to `emojis` (XEP-0444 sends the whole set) and
 * queues it; an earlier queued set for the same message is superseded.
 */
export async function setOwnReactions(db: ChatDB, messageId: string, userId: string, emojis: readonly string[]): Promise<void> {
  await db.transaction('rw', db.messages, db.ops, async () => {
    const m = await db.messages.get(messageId);
    if (!m || m.retracted || m.kind === 'system') return;
    await db.messages.put(withReactions(m, userId, emojis, Date.now()));
    await db.ops.filter((o) => o.messageId === messageId && o.op === 'react').delete();
    await db.ops.add(op(m, 'react', { emojis: [...emojis] }));
  });
}

/** The user's own emojis on a message, in the order stored. */
export function ownReactions(m: MessageRecord, userId: string): string[] {
  return Object.entries(m.reactions ?? {})
    .filter(([, users]) => users.includes(userId))
    .map(([emoji]) => emoji);
}

/** Queued changes in send order. */
export function queuedOps(db: ChatDB): Promise<OpRecord[]> {
  return db.ops.orderBy('seq').toArray();
}

export async function updateOp(db: ChatDB, id: string, patch: Partial<Pick<OpRecord, 'attempts'>>): Promise<void> {
  await db.ops.update(id, patch);
}

export async function deleteOp(db: ChatDB, id: string): Promise<void> {
  await db.ops.delete(id);
}

function op(m: MessageRecord, kind: OpRecord['op'], fields: Pick<OpRecord, 'body' | 'emojis'>): OpRecord {
  return { id: crypto.randomUUID(), seq: nextSeq(), conversationId: m.conversationId, messageId: m.id, op: kind, attempts: 0, ...fields };
}

/** The list's preview of `m` when it is the conversation's newest message. */
async function refreshPreview(db: ChatDB, m: MessageRecord): Promise<void> {
  const conv = await db.conversations.get(m.conversationId);
  if (!conv || conv.last?.id !== m.id) return;
  await db.conversations.put({ ...conv, last: messagePreview(m) });
}

/** A deleted newest message leaves the list showing the one before it. */
async function dropFromPreview(db: ChatDB, m: MessageRecord): Promise<void> {
  const conv = await db.conversations.get(m.conversationId);
  if (!conv || conv.last?.id !== m.id) return;
  const prev = await db.messages
    .where('[conversationId+ts+seq]')
    .between([m.conversationId, -Infinity, -Infinity], [m.conversationId, Infinity, Infinity])
    .last();
  const next: ConversationRecord = { ...conv };
  if (prev) next.last = messagePreview(prev);
  else delete next.last;
  await db.conversations.put(next);
}

