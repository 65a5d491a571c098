import type { ChatDB } from './schema.js';
import type { MessageChange, MessageRecord, OrphanRecord } from './records.js';

/**
 * Corrections (XEP-0308), recalls (XEP-0424) and reactions (XEP-0444) applied to the
 * messages they name, inside the ingest transaction and in arrival order. A change whose
 * message is not stored yet waits in `orphans` until that message is.
 */

/** A change as it arrives: who sent it, when, and the wire id of the message it names. */
export interface ChangeItem {
  conversationId: string;
  ref: string;
  /** User id of the change's sender. */
  from: string;
  at: number;
  change: MessageChange;
}

/** Longest excerpt of the original a reply keeps (code points). */
export const MAX_EXCERPT_CHARS = 200;

/** Orphans kept at most; the oldest go first (their messages are unlikely to ever come). */
export const MAX_ORPHANS = 10_000;

/** The wire ids other messages may name this one by (docs/rich-messages.md, "Which id a change names"). */
export function wireIds(m: Pick<MessageRecord, 'originId' | 'remoteId' | 'stanzaId'>): string[] {
  return [...new Set([m.originId, m.remoteId, m.stanzaId].filter((id): id is string => !!id))];
}

/**
 * Messages of a conversation a wire id names (origin-id, the sender's stanza id, or the
 * archive's stanza-id). Usually one; several only when a sender reused someone's id.
 * The UI resolves a reply whose `reply.id` is not set through this.
 */
export async function messagesByRef(db: ChatDB, conversationId: string, ref: string): Promise<MessageRecord[]> {
  const key = [conversationId, ref];
  const lists = await Promise.all([
    db.messages.where('[conversationId+originId]').equals(key).toArray(),
    db.messages.where('[conversationId+remoteId]').equals(key).toArray(),
    db.messages.where('[conversationId+stanzaId]').equals(key).toArray(),
  ]);
  const seen = new Map<string, MessageRecord>();
  for (const m of lists.flat()) if (!seen.has(m.id)) seen.set(m.id, m);
  return [...seen.values()];
}

/** The one message a change or reply means among candidates: only its author may correct or recall it. */
export function pickTarget(candidates: readonly MessageRecord[], item: Pick<ChangeItem, 'from' | 'change'>): MessageRecord | undefined {
  if (item.change.kind === 'react') return candidates.find((m) => m.kind !== 'system');
  return candidates.find((m) => m.from === item.from);
}

/**
 * `target` with the change applied, or null when it changes nothing or is not allowed
 * (a forgery: someone else correcting or recalling; anything on a recalled message).
 */
export function applyChange(target: MessageRecord, item: Pick<ChangeItem, 'from' | 'at' | 'change'>): MessageRecord | null {
  if (target.kind === 'system' || target.retracted) return null;
  const change = item.change;
  switch (change.kind) {
    case 'correct': {
      if (item.from !== target.from) return null;
      // An older correction replayed (archive paging) must not undo a newer one.
      if (target.edited !== undefined && item.at < target.edited) return null;
      const next: MessageRecord = { ...target, body: change.body, edited: item.at };
      // Offsets into the old text mean nothing in the new one.
      delete next.mentions;
      delete next.mentioned;
      return next;
    }
    case 'retract': {
      if (item.from !== target.from) return null;
      const next: MessageRecord = { ...target, body: '', retracted: true };
      for (const field of ['attachment', 'upload', 'location', 'custom', 'reply', 'reactions', 'reactedAt', 'mentions', 'mentioned'] as const) delete next[field];
      return next;
    }
    case 'react': {
      // A sender's older set replayed after a newer one (history paging, archive order) must not win.
      const last = target.reactedAt?.[item.from];
      if (last !== undefined && item.at < last) return null;
      return withReactions(target, item.from, change.emojis, item.at);
    }
  }
}

/** `m` with `userId`'s reaction set replaced by `emojis` (XEP-0444: a sender's set is whole), sent at `at`. */
export function withReactions(m: MessageRecord, userId: string, emojis: readonly string[], at: number): MessageRecord {
  const reactions: Record<string, string[]> = {};
  for (const [emoji, users] of Object.entries(m.reactions ?? {})) {
    const rest = users.filter((u) => u !== userId);
    if (rest.length) reactions[emoji] = rest;
  }
  for (const emoji of emojis) (reactions[emoji] ??= []).push(userId);
  const next: MessageRecord = { ...m, reactions, reactedAt: { ...m.reactedAt, [userId]: at } };
  if (Object.keys(reactions).length === 0) delete next.reactions;
  return next;
}

/** A record still to be written (held by the batch's add list) takes the changed fields. */
function replaceInPlace(target: MessageRecord, next: MessageRecord): void {
  for (const field of Object.keys(target) as Array<keyof MessageRecord>) if (!(field in next)) delete target[field];
  Object.assign(target, next);
}

const refKey = (conversationId: string, ref: string): string => `${conversationId}\n${ref}`;

/**
 * The change bookkeeping of one ingest batch: records new in the batch (changes to them
 * are applied in memory before they are written), orphans waiting for them, and
 * orphans this batch creates.
 */
export class ChangeBatch {
  /** Waiting changes by conversation and ref: stored ones (with `key`) and this batch's. */
  #waiting = new Map<string, OrphanRecord[]>();
  #adopted: number[] = [];
  #fresh: OrphanRecord[] = [];
  /** Records added in this batch, by conversation and wire id. */
  #added = new Map<string, MessageRecord[]>();

