import Dexie from 'dexie';
import type { ChatDB } from './schema.js';
import type { MessageRecord } from './records.js';

/**
 * New messages this tab is writing, told to this tab's views before IndexedDB has committed
 * them, so a message shows the moment its record is final rather than after the commit and a
 * live query's re-read. (Dexie's own optimistic updates skip explicit transactions, which every
 * write of a message needs.) The store stays the truth: a view shows a fresh record only until
 * its live query returns, which then holds it for good; a write that fails takes it back.
 */
export type FreshEvent = { added: readonly MessageRecord[] } | { dropped: readonly string[] };

type Listener = (event: FreshEvent) => void;

const listeners = new WeakMap<ChatDB, Set<Listener>>();

/** Calls `listener` with this tab's new messages for `db` as they are written; returns the unsubscribe. */
export function watchFresh(db: ChatDB, listener: Listener): () => void {
  let set = listeners.get(db);
  if (!set) listeners.set(db, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function tell(db: ChatDB, event: FreshEvent): void {
  const set = listeners.get(db);
  if (!set?.size) return;
  // Outside the writer's transaction: whatever a listener starts (a render, a read) must not
  // run inside it, nor die with it.
  Dexie.ignoreTransaction(() => {
    for (const listener of set) {
      try {
        listener(event);
      } catch {
        // A view's trouble is its own: the write goes on.
      }
    }
  });
}

/**
 * Runs `write`, announcing `records` as soon as they are final (`announce` is called from
 * inside the transaction, before its commit) and taking them back if the write fails.
 */
export async function writingFresh<T>(db: ChatDB, write: (announce: (records: readonly MessageRecord[]) => void) => Promise<T>): Promise<T> {
  const told: string[] = [];
  const announce = (records: readonly MessageRecord[]): void => {
    if (!records.length || !listeners.get(db)?.size) return;
    told.push(...records.map((r) => r.id));
    tell(db, { added: records });
  };
  try {
    return await write(announce);
  } catch (err) {
    if (told.length) tell(db, { dropped: told });
    throw err;
  }
}
