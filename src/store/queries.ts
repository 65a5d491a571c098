import type { ChatDB } from './schema.js';
import type { ContactRecord, ConversationRecord, MemberRecord, MessageRecord, ProfileRecord } from './records.js';
import { blockedIds, isBlockedId } from './contacts.js';

// ts and seq are always numbers, so ±Infinity bound every key of a range (and, unlike
// Dexie.maxKey, are valid keys for every IndexedDB implementation, fake-indexeddb included).

/** Conversations for the list: pinned first, then newest first (one index walk, no table scan). */
export async function recentConversations(db: ChatDB, limit = 1000): Promise<ConversationRecord[]> {
  // One forward getAll over the index, reversed here: a reverse or filtered walk would step a
  // cursor record by record, several times slower for a long list (measured: ~200 ms for 1,000).
  const [all, blocked] = await Promise.all([db.conversations.orderBy('[pin+lastAt]').toArray(), blockedIds(db)]);
  const rows: ConversationRecord[] = [];
  for (let i = all.length - 1; i >= 0 && rows.length < limit; i--) if (!all[i]!.hidden) rows.push(all[i]!);
  // A blocked user's words are not shown, not even as a preview.
  return blocked.size ? rows.map((c) => (c.last && isBlockedId(blocked, c.last.from) ? { ...c, last: undefined } : c)) : rows;
}

export function conversation(db: ChatDB, id: string): Promise<ConversationRecord | undefined> {
  return db.conversations.get(id);
}

/** The newest `limit` messages of a conversation, oldest first. */
export async function latestMessages(db: ChatDB, conversationId: string, limit: number): Promise<MessageRecord[]> {
  const blocked = await blockedIds(db);
  let range = db.messages
    .where('[conversationId+ts+seq]')
    .between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity])
    .reverse();
  // Blocked users' messages stay stored (unblocking shows them again) but are not shown.
  if (blocked.size) range = range.filter((m) => !isBlockedId(blocked, m.from));
  const rows = await range.limit(limit).toArray();
  return rows.reverse();
}

export async function countMessages(db: ChatDB, conversationId: string): Promise<number> {
  const blocked = await blockedIds(db);
  const range = db.messages
    .where('[conversationId+ts+seq]')
    .between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity]);
  // The fast index count unless someone is blocked (then it counts what latestMessages shows).
  return blocked.size ? range.filter((m) => !isBlockedId(blocked, m.from)).count() : range.count();
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
  // For a whole roster one sequential read of the table beats thousands of point reads (10x here).
  if (unique.length > 500) {
    const wanted = new Set(unique);
    return new Map((await db.profiles.toArray()).flatMap((p) => (wanted.has(p.id) ? [[p.id, p] as const] : [])));
  }
  const rows = await db.profiles.bulkGet(unique);
  const map = new Map<string, ProfileRecord>();
  rows.forEach((row) => row && map.set(row.id, row));
  return map;
}

const affiliationRank = { owner: 0, admin: 1, member: 2 } as const;

/** A group's members for a members panel: owners, then admins, then members; by user id within each. */
export async function roomMembers(db: ChatDB, roomId: string): Promise<MemberRecord[]> {
  const rows = await db.members.where('roomId').equals(roomId).toArray();
  return rows.sort((a, b) => affiliationRank[a.affiliation] - affiliationRank[b.affiliation] || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0));
}

/** Unread messages over all conversations the list shows, muted ones excluded (the app's own badge). */
export async function totalUnread(db: ChatDB): Promise<number> {
  let total = 0;
  await db.conversations.each((c) => {
    if (!c.muted && !c.hidden) total += c.unread;
  });
  return total;
}

export async function getMeta<T>(db: ChatDB, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function setMeta(db: ChatDB, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}