  private constructor(private readonly db: ChatDB) {}

  /** Loads the orphans that name any message of the batch (one index read). */
  static async load(db: ChatDB, messages: ReadonlyArray<Pick<MessageRecord, 'conversationId' | 'originId' | 'remoteId' | 'stanzaId'>>): Promise<ChangeBatch> {
    const batch = new ChangeBatch(db);
    const keys = messages.flatMap((m) => wireIds(m).map((ref) => [m.conversationId, ref]));
    if (keys.length && (await db.orphans.count()) > 0) {
      const orphans = await db.orphans.where('[conversationId+ref]').anyOf(keys).toArray();
      orphans.sort((a, b) => a.at - b.at || (a.key ?? 0) - (b.key ?? 0));
      for (const o of orphans) batch.#wait(o);
    }
    return batch;
  }

  #wait(o: OrphanRecord): void {
    const key = refKey(o.conversationId, o.ref);
    const list = this.#waiting.get(key);
    if (list) list.push(o);
    else this.#waiting.set(key, [o]);
  }

  /**
   * A record about to be added: the changes waiting for it are applied to it in place,
   * and later changes in the batch find it.
   */
  adopt(record: MessageRecord): void {
    this.#applyWaiting(record);
    for (const ref of wireIds(record)) {
      const key = refKey(record.conversationId, ref);
      const list = this.#added.get(key);
      if (list) list.push(record);
      else this.#added.set(key, [record]);
    }
  }

  /**
   * A stored message that just learnt a new wire id (our own group message, given its
   * stanza-id by the room's echo): the changes waiting under that id apply now.
   * Returns the changed record (written here), or undefined when nothing waited.
   */
  async adoptStored(record: MessageRecord): Promise<MessageRecord | undefined> {
    if (!wireIds(record).some((ref) => this.#waiting.has(refKey(record.conversationId, ref)))) return undefined;
    // The stored copy, with whatever this batch already wrote to it (the new id included).
    const current = (await this.db.messages.get(record.id)) ?? { ...record };
    this.#applyWaiting(current);
    await this.db.messages.put(current);
    return current;
  }

  /** Applies (in place) and consumes the changes waiting for any of the record's wire ids. */
  #applyWaiting(record: MessageRecord): void {
    for (const ref of wireIds(record)) {
      const key = refKey(record.conversationId, ref);
      const waiting = this.#waiting.get(key);
      if (!waiting) continue;
      this.#waiting.delete(key);
      for (const o of waiting) {
        if (o.key !== undefined) this.#adopted.push(o.key);
        else this.#fresh.splice(this.#fresh.indexOf(o), 1);
        const next = applyChange(record, o);
        if (next) replaceInPlace(record, next);
      }
    }
  }

  /**
   * Applies an arriving change. Returns the changed record when it was already stored
   * (written here), or when it is new in this batch (changed in place); undefined when the
   * change was refused or waits for its message.
   */
  async apply(item: ChangeItem): Promise<MessageRecord | undefined> {
    const inBatch = this.#added.get(refKey(item.conversationId, item.ref)) ?? [];
    const stored = await messagesByRef(this.db, item.conversationId, item.ref);
    const candidates = [...inBatch, ...stored.filter((m) => !inBatch.some((b) => b.id === m.id))];
    if (candidates.length === 0) {
      const orphan: OrphanRecord = { conversationId: item.conversationId, ref: item.ref, from: item.from, at: item.at, change: item.change };
      this.#fresh.push(orphan);
      this.#wait(orphan);
      return undefined;
    }
    const target = pickTarget(candidates, item);
    if (!target) return undefined; // a forgery: the named message is someone else's
    const next = applyChange(target, item);
    if (!next) return undefined;
    if (inBatch.includes(target)) {
      replaceInPlace(target, next);
      return target;
    }
    await this.db.messages.put(next);
    return next;
  }

  /**
   * Points a new reply at its original when that is stored (or new in this batch), and
   * fills in the author and an excerpt the sender left out. A reply whose original comes
   * later keeps `reply.id` unset: the UI finds it by `reply.ref` (`messagesByRef`).
   */
  async resolveReply(record: MessageRecord): Promise<void> {
    const reply = record.reply;
    if (!reply) return;
    const inBatch = this.#added.get(refKey(record.conversationId, reply.ref)) ?? [];
    const candidates = (inBatch.length ? inBatch : await messagesByRef(this.db, record.conversationId, reply.ref)).filter((m) => m.kind !== 'system');
    const target = candidates.find((m) => !reply.to || m.from === reply.to) ?? candidates[0];
    if (!target) return;
    const next = { ...reply, id: target.id };
    next.to ??= target.from;
    if (!next.excerpt && target.body && !target.retracted) next.excerpt = [...target.body].slice(0, MAX_EXCERPT_CHARS).join('');
    record.reply = next;
  }

  /** Writes the changes still waiting and forgets those applied; keeps the table bounded. */
  async finish(): Promise<void> {
    if (this.#adopted.length) await this.db.orphans.bulkDelete(this.#adopted);
    if (this.#fresh.length === 0) return;
    await this.db.orphans.bulkAdd(this.#fresh);
    const excess = (await this.db.orphans.count()) - MAX_ORPHANS;
    if (excess > 0) await this.db.orphans.limit(excess).delete();
  }
}
