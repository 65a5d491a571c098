import type { ChatDB } from './schema.js';
import type { Affiliation, MemberRecord, Role } from './records.js';

export interface MemberUpdate {
  userId: string;
  jid: string;
  /** `null` removes the member. */
  affiliation: Affiliation | null;
  role?: Role;
  online?: boolean;
  nick?: string;
}

/**
 * Replaces a room's member list with the server's (affiliations), keeping what
 * presence said about those still present (role, online, nick).
 */
export async function replaceRoomMembers(
  db: ChatDB,
  roomId: string,
  members: ReadonlyArray<{ userId: string; jid: string; affiliation: Affiliation }>,
): Promise<void> {
  await db.transaction('rw', db.members, async () => {
    const old = new Map((await db.members.where('roomId').equals(roomId).toArray()).map((m) => [m.userId, m]));
    const rows: MemberRecord[] = members.map((m) => {
      const prev = old.get(m.userId);
      const row: MemberRecord = { roomId, userId: m.userId, jid: m.jid, affiliation: m.affiliation, online: prev?.online ?? false };
      if (prev?.role) row.role = prev.role;
      if (prev?.nick) row.nick = prev.nick;
      return row;
    });
    const keep = new Set(rows.map((r) => r.userId));
    await db.members.bulkDelete([...old.keys()].filter((id) => !keep.has(id)).map((id): [string, string] => [roomId, id]));
    await db.members.bulkPut(rows);
  });
}

/** Applies one member's change (an affiliation change or a presence); returns the row before. */
export async function updateMember(db: ChatDB, roomId: string, update: MemberUpdate): Promise<MemberRecord | undefined> {
  return db.transaction('rw', db.members, async () => {
    const key: [string, string] = [roomId, update.userId];
    const prev = await db.members.get(key);
    if (update.affiliation === null) {
      if (prev) await db.members.delete(key);
      return prev;
    }
    const row: MemberRecord = { ...prev, roomId, userId: update.userId, jid: update.jid, affiliation: update.affiliation, online: update.online ?? prev?.online ?? false };
    if (update.online === false) delete row.role;
    else if (update.role) row.role = update.role;
    if (update.nick) row.nick = update.nick;
    await db.members.put(row);
    return prev;
  });
}

/** Nobody is in the room as far as this device knows (it left, or lost its connection). */
export async function markRoomOffline(db: ChatDB, roomId: string): Promise<void> {
  await db.members
    .where('roomId')
    .equals(roomId)
    .modify((m: MemberRecord) => {
      m.online = false;
      delete m.role;
    });
}

export async function deleteRoomMembers(db: ChatDB, roomId: string): Promise<void> {
  await db.members.where('roomId').equals(roomId).delete();
}
