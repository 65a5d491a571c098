import type { ChatDB } from '../../store/schema.js';
import type { MessageRecord } from '../../store/records.js';

/** How long a message jumped to stays highlighted (ms). */
export const HIGHLIGHT_MS = 2000;

/**
 * The message of this conversation a reply names: by its local id when the store linked
 * it, else by the wire id (origin-id, the sender's id attribute, or the archive's stanza-id).
 */
export async function findOriginal(db: ChatDB, conversationId: string, target: { id?: string; ref: string }): Promise<MessageRecord | undefined> {
  for (const id of [target.id, target.ref]) {
    if (!id) continue;
    const m = await db.messages.get(id);
    if (m && m.conversationId === conversationId) return m;
  }
  const key = [conversationId, target.ref];
  for (const index of ['[conversationId+originId]', '[conversationId+remoteId]', '[conversationId+stanzaId]']) {
    const m = await db.messages.where(index).equals(key).first();
    if (m) return m;
  }
  return undefined;
}
