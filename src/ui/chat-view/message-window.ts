import type { ChatDB } from '../../store/schema.js';
import type { MessageRecord } from '../../store/records.js';
import { isBlockedId } from '../../store/contacts.js';

/** A position in a conversation's log: the `[ts, seq]` of the index `[conversationId+ts+seq]`. */
export type Key = readonly [ts: number, seq: number];

/**
 * The slice of a conversation the log shows: from `lo` (inclusive) to `hi`
 * (inclusive), or to the newest message when `hi` is null; the newest `INITIAL`
 * messages when both are null. Only this slice is read and put in the DOM, so a
 * conversation of any length costs the same.
 */
export interface MessageWindow {
  lo: Key | null;
  hi: Key | null;
}

export interface WindowData {
  rows: MessageRecord[];
  /** Messages older than the first row. */
  before: number;
  /** Messages newer than the last row. */
  after: number;
  total: number;
  reachesLatest: boolean;
}

/** Rows shown on opening a conversation. */
export const INITIAL = 60;
/** Rows added per step when scrolling into older or newer messages. */
export const STEP = 30;
/** Most rows the log holds; stepping past it drops rows at the far end. */
export const MAX_ROWS = 160;

export const LATEST: MessageWindow = Object.freeze({ lo: null, hi: null });

const keyOf = (m: MessageRecord): Key => [m.ts, m.seq];

/** Senders whose messages the log must not show (the user blocked them); empty for most logs. */
export type Hidden = ReadonlySet<string>;

function range(db: ChatDB, cid: string, from: Key | null, to: Key | null, fromOpen = false, toOpen = false, hidden?: Hidden) {
  const r = db.messages
    .where('[conversationId+ts+seq]')
    .between([cid, ...(from ?? [-Infinity, -Infinity])], [cid, ...(to ?? [Infinity, Infinity])], !fromOpen, !toOpen);
  // Filtering walks records instead of counting keys: paid only while someone is blocked.
  return hidden?.size ? r.filter((m) => m.own || !isBlockedId(hidden, m.from)) : r;
}

export async function readWindow(db: ChatDB, cid: string, w: MessageWindow, hidden?: Hidden): Promise<WindowData> {
  const total = await range(db, cid, null, null, false, false, hidden).count();
  if (!w.lo) {
    const rows = (await range(db, cid, null, null, false, false, hidden).reverse().limit(INITIAL).toArray()).reverse();
    return { rows, before: total - rows.length, after: 0, total, reachesLatest: true };
  }
  const read = await range(db, cid, w.lo, w.hi, false, false, hidden).limit(MAX_ROWS + 1).toArray();
  const rows = read.slice(0, MAX_ROWS);
  const before = rows.length ? await range(db, cid, null, keyOf(rows[0]!), false, true, hidden).count() : 0;
  const after = total - before - rows.length;
  return { rows, before, after, total, reachesLatest: after === 0 };
}

/** The window one step older, or null when the store has nothing older than `rows`. */
export async function olderWindow(
  db: ChatDB,
  cid: string,
  rows: readonly MessageRecord[],
  current: MessageWindow,
  hidden?: Hidden,
): Promise<MessageWindow | null> {
  const first = rows[0];
  if (!first) return null;
  const older = await range(db, cid, null, keyOf(first), false, true, hidden).reverse().limit(STEP).toArray();
  if (older.length === 0) return null;
  const lo = keyOf(older[older.length - 1]!);
  // Keep at most MAX_ROWS: past that, the newest rows leave the window.
  const keep = MAX_ROWS - older.length;
  return { lo, hi: rows.length > keep ? keyOf(rows[keep - 1]!) : current.hi };
}

/** The window one step newer; `hi` null once it reaches the newest message. */
export async function newerWindow(db: ChatDB, cid: string, rows: readonly MessageRecord[], hidden?: Hidden): Promise<MessageWindow> {
  const last = rows[rows.length - 1];
  if (!last) return LATEST;
  const newer = await range(db, cid, keyOf(last), null, true, false, hidden).limit(STEP + 1).toArray();
  const reaches = newer.length <= STEP;
  const added = newer.slice(0, STEP);
  const all = rows.length + added.length;
  const drop = Math.max(0, all - MAX_ROWS);
  const lo = drop < rows.length ? keyOf(rows[drop]!) : keyOf(added[drop - rows.length]!);
  return { lo, hi: reaches ? null : keyOf(added[added.length - 1]!) };
}

export function sameWindow(a: MessageWindow, b: MessageWindow): boolean {
  const eq = (x: Key | null, y: Key | null) => x === y || (!!x && !!y && x[0] === y[0] && x[1] === y[1]);
  return eq(a.lo, b.lo) && eq(a.hi, b.hi);
}

/** A window with `m` in its middle (as far as the log reaches either side): jumping to any message. */
export async function windowAround(db: ChatDB, cid: string, m: MessageRecord, hidden?: Hidden): Promise<MessageWindow> {
  const half = Math.floor(MAX_ROWS / 2);
  const older = await range(db, cid, null, keyOf(m), false, true, hidden).reverse().limit(half - 1).toArray();
  const newer = await range(db, cid, keyOf(m), null, true, false, hidden).limit(half + 1).toArray();
  const lo = keyOf(older[older.length - 1] ?? m);
  return { lo, hi: newer.length > half ? keyOf(newer[half - 1]!) : null };
}
