/**
 * Where a window of rows sits in its conversation (`aria-posinset`, `aria-setsize`).
 *
 * IndexedDB counts a key range by walking it: 100,000 keys take about half a second. So
 * the whole conversation is counted once, off the paint path, and then each window's
 * position is derived from a nearby one already known (an anchor), counting only the keys
 * between them. Any write to the messages table (this tab or another, as Dexie reports
 * it) makes what is known stale; the next count starts over.
 */
import Dexie from 'dexie';
import type { ChatDB } from '../../store/schema.js';
import type { MessageRecord } from '../../store/records.js';
import { range, type Hidden, type Key } from './message-window.js';

export interface Counts {
  /** Messages older than the window's first row. */
  before: number;
  /** Messages in the conversation. */
  total: number;
}

interface Known {
  /** The store generation these counts belong to. */
  gen: number;
  total: number;
  /** Messages older than each anchor key (keyed by `ts:seq`). */
  anchors: Map<string, { key: Key; before: number }>;
}

/** Anchors kept per conversation: the windows visited lately. */
const MAX_ANCHORS = 32;

/** Per database name: bumped by every committed write to its messages table. */
const generations = new Map<string, number>();
const known = new WeakMap<ChatDB, Map<string, Known>>();
/** Full counts under way, so a burst of renders starts one. */
const counting = new WeakMap<ChatDB, Map<string, Promise<Counts | undefined>>>();

// Subscribed on import, before any live query, so a query re-run by a write already sees it.
Dexie.on('storagemutated', (parts) => {
  for (const part of Object.keys(parts)) {
    // `idb://<database>/<table>/<index>`
    const index = part.lastIndexOf('/');
    const table = part.lastIndexOf('/', index - 1);
    if (table < 6 || part.slice(table + 1, index) !== 'messages') continue;
    const name = part.slice(6, table);
    generations.set(name, (generations.get(name) ?? 0) + 1);
  }
});

const genOf = (db: ChatDB): number => generations.get(db.name) ?? 0;
const keyName = (k: Key): string => `${k[0]}:${k[1]}`;
const slot = (cid: string, hidden?: Hidden): string => (hidden?.size ? `${cid}\n${[...hidden].sort().join('\n')}` : cid);
const cmp = (a: Key, b: Key): number => a[0] - b[0] || a[1] - b[1];

function current(db: ChatDB, s: string): Known | undefined {
  const k = known.get(db)?.get(s);
  return k && k.gen === genOf(db) ? k : undefined;
}

function remember(db: ChatDB, s: string, gen: number, total: number, key: Key, before: number): void {
  if (gen !== genOf(db)) return;
  let byConv = known.get(db);
  if (!byConv) known.set(db, (byConv = new Map()));
  let k = byConv.get(s);
  if (!k || k.gen !== gen) byConv.set(s, (k = { gen, total, anchors: new Map() }));
  k.total = total;
  const name = keyName(key);
  k.anchors.delete(name);
  k.anchors.set(name, { key, before });
  if (k.anchors.size > MAX_ANCHORS) k.anchors.delete(k.anchors.keys().next().value!);
}

/**
 * The counts for rows starting at `first`, when the store has not changed since an anchor
 * was counted: a walk over the keys between that anchor and `first` only (adjacent windows
 * are a few hundred keys apart). Undefined when nothing current is known.
 */
export async function nearbyCounts(db: ChatDB, cid: string, first: MessageRecord | undefined, hidden?: Hidden): Promise<Counts | undefined> {
  const s = slot(cid, hidden);
  const gen = genOf(db);
  const k = current(db, s);
  if (!k) return undefined;
  if (!first) return { before: 0, total: k.total };
  const key: Key = [first.ts, first.seq];
  let near: { key: Key; before: number } | undefined;
  let gap = Infinity;
  for (const a of k.anchors.values()) {
    const d = Math.abs(a.key[0] - key[0]) + (a.key[0] === key[0] ? Math.abs(a.key[1] - key[1]) * 1e-9 : 0);
    if (d < gap) [near, gap] = [a, d];
  }
  if (!near) return undefined;
  const total = k.total;
  let before: number;
  const c = cmp(near.key, key);
  if (c === 0) before = near.before;
  else if (c < 0) before = near.before + (await range(db, cid, near.key, key, false, true, hidden).count());
  else before = near.before - (await range(db, cid, key, near.key, false, true, hidden).count());
  if (gen !== genOf(db)) return undefined;
  remember(db, s, gen, total, key, before);
  return { before, total };
}

/** The counts for rows starting at `first`, walking the whole conversation if need be (off the paint path). */
export function countWindow(db: ChatDB, cid: string, first: MessageRecord | undefined, hidden?: Hidden): Promise<Counts | undefined> {
  const s = slot(cid, hidden);
  let running = counting.get(db);
  if (!running) counting.set(db, (running = new Map()));
  const key = `${s}\n${first ? keyName([first.ts, first.seq]) : ''}`;
  const pending = running.get(key);
  if (pending) return pending;
  const run = (async (): Promise<Counts | undefined> => {
    const near = await nearbyCounts(db, cid, first, hidden);
    if (near) return near;
    const gen = genOf(db);
    const at: Key = first ? [first.ts, first.seq] : [Infinity, Infinity];
    const [before, rest] = await Promise.all([
      range(db, cid, null, at, false, true, hidden).count(),
      first ? range(db, cid, at, null, false, false, hidden).count() : Promise.resolve(0),
    ]);
    // A write while counting: these numbers may miss it.
    if (gen !== genOf(db)) return undefined;
    const total = before + rest;
    if (first) remember(db, s, gen, total, at, before);
    else remember(db, s, gen, total, [Infinity, Infinity], total);
    return { before, total };
  })().finally(() => running.delete(key));
  running.set(key, run);
  return run;
}

interface Shown {
  rows: readonly MessageRecord[];
  counts?: Counts;
}

/**
 * Counts for new rows from the last ones shown, through a message both hold: exact when the
 * change was inside the window (a new message, a state change), an estimate that the next
 * count corrects otherwise. Undefined without a message in common.
 */
export function carryCounts(prev: Shown | undefined, next: { rows: readonly MessageRecord[]; reachesLatest: boolean }): Counts | undefined {
  const was = prev?.counts;
  if (!prev || !was) return undefined;
  const at = new Map(prev.rows.map((m, i) => [m.id, i]));
  const i = next.rows.findIndex((m) => at.has(m.id));
  if (i < 0) return undefined;
  const j = at.get(next.rows[i]!.id)!;
  const before = was.before + j - i;
  const wasAfter = was.total - was.before - prev.rows.length;
  const after = next.reachesLatest ? 0 : wasAfter + (prev.rows.length - j) - (next.rows.length - i);
  return before < 0 || after < 0 ? undefined : { before, total: before + next.rows.length + after };
}
