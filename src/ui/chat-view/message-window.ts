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
  /** The store holds messages older than the first row. */
  hasOlder: boolean;
  /** The last row is the newest message. */
  reachesLatest: boolean;
}

/**
 * Rows shown on opening a conversation: two screens or more (a step reads more at once). A first
 * open of 60 rows was measured 20-25 ms slower (median of nine) for nothing on screen.
 */
export const INITIAL = 40;
/** Rows added per step when scrolling into older or newer messages. */
export const STEP = 30;
/** Most rows the log holds; stepping past it drops rows at the far end. */
export const MAX_ROWS = 160;

export const LATEST: MessageWindow = Object.freeze({ lo: null, hi: null });

const keyOf = (m: MessageRecord): Key => [m.ts, m.seq];

/** Senders whose messages the log must not show (the user blocked them); empty for most logs. */
export type Hidden = ReadonlySet<string>;

export function range(db: ChatDB, cid: string, from: Key | null, to: Key | null, fromOpen = false, toOpen = false, hidden?: Hidden) {
  const r = db.messages
    .where('[conversationId+ts+seq]')
    .between([cid, ...(from ?? [-Infinity, -Infinity])], [cid, ...(to ?? [Infinity, Infinity])], !fromOpen, !toOpen);
  // Filtering walks records instead of counting keys: paid only while someone is blocked.
  return hidden?.size ? r.filter((m) => m.own || !isBlockedId(hidden, m.from)) : r;
}

/**
 * The rows of a window, and whether the store goes on past either end: indexed reads of
 * the rows and of one key either side, never a count (see log-positions.ts).
 */
export async function readWindow(db: ChatDB, cid: string, w: MessageWindow, hidden?: Hidden): Promise<WindowData> {
  if (!w.lo) {
    const read = await range(db, cid, null, null, false, false, hidden).reverse().limit(INITIAL + 1).toArray();
    return { rows: read.slice(0, INITIAL).reverse(), hasOlder: read.length > INITIAL, reachesLatest: true };
  }
  const [read, older, newer] = await Promise.all([
    range(db, cid, w.lo, w.hi, false, false, hidden).limit(MAX_ROWS + 1).toArray(),
    range(db, cid, null, w.lo, false, true, hidden).reverse().limit(1).primaryKeys(),
    w.hi ? range(db, cid, w.hi, null, true, false, hidden).limit(1).primaryKeys() : Promise.resolve([]),
  ]);
  const rows = read.slice(0, MAX_ROWS);
  return { rows, hasOlder: older.length > 0, reachesLatest: read.length <= MAX_ROWS && newer.length === 0 };
}

/**
 * A window one step on, with its rows: the rows shown plus the ones just read, so the log
 * can show them at once instead of after its live query has read the whole window again.
 */
export interface Step {
  window: MessageWindow;
  data: WindowData;
}

/** One step older, or null when the store has nothing older than the rows shown. */
export async function olderWindow(db: ChatDB, cid: string, shown: WindowData, current: MessageWindow, hidden?: Hidden): Promise<Step | null> {
  const first = shown.rows[0];
  if (!first) return null;
  const read = await range(db, cid, null, keyOf(first), false, true, hidden).reverse().limit(STEP + 1).toArray();
  const added = read.slice(0, STEP).reverse();
  if (added.length === 0) return null;
  // Keep at most MAX_ROWS: past that, the newest rows leave the window.
  const keep = MAX_ROWS - added.length;
  const kept = shown.rows.slice(0, keep);
  const dropped = shown.rows.length > keep;
  return {
    window: { lo: keyOf(added[0]!), hi: dropped ? keyOf(kept[kept.length - 1]!) : current.hi },
    data: { rows: [...added, ...kept], hasOlder: read.length > STEP, reachesLatest: shown.reachesLatest && !dropped },
  };
}

/**
 * `shown` with newer rows after its last one; the oldest rows make room past MAX_ROWS (`drop`
 * of them), as for a step newer or a fresh message appended to the newest page.
 */
export function appendNewer(shown: WindowData, added: readonly MessageRecord[]): { rows: MessageRecord[]; hasOlder: boolean; drop: number } {
  const all = [...shown.rows, ...added];
  const drop = Math.max(0, all.length - MAX_ROWS);
  return { rows: all.slice(drop), hasOlder: shown.hasOlder || drop > 0, drop };
}

/** One step newer; the window's `hi` is null once it reaches the newest message. */
export async function newerWindow(db: ChatDB, cid: string, shown: WindowData, hidden?: Hidden): Promise<Step> {
  const last = shown.rows[shown.rows.length - 1];
  if (!last) return { window: LATEST, data: shown };
  const newer = await range(db, cid, keyOf(last), null, true, false, hidden).limit(STEP + 1).toArray();
  const reaches = newer.length <= STEP;
  const added = newer.slice(0, STEP);
  const { rows, hasOlder } = appendNewer(shown, added);
  return {
    window: { lo: keyOf(rows[0]!), hi: reaches ? null : keyOf(added[added.length - 1]!) },
    data: { rows, hasOlder, reachesLatest: reaches },
  };
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

/** Same stored content: values equal, nested ones (reactions, attachment, reply...) by their JSON. */
function sameRecord(a: object, b: object): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) {
    const x = (a as Record<string, unknown>)[k];
    const y = (b as Record<string, unknown>)[k];
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null || JSON.stringify(x) !== JSON.stringify(y)) return false;
  }
  return true;
}

/**
 * Each re-read returns new objects: the ones shown already are kept where nothing changed,
 * so a row whose message is the same object is not rendered again (see the log's `guard`).
 */
export function reuseRecords<T extends { id: string }>(shown: readonly T[] | undefined, read: T[]): T[] {
  if (!shown?.length) return read;
  const byId = new Map(shown.map((m) => [m.id, m]));
  return read.map((m) => {
    const old = byId.get(m.id);
    return old && sameRecord(old, m) ? old : m;
  });
}

/** The shown map when the new read holds the same records (keeps render contexts stable). */
export function reuseMap<T extends object>(shown: ReadonlyMap<string, T> | undefined, read: Map<string, T>): Map<string, T> {
  if (!shown || shown.size !== read.size) return read;
  for (const [k, v] of read) {
    const old = shown.get(k);
    if (!old || !sameRecord(old, v)) return read;
  }
  return shown as Map<string, T>;
}
