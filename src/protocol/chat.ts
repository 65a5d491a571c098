import type { Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import { ingestMessages, setMessageState, type IncomingMessage } from '../store/messages.js';
import { pendingMessages } from '../store/queries.js';
import type { Connection } from './connection.js';
import { debug } from './log.js';
import { buildChatMessage, parseMessage, type Self } from './message.js';

/** Sends of one message beyond this mark it failed: something other than the network is wrong. */
export const MAX_SEND_ATTEMPTS = 10;

export interface ChatOptions {
  /** Conversations on screen now (their messages are read on arrival). */
  viewing: { has(conversationId: string): boolean };
}

/**
 * 1:1 messaging between the connection and the store: inbound stanzas become
 * records (batched, one transaction per task), and the outbox (pending records)
 * is drained in send order whenever a session is usable.
 */
export class ChatModule {
  #inbox: IncomingMessage[] = [];
  #flushScheduled = false;
  #chain: Promise<void> = Promise.resolve();
  /** Sent in the current session, not yet acknowledged by the server. */
  #inflight = new Set<string>();

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly self: Self,
    private readonly options: ChatOptions,
  ) {
    conn.on('stanza', (stanza) => this.#onStanza(stanza));
    conn.on('session', () => this.drain());
    conn.on('ack', (stanza) => this.#onAck(stanza));
    // Unacknowledged when the session died: still pending in the store, so the next drain resends it.
    conn.on('fail', (stanza) => this.#inflight.delete(stanza.attrs.id ?? ''));
  }

  /** Sends whatever is pending, in order, if a session is up. Safe to call often. */
  drain(): Promise<void> {
    return this.#serial(() => this.#drain());
  }

  #serial(task: () => Promise<void>): Promise<void> {
    this.#chain = this.#chain.then(task).catch((err: unknown) => debug('chat task failed', err));
    return this.#chain;
  }

  async #drain(): Promise<void> {
    if (this.conn.status !== 'online') return;
    const smOn = (): boolean => this.conn.xmpp.streamManagement.enabled;
    for (const m of await pendingMessages(this.db)) {
      if (this.#inflight.has(m.id)) continue;
      if (this.conn.status !== 'online') return;
      const attempts = (m.attempts ?? 0) + 1;
      if (attempts > MAX_SEND_ATTEMPTS) {
        await setMessageState(this.db, m.id, 'failed', { error: `Not sent after ${MAX_SEND_ATTEMPTS} attempts.` });
        continue;
      }
      await this.db.messages.update(m.id, { attempts });
      this.#inflight.add(m.id);
      try {
        await this.conn.send(buildChatMessage({ to: m.conversationId, id: m.id, body: m.body }));
      } catch (err) {
        // The socket went away mid-drain; the next session drains again.
        this.#inflight.delete(m.id);
        debug('send failed', err);
        return;
      }
      if (!smOn()) {
        // Without stream management there is no ack to wait for: handing it to the socket is all we know.
        this.#inflight.delete(m.id);
        await setMessageState(this.db, m.id, 'sent');
      }
    }
  }

  #onAck(stanza: Element): void {
    const id = stanza.attrs.id;
    if (!stanza.is('message') || !id || !this.#inflight.delete(id)) return;
    void this.#serial(() => setMessageState(this.db, id, 'sent'));
  }

  #onStanza(stanza: Element): void {
    if (!stanza.is('message')) return;
    let parsed;
    try {
      parsed = parseMessage(stanza, this.self);
    } catch (err) {
      debug('dropped malformed message', err);
      return;
    }
    if (!parsed) return;
    if (parsed.kind === 'error') {
      const { id, reason } = parsed;
      void this.#serial(async () => {
        const own = await this.db.messages.get(id);
        if (own?.own) await setMessageState(this.db, id, 'failed', { error: reason });
      });
      return;
    }
    this.#inbox.push(parsed.message);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setTimeout(() => void this.#flush(), 0);
    }
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    const batch = this.#inbox;
    this.#inbox = [];
    try {
      await ingestMessages(this.db, batch, { viewing: this.options.viewing });
    } catch (err) {
      // A failed write (quota, closed database) must not lose the batch: retry shortly.
      debug('ingest failed; will retry', err);
      this.#inbox = batch.concat(this.#inbox);
      if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setTimeout(() => void this.#flush(), 1000);
      }
    }
  }
}
