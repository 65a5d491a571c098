import type { ChatDB } from './schema.js';
import type { ContactRecord, ConversationRecord, MessageRecord, ProfileRecord } from './records.js';

// ts and seq are always numbers, so ±Infinity bound every key of a range (and, unlike
// Dexie.maxKey, are valid keys for every IndexedDB implementation, fake-indexeddb included).

/** Conversations for the list: pinned first, then newest first (one index walk, no table scan). */
export function recentConversations(db: ChatDB, limit = 1000): Promise<ConversationRecord[]> {
  return db.conversations
    .orderBy('[pin+lastAt]')
    .reverse()
    .filter((c) => !c.hidden)
    .limit(limit)
    .toArray();
}

export function conversation(db: ChatDB, id: string): Promise<ConversationRecord | undefined> {
  return db.conversations.get(id);
}

/** The newest `limit` messages of a conversation, oldest first. */
export async function latestMessages(db: ChatDB, conversationId: string, limit: number): Promise<MessageRecord[]> {
  const rows = await db.messages
    .where('[conversationId+ts+seq]')
    .between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity])
    .reverse()
    .limit(limit)
    .toArray();
  return rows.reverse();
}

export function countMessages(db: ChatDB, conversationId: string): Promise<number> {
  return db.messages
    .where('[conversationId+ts+seq]')
    .between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity])
    .count();
}

/** Own messages waiting to go out, in send order. */
export function pendingMessages(db: ChatDB): Promise<MessageRecord[]> {
  return db.messages.where('[state+seq]').between(['pending', -Infinity], ['pending', Infinity]).toArray();
}

export function allContacts(db: ChatDB): Promise<ContactRecord[]> {
  return db.contacts.toArray();
}

export async function profilesById(db: ChatDB, ids: readonly string[]): Promise<Map<string, ProfileRecord>> {
  const unique = [...new Set(ids)];
  const rows = await db.profiles.bulkGet(unique);
  const map = new Map<string, ProfileRecord>();
  rows.forEach((row) => row && map.set(row.id, row));
  return map;
}

export async function getMeta<T>(db: ChatDB, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: ChatDB, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
