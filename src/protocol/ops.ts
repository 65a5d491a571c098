import type { Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { MessageRecord, OpRecord } from '../store/records.js';
import { deleteOp, queuedOps, updateOp } from '../store/ops.js';
import type { Connection } from './connection.js';
import { debug } from './log.js';
import { buildCorrection, buildReactions, buildRetraction, type Destination } from './outgoing.js';

/** Sends of one change beyond this and it is given up (deleted): something other than the network is wrong. */
export const MAX_OP_ATTEMPTS = 10;
/** While a change waits for its message's wire id, the outbox looks again this often. */
const WAIT_RETRY_MS = 1000;
/** A change waits at most this many looks (two minutes) for a wire id that never comes. */
const MAX_WAITS = 120;

/** Whether a group's room takes stanzas now (`ready`), later (`hold`: not joined yet) or never (`fail`). */
export type Readiness = 'ready' | 'hold' | 'fail';

export interface OpsOptions {
  /** Drains the message outbox: a change never overtakes the message it changes. */
  afterMessages: () => Promise<void>;
  /** For group conversations, whether the room takes stanzas now; undefined for 1:1. */
  readiness: (conversationId: string) => Promise<Readiness | undefined>;
}

/**
 * The outbox of changes (corrections, recalls, reactions): queued `ops` go out in `seq`
 * order whenever a session is usable, after the message outbox; an op is deleted once
 * the server acknowledges it (XEP-0198), or once sent when there is no stream
 * management. A change to a message without a usable wire id yet (our own message not
 * sent, or in a group not echoed with the room's stanza-id) waits, and so do the
 * changes after it in that conversation.
 */
export class OpsModule {
  #chain: Promise<void> = Promise.resolve();
  #inflight = new Set<string>();
  #waits = new Map<string, number>();
  #retry: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly options: OpsOptions,
  ) {
    conn.on('session', () => void this.drain());
    conn.on('ack', (stanza) => this.#onAck(stanza));
    // Unacknowledged when the session died: still queued, so the next drain sends it again.
    conn.on('fail', (stanza) => this.#inflight.delete(stanza.attrs.id ?? ''));
  }

  /** Sends whatever changes are queued, in order, if a session is up. Safe to call often. */
  drain(): Promise<void> {
    this.#chain = this.#chain.then(() => this.#drain()).catch((err: unknown) => debug('ops drain failed', err));
    return this.#chain;
  }

  async #drain(): Promise<void> {
    clearTimeout(this.#retry);
    this.#retry = undefined;
    await this.options.afterMessages();
    if (this.conn.status !== 'online') return;
    const waiting = new Set<string>();
    for (const o of await queuedOps(this.db)) {
      if (this.#inflight.has(o.id) || waiting.has(o.conversationId)) continue;
      if (this.conn.status !== 'online') return;
      const target = await this.db.messages.get(o.messageId);
      const readiness = target ? await this.options.readiness(o.conversationId) : 'fail';
      if (readiness === 'fail') {
        await this.#giveUp(o, target ? 'the group cannot be reached' : 'its message is gone');
        continue;
      }
      if (readiness === 'hold') {
        // The room's join drains again.
        waiting.add(o.conversationId);
        continue;
      }
      const ref = wireRef(target!, o.op, readiness === 'ready');
      if (ref === 'wait') {
        const waits = (this.#waits.get(o.id) ?? 0) + 1;
        if (waits > MAX_WAITS) {
          await this.#giveUp(o, 'its message never got a wire id');
          continue;
        }
        this.#waits.set(o.id, waits);
        waiting.add(o.conversationId);
        continue;
      }
      if (ref === null) {
        await this.#giveUp(o, 'its message has no wire id');
        continue;
      }
      const attempts = (o.attempts ?? 0) + 1;
      if (attempts > MAX_OP_ATTEMPTS) {
        await this.#giveUp(o, `not sent after ${MAX_OP_ATTEMPTS} attempts`);
        continue;
      }
      await updateOp(this.db, o.id, { attempts });
      this.#inflight.add(o.id);
      this.#waits.delete(o.id);
      const dest: Destination = { to: o.conversationId, type: readiness === 'ready' ? 'groupchat' : 'chat' };
      // Judged at hand-over: a socket closing just after the send turns stream management off.
      const acked = this.conn.xmpp.streamManagement.enabled;
      try {
        await this.conn.send(stanzaFor(o, dest, ref));
      } catch (err) {
        // The socket went away mid-drain; the next session drains again.
        this.#inflight.delete(o.id);
        debug('change not sent', err);
        return;
      }
      if (!acked) {
        // No ack will come: handing it to the socket is all we know.
        this.#inflight.delete(o.id);
        await deleteOp(this.db, o.id);
      }
    }
    if (waiting.size && this.conn.status === 'online') this.#retry = setTimeout(() => void this.drain(), WAIT_RETRY_MS);
  }

  async #giveUp(o: OpRecord, why: string): Promise<void> {
    debug(`change ${o.op} of ${o.messageId} given up: ${why}`);
    this.#waits.delete(o.id);
    await deleteOp(this.db, o.id);
  }

  #onAck(stanza: Element): void {
    const id = stanza.attrs.id;
    if (!stanza.is('message') || !id || !this.#inflight.delete(id)) return;
    this.#chain = this.#chain.then(() => deleteOp(this.db, id)).catch((err: unknown) => debug('acked op not deleted', err));
  }
}

/**
 * The wire id a change names (docs/rich-messages.md): 1:1, the message's `id`
 * (origin-id, or the peer's `id` attribute); groups, the room's stanza-id, except
 * corrections, which name the `id` attribute. `wait`: not known yet (our own message
 * is not sent, or its echo has not brought the stanza-id); null: it never will be.
 */
export function wireRef(target: MessageRecord, op: OpRecord['op'], group: boolean): string | 'wait' | null {
  if (target.own && target.state === 'failed') return null;
  if (target.own && target.state === 'pending') return 'wait';
  // Other clients look a 1:1 message up by its `id` attribute; ours use one id for both.
  if (!group || op === 'correct') return target.own ? (target.originId ?? target.id) : (target.remoteId ?? target.originId ?? null);
  return target.stanzaId ?? (target.own ? 'wait' : null);
}

function stanzaFor(o: OpRecord, dest: Destination, ref: string): Element {
  switch (o.op) {
    case 'correct':
      return buildCorrection(dest, o.id, ref, o.body ?? '');
    case 'retract':
      return buildRetraction(dest, o.id, ref);
    case 'react':
      return buildReactions(dest, o.id, ref, o.emojis ?? []);
  }
}
