import type { ChatDB } from '../store/schema.js';
import type { ProfileRecord } from '../store/records.js';
import { profilesById } from '../store/queries.js';
import { putProfiles } from '../store/contacts.js';
import type { Profile } from './types.js';

export interface ProfileLoaderOptions {
  fetchProfiles?: (userIds: string[]) => Promise<Profile[]>;
  /**
   * Where profiles come from without a hook (the users' vCards). Resolves null when
   * they cannot be asked now (offline): nothing is recorded and the ids are asked again later.
   */
  fallback?: (userIds: string[]) => Promise<ProfileRecord[] | null>;
  batchSize: number;
  maxAgeMs: number;
  /** A failed or unknown id is asked for again only after this long. */
  retryMs: number;
  /** A hook slower than this shows ids instead of placeholders; its late answer still lands. */
  timeoutMs?: number;
  onError: (error: Error) => void;
}

const MAX_NAME_CHARS = 256;
/** Ids asked for within this long of each other go in one call: one frame's worth of rendering. */
const FRAME_MS = 16;
/** ...but a steady trickle of requests does not postpone the call beyond this. */
const MAX_WAIT_MS = 100;

/**
 * Coalesces every id the UI asks for within a frame (until `batchSize` ids are waiting)
 * into `fetchProfiles` calls of at most `batchSize` ids, skipping ids fresh in the store
 * or already being fetched. Results (and misses, so they are not asked again at once)
 * are written to the store. Nothing here blocks rendering: elements show placeholders
 * and re-render from the store when records land.
 */
export class ProfileLoader {
  #wanted = new Set<string>();
  /** Taken by a flush: being checked against the store or fetched. */
  #inflight = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;
  #firstAt: number | undefined;

  constructor(
    private readonly db: () => ChatDB | undefined,
    private readonly options: ProfileLoaderOptions,
  ) {}

  request(ids: Iterable<string>): void {
    for (const id of ids) if (typeof id === 'string' && id && !this.#inflight.has(id)) this.#wanted.add(id);
    if (this.#wanted.size === 0) return;
    const now = Date.now();
    this.#firstAt ??= now;
    clearTimeout(this.#timer);
    const delay = this.#wanted.size >= this.options.batchSize ? 0 : Math.max(0, Math.min(FRAME_MS, this.#firstAt + MAX_WAIT_MS - now));
    this.#timer = setTimeout(() => void this.#flush(), delay);
  }

  /** Marks profiles stale so the next request fetches them again (all when `ids` is absent). */
  async invalidate(ids?: readonly string[]): Promise<void> {
    const db = this.db();
    if (!db) return;
    if (ids) await db.profiles.where('id').anyOf([...ids]).modify({ fetchedAt: 0 });
    else await db.profiles.toCollection().modify({ fetchedAt: 0 });
  }

  async #flush(): Promise<void> {
    this.#timer = undefined;
    this.#firstAt = undefined;
    // Taken synchronously, so requests arriving while the store is read do not queue them twice.
    const ids = [...this.#wanted];
    this.#wanted.clear();
    ids.forEach((id) => this.#inflight.add(id));
    const release = (list: readonly string[]) => list.forEach((id) => this.#inflight.delete(id));
    const db = this.db();
    let due: string[] = [];
    try {
      if (db) {
        const known = await profilesById(db, ids);
        const now = Date.now();
        due = ids.filter((id) => {
          const p = known.get(id);
          return !p || now - p.fetchedAt > (p.name === undefined ? this.options.retryMs : this.options.maxAgeMs);
        });
      }
    } catch (err) {
      this.options.onError(new Error('Could not read cached profiles.', { cause: err }));
    }
    const dueSet = new Set(due);
    release(ids.filter((id) => !dueSet.has(id)));
    if (!db) return;
    const { batchSize } = this.options;
    const batches: Promise<void>[] = [];
    for (let i = 0; i < due.length; i += batchSize) batches.push(this.#fetch(db, due.slice(i, i + batchSize)));
    await Promise.all(batches);
  }

  async #fetch(db: ChatDB, ids: string[]): Promise<void> {
    const fetchedAt = Date.now();
    const misses = (): ProfileRecord[] => ids.map((id) => ({ id, fetchedAt }));
    const store = (records: ProfileRecord[]) =>
      putProfiles(db, records).catch((err: unknown) => this.options.onError(new Error('Could not store profiles.', { cause: err })));
    const hook = this.options.fetchProfiles;
    try {
      if (!hook) {
        const found = this.options.fallback ? await this.options.fallback(ids) : misses();
        if (found) await store(found);
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      let timedOut = false;
      const answer = (async () => hook(ids))().then((result) => {
        const records = new Map<string, ProfileRecord>(misses().map((r) => [r.id, r]));
        for (const p of Array.isArray(result) ? result : []) {
          const record = toRecord(p, fetchedAt);
          if (record && records.has(record.id)) records.set(record.id, record);
        }
        return store([...records.values()]);
      });
      const late = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          // Placeholders must not stay forever: show ids until the answer comes, if ever.
          void store(misses()).then(resolve);
        }, this.options.timeoutMs ?? 15_000);
      });
      const settled = answer.then(undefined, (err: unknown) => {
        this.options.onError(new Error('fetchProfiles failed; showing user ids instead.', { cause: err }));
        if (!timedOut) return store(misses());
      });
      await Promise.race([settled, late]);
      clearTimeout(timer);
    } catch (err) {
      this.options.onError(new Error('Profiles could not be loaded.', { cause: err }));
    } finally {
      ids.forEach((id) => this.#inflight.delete(id));
    }
  }
}

/** Keeps only well-formed fields of what the integrator returned. */
function toRecord(p: unknown, fetchedAt: number): ProfileRecord | null {
  if (!p || typeof p !== 'object') return null;
  const { id, name, avatarUrl, ...extra } = p as Record<string, unknown>;
  if (typeof id !== 'string') return null;
  const record: ProfileRecord = { id, fetchedAt };
  if (typeof name === 'string' && name.trim()) record.name = name.trim().slice(0, MAX_NAME_CHARS);
  if (typeof avatarUrl === 'string') record.avatarUrl = avatarUrl.slice(0, 2048);
  if (Object.keys(extra).length) {
    try {
      record.extra = structuredClone(extra);
    } catch {
      // Functions or other uncloneable values cannot go to IndexedDB; drop the extras.
    }
  }
  return record;
}
