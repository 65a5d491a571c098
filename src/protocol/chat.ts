import type { Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { MessageRecord } from '../store/records.js';
import {
  ingestMessages,
  latestPeerMessage,
  markConversationRead,
  markDelivered,
  markReadUpTo,
  setMessageState,
  type IncomingMessage,
  type IngestOptions,
} from '../store/messages.js';
import { pendingMessages, setMeta } from '../store/queries.js';
import { clearTyping } from '../store/typing.js';
import type { Connection } from './connection.js';
import { debug } from './log.js';
import { buildDisplayed, buildReceipt, parseMessage, type Self } from './message.js';
import { buildChatStanza, type CustomSerializer } from './outgoing.js';
import { ArchiveSync, CURSOR_KEY, type ArchivedSignal } from './mam.js';
import { applyIncomingFilter } from './rich.js';

/** Sends of one message beyond this mark it failed: something other than the network is wrong. */
export const MAX_SEND_ATTEMPTS = 10;
/** Archived messages older than this get no delivery receipt. */
const RECEIPT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;
/** Most live messages held in memory during a start-up before they are written anyway. */
const MAX_HELD = 5000;

export interface ChatOptions {
  /** Conversations on screen now (their messages are read on arrival). */
  viewing: { has(conversationId: string): boolean };
  /** Messages from blocked users are dropped at ingest (XEP-0191 users the server still let through). */
  isBlocked?: (userId: string) => boolean;
  /**
   * Group messages belong to the group module: for a pending message it returns the
   * stanza to send, `hold` (the room is not joined yet) or `fail`; undefined means a 1:1 message.
   */
  route?: (m: MessageRecord) => Promise<OutboundRoute | undefined>;
  /** Group invitations (live and from the archive) go to the group module, not the store. */
  onInvites?: (invites: IncomingMessage[]) => Promise<void>;
  /**
   * The integrator's `filterIncoming`: false keeps a new message out of the store (live
   * and archive; changes and chat states are not asked). A hook that throws keeps it.
   */
  filter?: (m: IncomingMessage) => boolean | Promise<boolean>;
  /** Registered custom message types' wire elements (the kit's registry). */
  serialize?: CustomSerializer;
}

export type OutboundRoute = { send: Element } | { hold: true } | { fail: string };

interface Inbound {
  message: IncomingMessage;
  wantsReceipt: boolean;
}

/**
 * 1:1 messaging between the connection and the store: inbound stanzas become
 * records (batched: one transaction per task), receipts and markers move own
 * messages to delivered and read, the archive fills gaps, and the outbox (pending
 * records) is drained in send order whenever a session is usable.
 */
export class ChatModule {
  readonly archive: ArchiveSync;
  #inbox: Inbound[] = [];
  #flushScheduled = false;
  #flushing = false;
  #holding = false;
  #chain: Promise<void> = Promise.resolve();
  #states: Promise<void> = Promise.resolve();
  /** Sent in the current session, not yet acknowledged by the server. */
  #inflight = new Set<string>();

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly self: Self,
    private readonly options: ChatOptions,
  ) {
    this.archive = new ArchiveSync(
      conn,
      db,
      self,
      (messages, opts) => this.#ingest(messages, opts),
      (page, added) => this.#sendReceipts(page, added),
      (signals) => this.#applySignals(signals),
    );
    conn.on('stanza', (stanza) => this.#onStanza(stanza));
    conn.on('session', (resumed) => {
      // A new session starts with nobody known to be typing (a resumed one keeps its state).
      if (!resumed) void clearTyping(db).catch((err: unknown) => debug('typing rows not cleared', err));
      void this.drain();
    });
    conn.on('ack', (stanza) => this.#onAck(stanza));
    // Unacknowledged when the session died: still pending in the store, so the next drain resends it.
    conn.on('fail', (stanza) => this.#inflight.delete(stanza.attrs.id ?? ''));
  }

  /**
   * While held, live messages wait in memory instead of going to the store: a session
   * start-up holds them until the archive catch-up has stored what came before them.
   */
  holdLive(on: boolean): void {
    this.#holding = on;
    if (!on && this.#inbox.length) this.#scheduleFlush(0);
  }

  /** Sends whatever is pending, in order, if a session is up. Safe to call often. */
  drain(): Promise<void> {
    return this.#serial(() => this.#drain());
  }

  /** The user has seen the conversation: clear its unread count and tell the peer (XEP-0333). */
  async markDisplayed(conversationId: string): Promise<void> {
    await markConversationRead(this.db, conversationId);
    const last = await latestPeerMessage(this.db, conversationId);
    const ref = last?.originId ?? last?.remoteId;
    if (!last || !ref || last.state === 'read' || this.conn.status !== 'online') return;
    try {
      await this.conn.send(buildDisplayed(conversationId, ref));
      // Remember it was reported, so reopening the conversation does not send it again.
      await this.db.messages.update(last.id, { state: 'read' });
    } catch (err) {
      debug('displayed marker not sent', err);
    }
  }

  #serial(task: () => Promise<void>): Promise<void> {
    this.#chain = this.#chain.then(task).catch((err: unknown) => debug('chat task failed', err));
    return this.#chain;
  }

  /**
   * Acks, receipts, markers and refusals move own messages' states, in the order they came;
   * apart from the outbox's drain, so a receipt being written never holds up the next message
   * (states only move forward, whichever writes first).
   */
  #inOrder(task: () => Promise<void>): void {
    this.#states = this.#states.then(task).catch((err: unknown) => debug('state update failed', err));
  }

  async #drain(): Promise<void> {
    if (this.conn.status !== 'online') return;
    const smOn = (): boolean => this.conn.xmpp.streamManagement.enabled;
    // A conversation whose message is held holds the ones after it too: order is kept per conversation.
    const held = new Set<string>();
    for (const m of await pendingMessages(this.db)) {
      if (this.#inflight.has(m.id) || held.has(m.conversationId)) continue;
      if (m.upload) continue; // its file is still uploading: held until it has a URL
      if (this.conn.status !== 'online') return;
      const route = await this.options.route?.(m);
      if (route && 'hold' in route) {
        held.add(m.conversationId);
        continue;
      }
      if (route && 'fail' in route) {
        await setMessageState(this.db, m.id, 'failed', { error: route.fail });
        continue;
      }
      const attempts = (m.attempts ?? 0) + 1;
      if (attempts > MAX_SEND_ATTEMPTS) {
        await setMessageState(this.db, m.id, 'failed', { error: `Not sent after ${MAX_SEND_ATTEMPTS} attempts.` });
        continue;
      }
      this.#inflight.add(m.id);
      // Whether an ack will come is decided when the stanza is handed over: a socket closing
      // right after the send turns stream management off, and judging then would mark an
      // unacknowledged message sent (lost for good: nothing resends it).
      const acked = smOn();
      // Counted while it goes out rather than before: a write first was most of a message's
      // time to leave. The count only stops a message the server keeps refusing.
      const counted = this.db.messages.update(m.id, { attempts });
      try {
        await this.conn.send(route?.send ?? buildChatStanza(m, { domain: this.self.domain, serialize: this.options.serialize }));
      } catch (err) {
        // The socket went away mid-drain; the next session drains again.
        this.#inflight.delete(m.id);
        debug('send failed', err);
        await counted.catch(() => undefined);
        return;
      }
      await counted;
      if (!acked) {
        // Without stream management there is no ack to wait for: handing it to the socket is all we know.
        this.#inflight.delete(m.id);
        await setMessageState(this.db, m.id, 'sent');
      }
    }
  }

  #onAck(stanza: Element): void {
    const id = stanza.attrs.id;
    if (!stanza.is('message') || !id || !this.#inflight.delete(id)) return;
    this.#inOrder(() => setMessageState(this.db, id, 'sent'));
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
    switch (parsed.kind) {
      case 'error': {
        const { id, reason } = parsed;
        this.#inOrder(async () => {
          const own = await this.db.messages.get(id);
          if (own?.own) await setMessageState(this.db, id, 'failed', { error: reason });
        });
        return;
      }
      case 'receipt':
      case 'displayed': {
        const signal = parsed;
        this.#inOrder(() => this.#applySignals([signal]));
        return;
      }
      case 'message':
        this.#inbox.push(parsed);
        this.#scheduleFlush(0);
    }
  }

  /** Receipts move own messages to delivered; markers to read (or, ours from elsewhere, clear unread). */
  async #applySignals(signals: ArchivedSignal[]): Promise<void> {
    for (const s of signals) {
      if (s.kind === 'receipt') await markDelivered(this.db, s.peer, s.id);
      else if (s.byUs) await markConversationRead(this.db, s.peer);
      else await markReadUpTo(this.db, s.peer, s.id);
    }
  }

  async #ingest(messages: IncomingMessage[], options: IngestOptions): Promise<MessageRecord[]> {
    const blocked = this.options.isBlocked;
    if (blocked) messages = messages.filter((m) => m.own || !blocked(m.from));
    const invites = messages.filter((m) => m.invite);
    if (invites.length) {
      messages = messages.filter((m) => !m.invite);
      await this.options.onInvites?.(invites).catch((err: unknown) => debug('invites not handled', err));
    }
    // (A 1:1 message "from" a group's JID is dropped by the store, inside the ingest transaction.)
    messages = await applyIncomingFilter(messages, this.options.filter);
    return ingestMessages(this.db, messages, { viewing: this.options.viewing, ...options });
  }

  /**
   * An idle inbox is written at once (latency); while a write is under way, arrivals
   * gather and go in the next single transaction (throughput under bursts).
   */
  #scheduleFlush(delayMs: number): void {
    if (this.#flushScheduled || this.#flushing) return;
    // Held during a session's start-up; a flood still goes through rather than pile up in memory.
    if (this.#holding && this.#inbox.length < MAX_HELD) return;
    this.#flushScheduled = true;
    if (delayMs > 0) setTimeout(() => void this.#flush(), delayMs);
    else queueMicrotask(() => void this.#flush());
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    this.#flushing = true;
    const batch = this.#inbox;
    this.#inbox = [];
    try {
      await this.#ingest(batch.map((b) => b.message), {});
    } catch (err) {
      // A failed write (quota, closed database) must not lose the batch: retry shortly.
      debug('ingest failed; will retry', err);
      this.#inbox = batch.concat(this.#inbox);
      this.#flushing = false;
      this.#scheduleFlush(1000);
      return;
    }
    this.#flushing = false;
    if (this.#inbox.length) this.#scheduleFlush(0);
    // Live messages confirm receipt even when the archive delivered them first.
    this.#sendReceipts(batch, null);
    const last = [...batch].reverse().find((b) => b.message.stanzaId)?.message.stanzaId;
    if (last && !this.archive.catchingUp) await setMeta(this.db, CURSOR_KEY, last).catch(() => undefined);
  }

  /**
   * Receipts for messages that asked; with `added` (archive pages), only for those
   * newly stored and recent: a receipt for last year's message tells nobody anything.
   */
  #sendReceipts(messages: Inbound[], added: MessageRecord[] | null): void {
    const fresh = added ? new Set(added.map((m) => m.id)) : null;
    const since = Date.now() - RECEIPT_WINDOW_MS;
    for (const { message, wantsReceipt } of messages) {
      if (!wantsReceipt || message.own || !message.remoteId) continue;
      if (fresh && (!fresh.has(message.id) || message.ts < since)) continue;
      this.conn.send(buildReceipt(message.conversationId, message.remoteId)).catch((err: unknown) => debug('receipt not sent', err));
    }
  }
}
