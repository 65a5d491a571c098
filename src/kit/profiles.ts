import type { ChatDB } from '../store/schema.js';
import type { ProfileRecord } from '../store/records.js';
import { profilesById } from '../store/queries.js';
import { putProfiles } from '../store/contacts.js';
import type { Profile } from './types.js';

export interface ProfileLoaderOptions {
  fetchProfiles?: (userIds: string[]) => Promise<Profile[]>;
  batchSize: number;
  maxAgeMs: number;
  /** A failed or unknown id is asked for again only after this long. */
  retryMs: number;
  onError: (error: Error) => void;
}

const MAX_NAME_CHARS = 256;

/**
 * Coalesces every id the UI asks for within one task into `fetchProfiles` calls of
 * at most `batchSize` ids, skipping ids fresh in the store or already being fetched.
 * Results (and misses, so they are not asked again at once) are written to the store.
 */
export class ProfileLoader {
  #wanted = new Set<string>();
  #inflight = new Set<string>();
  #scheduled = false;

  constructor(
    private readonly db: () => ChatDB | undefined,
    private readonly options: ProfileLoaderOptions,
  ) {}

  request(ids: Iterable<string>): void {
    for (const id of ids) if (id && !this.#inflight.has(id)) this.#wanted.add(id);
    if (this.#wanted.size === 0 || this.#scheduled) return;
    this.#scheduled = true;
    setTimeout(() => void this.#flush(), 0);
  }

  /** Marks profiles stale so the next request fetches them again (all when `ids` is absent). */
  async invalidate(ids?: readonly string[]): Promise<void> {
    const db = this.db();
    if (!db) return;
    if (ids) await db.profiles.where('id').anyOf([...ids]).modify({ fetchedAt: 0 });
    else await db.profiles.toCollection().modify({ fetchedAt: 0 });
  }

  async #flush(): Promise<void> {
    this.#scheduled = false;
    const db = this.db();
    const ids = [...this.#wanted].filter((id) => !this.#inflight.has(id));
    this.#wanted.clear();
    if (!db || ids.length === 0) return;
    const known = await profilesById(db, ids);
    const now = Date.now();
    const due = ids.filter((id) => {
      const p = known.get(id);
      if (!p) return true;
      return now - p.fetchedAt > (p.name === undefined ? this.options.retryMs : this.options.maxAgeMs);
    });
    const { batchSize } = this.options;
    const batches: Promise<void>[] = [];
    for (let i = 0; i < due.length; i += batchSize) batches.push(this.#fetch(db, due.slice(i, i + batchSize)));
    await Promise.all(batches);
  }

  async #fetch(db: ChatDB, ids: string[]): Promise<void> {
    ids.forEach((id) => this.#inflight.add(id));
    const fetchedAt = Date.now();
    const records = new Map<string, ProfileRecord>(ids.map((id) => [id, { id, fetchedAt }]));
    try {
      const hook = this.options.fetchProfiles;
      const result = hook ? await hook(ids) : [];
      for (const p of Array.isArray(result) ? result : []) {
        const record = toRecord(p, fetchedAt);
        if (record && records.has(record.id)) records.set(record.id, record);
      }
    } catch (err) {
      this.options.onError(new Error('fetchProfiles failed; showing user ids instead.', { cause: err }));
    } finally {
      ids.forEach((id) => this.#inflight.delete(id));
    }
    await putProfiles(db, [...records.values()]).catch((err: unknown) =>
      this.options.onError(new Error('Could not store profiles.', { cause: err })),
    );
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
