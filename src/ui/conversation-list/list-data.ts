import type { ChatDB } from '../../store/schema.js';
import type { ContactRecord, ConversationRecord, PresenceRecord, ProfileRecord } from '../../store/records.js';
import { recentConversations, profilesById } from '../../store/queries.js';
import { blockedIds, isBlockedId } from '../../store/contacts.js';

export interface ListData {
  /** The rows read so far: all of them, or on a first paint only the top `FIRST_ROWS`. */
  conversations: ConversationRecord[];
  /** How many rows the list has (the scroll height; more than `conversations` on a first paint). */
  total: number;
  /** False for a first paint's short read. */
  complete: boolean;
  profiles: Map<string, ProfileRecord>;
  contacts: Map<string, ContactRecord>;
  presence: Map<string, PresenceRecord>;
}

/** Rows near the screen whose names, avatars and presence are read (buckets of this many). */
const BUCKET = 25;
/** Rows beyond the rendered ones whose details are read ahead. */
const MARGIN = 20;
/** The first screen's bucket: a tall screen, before layout and after it, so the first paint needs one read. */
export const FIRST_DETAIL_ROWS = 75;
/** Rows of a first paint: a tall screen (1,200 px of 68 px rows) and the overscan. */
export const FIRST_ROWS = 30;

/**
 * Which rows' details to read for the rendered range: in buckets, so scrolling re-reads them
 * every 25 rows, not every frame, and never less than the first screen's bucket at the top, so
 * the first layout does not start a second read.
 */
export function detailBucket(start: number, end: number): [number, number] {
  if (end === 0) return [0, FIRST_DETAIL_ROWS];
  const from = Math.max(0, Math.floor((start - MARGIN) / BUCKET) * BUCKET);
  const to = Math.ceil((end + MARGIN) / BUCKET) * BUCKET;
  return from === 0 ? [0, Math.max(FIRST_DETAIL_ROWS, to)] : [from, to];
}

/**
 * The list and the details of rows `from`..`to` in one read-only transaction: the reads are
 * queued together and answered back to back, not each behind whatever the connection's
 * start-up is writing meanwhile. With `firstScreen` only the top rows are read (a short
 * backward walk of the index and a count): what a reload needs to paint; the rest follows.
 */
export function loadListData(
  db: ChatDB,
  [from, to]: [number, number],
  userIdOf: (jid: string) => string,
  firstScreen = false,
): Promise<ListData> {
  return db.transaction('r', [db.conversations, db.blocked, db.profiles, db.contacts, db.presence], async () => {
    let conversations: ConversationRecord[];
    let total: number;
    if (firstScreen) {
      // One getAll with room for a few hidden rows: a filtered walk would step a cursor row by row,
      // a round trip each, while the connection's start-up keeps the page busy.
      const [read, count, blocked] = await Promise.all([
        db.conversations.orderBy('[pin+lastAt]').reverse().limit(FIRST_ROWS * 2).toArray(),
        db.conversations.count(),
        blockedIds(db),
      ]);
      const top = read.filter((c) => !c.hidden).slice(0, FIRST_ROWS);
      // Hidden rows are counted too: rare, and the full read that follows corrects the height.
      total = Math.max(top.length, count);
      conversations = blocked.size ? top.map((c) => (c.last && isBlockedId(blocked, c.last.from) ? { ...c, last: undefined } : c)) : top;
    } else {
      conversations = await recentConversations(db);
      total = conversations.length;
    }
    const ids = new Set<string>();
    for (const c of conversations.slice(from, to)) {
      if (c.type === 'chat') ids.add(userIdOf(c.id));
      else if (c.last && !c.last.own) ids.add(c.last.from);
      if (c.last?.system?.actor) ids.add(c.last.system.actor);
      if (c.last?.system?.target) ids.add(c.last.system.target);
    }
    const idList = [...ids];
    const [profiles, contactRows, presenceRows] = await Promise.all([
      profilesById(db, idList),
      db.contacts.bulkGet(idList),
      db.presence.bulkGet(idList),
    ]);
    const contacts = new Map<string, ContactRecord>();
    contactRows.forEach((c) => c && contacts.set(c.id, c));
    const presence = new Map<string, PresenceRecord>();
    presenceRows.forEach((p) => p && presence.set(p.id, p));
    return { conversations, total, complete: !firstScreen, profiles, contacts, presence };
  });
}
