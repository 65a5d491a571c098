import type { ChatDB } from './schema.js';
import type { MessageRecord } from './records.js';

type Identity = Pick<MessageRecord, 'id' | 'conversationId' | 'from' | 'originId' | 'stanzaId'>;

/**
 * Finds messages already stored (or earlier in the same batch) that an incoming one
 * duplicates: by local id, by the archive's stanza-id, or by the sender's origin-id.
 * All lookups for a batch are three bulk index reads, not three reads per message:
 * an archive page of 250 costs the same as one message.
 */
export class DuplicateIndex {
  #byId = new Map<string, MessageRecord>();
  #byStanza = new Map<string, MessageRecord>();
  #byOrigin = new Map<string, MessageRecord[]>();

  static async load(db: ChatDB, batch: readonly Identity[]): Promise<DuplicateIndex> {
    const index = new DuplicateIndex();
    const stanzaKeys = batch.filter((m) => m.stanzaId).map((m) => [m.conversationId, m.stanzaId!]);
    const originKeys = batch.filter((m) => m.originId).map((m) => [m.conversationId, m.originId!]);
    const [byId, byStanza, byOrigin] = await Promise.all([
      db.messages.bulkGet(batch.map((m) => m.id)),
      stanzaKeys.length ? db.messages.where('[conversationId+stanzaId]').anyOf(stanzaKeys).toArray() : [],
      originKeys.length ? db.messages.where('[conversationId+originId]').anyOf(originKeys).toArray() : [],
    ]);
    for (const m of [...byId, ...byStanza, ...byOrigin]) if (m) index.add(m);
    return index;
  }

  find(m: Identity): MessageRecord | undefined {
    const byId = this.#byId.get(m.id);
    if (byId && byId.conversationId === m.conversationId && byId.from === m.from) return byId;
    if (m.stanzaId) {
      const hit = this.#byStanza.get(`${m.conversationId}\n${m.stanzaId}`);
      if (hit) return hit;
    }
    // origin-ids are chosen by senders, so only the same sender's id can match.
    if (m.originId) return this.#byOrigin.get(`${m.conversationId}\n${m.originId}`)?.find((h) => h.from === m.from);
    return undefined;
  }

  taken(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Records a stored (or just added) message so later ones in the batch see it. */
  add(m: MessageRecord): void {
    this.#byId.set(m.id, m);
    if (m.stanzaId) this.#byStanza.set(`${m.conversationId}\n${m.stanzaId}`, m);
    if (m.originId) {
      const key = `${m.conversationId}\n${m.originId}`;
      const list = this.#byOrigin.get(key);
      if (list) list.push(m);
      else this.#byOrigin.set(key, [m]);
    }
  }
}
