import type { ChatDB } from './schema.js';
import type { BlockedRecord, ContactRecord, PresenceRecord, ProfileRecord, RequestRecord } from './records.js';

/** Meta key of the roster version (XEP-0237 / RFC 6121 §2.6) the store's contacts match. */
export const ROSTER_VER_KEY = 'roster.ver';

/** Replaces the whole roster (a full roster result), with the version it came with. */
export async function replaceContacts(db: ChatDB, contacts: readonly ContactRecord[], ver?: string): Promise<void> {
  await db.transaction('rw', db.contacts, db.requests, db.meta, async () => {
    await db.contacts.clear();
    await db.contacts.bulkPut([...contacts]);
    // Answered on another device: a contact we already let see us is no request any more.
    const answered = contacts.filter((c) => c.subscription === 'from' || c.subscription === 'both').map((c) => c.id);
    if (answered.length) await db.requests.bulkDelete(answered);
    if (ver !== undefined) await db.meta.put({ key: ROSTER_VER_KEY, value: ver });
    else await db.meta.delete(ROSTER_VER_KEY);
  });
}

/** Applies a roster push: `remove` deletes, anything else upserts; `ver` is the push's version. */
export async function applyRosterItem(
  db: ChatDB,
  item: ContactRecord | { id: string; remove: true },
  ver?: string,
): Promise<void> {
  await db.transaction('rw', db.contacts, db.requests, db.meta, async () => {
    if ('remove' in item) await db.contacts.delete(item.id);
    else {
      await db.contacts.put(item);
      if (item.subscription === 'from' || item.subscription === 'both') await db.requests.delete(item.id);
    }
    if (ver !== undefined) await db.meta.put({ key: ROSTER_VER_KEY, value: ver });
  });
}

export async function putPresence(db: ChatDB, record: PresenceRecord): Promise<void> {
  await db.presence.put(record);
}

/** Many presence changes in one transaction (a login brings one per contact). */
export async function putPresences(db: ChatDB, records: readonly PresenceRecord[]): Promise<void> {
  if (records.length) await db.presence.bulkPut([...records]);
}

/**
 * Everyone offline, last-seen times kept: at the start of a new session what the
 * store says about availability is stale until contacts' presence arrives again.
 */
export async function resetPresence(db: ChatDB, now = Date.now()): Promise<void> {
  await db.presence
    .filter((p) => p.show !== 'offline')
    .modify((p) => {
      p.show = 'offline';
      delete p.status;
      p.updatedAt = now;
    });
}

/** Records when a user was last online, without touching a newer value or their availability. */
export async function setLastSeen(db: ChatDB, id: string, lastSeen: number): Promise<void> {
  await db.transaction('rw', db.presence, async () => {
    const p = await db.presence.get(id);
    if (p && p.lastSeen !== undefined && p.lastSeen >= lastSeen) return;
    await db.presence.put(p ? { ...p, lastSeen } : { id, show: 'offline', updatedAt: Date.now(), lastSeen });
  });
}

export async function putProfiles(db: ChatDB, records: readonly ProfileRecord[]): Promise<void> {
  if (records.length) await db.profiles.bulkPut([...records]);
}

/** Stores an incoming subscription request (a repeat keeps the first arrival time). */
export async function putRequest(db: ChatDB, request: RequestRecord): Promise<void> {
  await db.transaction('rw', db.requests, async () => {
    const old = await db.requests.get(request.id);
    await db.requests.put(old ? { ...request, at: old.at } : request);
  });
}

export async function deleteRequest(db: ChatDB, id: string): Promise<void> {
  await db.requests.delete(id);
}

/** Incoming requests, newest first, without blocked users'. */
export async function pendingRequests(db: ChatDB): Promise<RequestRecord[]> {
  const [rows, blocked] = await Promise.all([db.requests.orderBy('at').reverse().toArray(), blockedIds(db)]);
  return blocked.size ? rows.filter((r) => !isBlockedId(blocked, r.id)) : rows;
}

/** The block list as the server reported it. */
export async function replaceBlocked(db: ChatDB, records: readonly BlockedRecord[]): Promise<void> {
  await db.transaction('rw', db.blocked, async () => {
    await db.blocked.clear();
    await db.blocked.bulkPut([...records]);
  });
}

export async function addBlocked(db: ChatDB, records: readonly BlockedRecord[]): Promise<void> {
  await db.transaction('rw', db.blocked, db.requests, async () => {
    await db.blocked.bulkPut([...records]);
    // A blocked user's pending request is answered by the block.
    await db.requests.bulkDelete(records.map((r) => r.id));
  });
}

export async function removeBlocked(db: ChatDB, ids: readonly string[]): Promise<void> {
  await db.blocked.bulkDelete([...ids]);
}

/** Ids on the block list (user ids, and bare domains for domain-wide blocks). */
export async function blockedIds(db: ChatDB): Promise<Set<string>> {
  return new Set(await db.blocked.toCollection().primaryKeys());
}

/** Whether `userId` is on the block list (itself, or its domain for users of other domains). */
export function isBlockedId(blocked: ReadonlySet<string>, userId: string): boolean {
  if (blocked.size === 0) return false;
  if (blocked.has(userId)) return true;
  const at = userId.indexOf('@');
  return at !== -1 && blocked.has(userId.slice(at + 1));
}

/** Whether the store lists `userId` as blocked (for a block/unblock button's live query). */
export async function isBlocked(db: ChatDB, userId: string): Promise<boolean> {
  return isBlockedId(await blockedIds(db), userId);
}
