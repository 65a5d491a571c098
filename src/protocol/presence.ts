import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { PresenceRecord, PresenceShow } from '../store/records.js';
import { deleteRequest, putPresence, putRequest, resetPresence } from '../store/contacts.js';
import type { Connection } from './connection.js';
import { bareJid, isValidBareJid, resourceOf, toUserId } from './jid.js';
import { debug } from './log.js';
import { delayStamp, type Self } from './message.js';

const SHOWS = new Set(['away', 'dnd', 'xa', 'chat']);
/** Status text beyond this is cut at the edge: a peer must not grow the store (or a row) without bound. */
export const MAX_STATUS_CHARS = 1024;
const MAX_NICK_CHARS = 256;
const NS_NICK = 'http://jabber.org/protocol/nick';
const NS_MUC_USER = 'http://jabber.org/protocol/muc#user';

/** What the user can set for themselves (`offline` is what closing the kit does). */
export type OwnShow = 'online' | 'away' | 'xa' | 'dnd';

/** One resource's availability, from a <presence/> without a subscription type. */
export interface Availability {
  id: string;
  resource: string;
  show: PresenceShow;
  status?: string;
  /** The XEP-0203 stamp, when the server says the presence is older than now. */
  stamp?: number;
}

export type SubscriptionType = 'subscribe' | 'subscribed' | 'unsubscribe' | 'unsubscribed';

export interface SubscriptionStanza {
  type: SubscriptionType;
  id: string;
  jid: string;
  nick?: string;
  message?: string;
}

const SUB_TYPES = new Set<string>(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);

function cap(text: string | null | undefined, max: number): string | undefined {
  const t = text?.trim();
  return t ? t.slice(0, max) : undefined;
}

/** A resource's availability; null for subscription traffic, errors, MUC and our own resources. */
export function parseAvailability(stanza: Element, self: Self): Availability | null {
  if (!stanza.is('presence') || !stanza.attrs.from) return null;
  const type = stanza.attrs.type;
  if (type && type !== 'unavailable') return null;
  if (stanza.getChild('x', NS_MUC_USER)) return null;
  const from = bareJid(stanza.attrs.from);
  if (from === self.jid || !isValidBareJid(from, true)) return null;
  let show: PresenceShow = 'offline';
  if (type !== 'unavailable') {
    const s = stanza.getChildText('show') ?? '';
    show = SHOWS.has(s) ? (s === 'chat' ? 'online' : (s as PresenceShow)) : 'online';
  }
  const a: Availability = { id: toUserId(from, self.domain), resource: resourceOf(stanza.attrs.from), show };
  const status = cap(stanza.getChildText('status'), MAX_STATUS_CHARS);
  if (status) a.status = status;
  const stamp = delayStamp(stanza);
  if (stamp !== undefined) a.stamp = stamp;
  return a;
}

/** A contact's availability from one <presence/> (one resource's view; see PresenceModule for all). */
export function parsePresence(stanza: Element, self: Self, now = Date.now()): PresenceRecord | null {
  const a = parseAvailability(stanza, self);
  if (!a) return null;
  const record: PresenceRecord = { id: a.id, show: a.show, updatedAt: now };
  if (a.status) record.status = a.status;
  return record;
}

/** A subscription request or answer (RFC 6121 §3); null for anything else or anything malformed. */
export function parseSubscription(stanza: Element, self: Self): SubscriptionStanza | null {
  const type = stanza.attrs.type;
  if (!stanza.is('presence') || !type || !SUB_TYPES.has(type) || !stanza.attrs.from) return null;
  const jid = bareJid(stanza.attrs.from);
  if (jid === self.jid || !jid.includes('@') || !isValidBareJid(jid)) return null;
  const sub: SubscriptionStanza = { type: type as SubscriptionType, id: toUserId(jid, self.domain), jid };
  const nick = cap(stanza.getChildText('nick', NS_NICK), MAX_NICK_CHARS);
  if (nick) sub.nick = nick;
  const message = cap(stanza.getChildText('status'), MAX_STATUS_CHARS);
  if (message) sub.message = message;
  return sub;
}

/** Our own <presence/> for a show value and status text. */
export function buildPresence(show: OwnShow = 'online', status?: string): Element {
  return xml(
    'presence',
    {},
    show !== 'online' ? xml('show', {}, show) : null,
    status ? xml('status', {}, status.slice(0, MAX_STATUS_CHARS)) : null,
  );
}

const RANK: Record<PresenceShow, number> = { online: 4, dnd: 3, away: 2, xa: 1, offline: 0 };

interface ResourceState {
  show: PresenceShow;
  status?: string;
  at: number;
}

export interface PresenceOptions {
  /** Presence and requests from blocked users are ignored. */
  isBlocked: (userId: string) => boolean;
}

/**
 * Contacts' availability and subscription requests, between the connection and the store.
 * A user is as available as their most available resource; going from available to
 * offline records the moment as "last seen". Writes are batched: a login brings one
 * presence per contact, and one transaction per task keeps that cheap.
 */
export class PresenceModule {
  #resources = new Map<string, Map<string, ResourceState>>();
  #pending = new Map<string, PresenceRecord>();
  #flushScheduled = false;
  #chain: Promise<void> = Promise.resolve();
  #own: { show: OwnShow; status?: string } = { show: 'online' };
  /** This session's initial presence went out: later changes are sent as they happen. */
  #started = false;

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly self: Self,
    private readonly options: PresenceOptions,
  ) {
    // A resumed session keeps our presence on the server; a new one waits for start().
    conn.on('session', (resumed) => {
      if (!resumed) this.#started = false;
    });
    conn.on('stanza', (stanza) => {
      if (!stanza.is('presence')) return;
      try {
        this.#onPresence(stanza);
      } catch (err) {
        debug('dropped malformed presence', err);
      }
    });
  }

  get own(): { show: OwnShow; status?: string } {
    return { ...this.#own };
  }

  /**
   * Starts a new session's presence: what the store says about others is stale until
   * their presence arrives again, so everyone goes offline first; then ours is sent.
   */
  start(): Promise<void> {
    this.#resources.clear();
    this.#pending.clear();
    return this.#serial(async () => {
      await resetPresence(this.db);
      await this.#writeOwn();
      await this.conn.send(buildPresence(this.#own.show, this.#own.status));
      this.#started = true;
    });
  }

  /** Sets the user's own show and status; sent at once when online, else with the next session. */
  async setOwn(show: OwnShow, status?: string): Promise<void> {
    this.#own = status ? { show, status: status.slice(0, MAX_STATUS_CHARS) } : { show };
    // Before the session's start-up sends the initial presence, sending one would be early
    // (the server would flush offline messages before the archive catch-up).
    await this.#serial(async () => {
      await this.#writeOwn();
      if (this.#started && this.conn.status === 'online') await this.conn.send(buildPresence(this.#own.show, this.#own.status));
    });
  }

  /** Subscription presence to `jid` (answers and requests). */
  sendSubscription(jid: string, type: SubscriptionType, extra?: { nick?: string; message?: string }): Promise<void> {
    return this.conn.send(
      xml(
        'presence',
        { to: jid, type },
        extra?.nick ? xml('nick', { xmlns: NS_NICK }, extra.nick.slice(0, MAX_NICK_CHARS)) : null,
        extra?.message ? xml('status', {}, extra.message.slice(0, MAX_STATUS_CHARS)) : null,
      ),
    );
  }

  #writeOwn(): Promise<void> {
    const record: PresenceRecord = { id: toUserId(this.self.jid, this.self.domain), show: this.#own.show, updatedAt: Date.now() };
    if (this.#own.status) record.status = this.#own.status;
    return putPresence(this.db, record);
  }

  #serial(task: () => Promise<void>): Promise<void> {
    const run = this.#chain.then(task);
    this.#chain = run.catch((err: unknown) => debug('presence task failed', err));
    return run;
  }

  #onPresence(stanza: Element): void {
    const sub = parseSubscription(stanza, this.self);
    if (sub) {
      if (!this.options.isBlocked(sub.id)) void this.#serial(() => this.#onSubscription(sub));
      return;
    }
    const a = parseAvailability(stanza, this.self);
    if (!a || this.options.isBlocked(a.id)) return;
    const now = Date.now();
    let resources = this.#resources.get(a.id);
    const wasAvailable = !!resources?.size;
    if (a.show === 'offline') resources?.delete(a.resource);
    else {
      if (!resources) this.#resources.set(a.id, (resources = new Map()));
      const state: ResourceState = { show: a.show, at: now };
      if (a.status) state.status = a.status;
      resources.set(a.resource, state);
    }
    const record: PresenceRecord = { id: a.id, show: 'offline', updatedAt: now };
    let best: ResourceState | undefined;
    for (const r of resources?.values() ?? []) {
      if (!best || RANK[r.show] > RANK[best.show] || (RANK[r.show] === RANK[best.show] && r.at > best.at)) best = r;
    }
    if (best) {
      record.show = best.show;
      if (best.status) record.status = best.status;
    } else {
      if (a.status) record.status = a.status;
      // Seen going offline now, or told by the server when (a delayed unavailable presence);
      // an unavailable presence for someone never seen online says nothing about when.
      const seen = wasAvailable ? now : a.stamp;
      if (seen !== undefined) record.lastSeen = seen;
    }
    this.#pending.set(a.id, record);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setTimeout(() => void this.#serial(() => this.#flush()), 0);
    }
  }

  async #flush(): Promise<void> {
    this.#flushScheduled = false;
    const batch = [...this.#pending.values()];
    this.#pending.clear();
    if (batch.length === 0) return;
    await this.db.transaction('rw', this.db.presence, async () => {
      const old = await this.db.presence.bulkGet(batch.map((r) => r.id));
      // A last-seen time survives going online again; a newer one replaces it.
      batch.forEach((r, i) => {
        const prev = old[i]?.lastSeen;
        if (prev !== undefined && (r.lastSeen === undefined || r.lastSeen < prev)) r.lastSeen = prev;
      });
      await this.db.presence.bulkPut(batch);
    });
  }

  async #onSubscription(sub: SubscriptionStanza): Promise<void> {
    if (sub.type === 'subscribe') {
      const contact = await this.db.contacts.get(sub.id);
      // We asked them first (or already share our presence): their request completes the
      // friendship, as chat apps do, so it is approved without asking the user again.
      if (contact && (contact.ask || contact.subscription === 'to' || contact.subscription === 'both' || contact.subscription === 'from')) {
        await this.sendSubscription(sub.jid, 'subscribed');
        return;
      }
      const request = { id: sub.id, jid: sub.jid, at: Date.now(), ...(sub.nick ? { nick: sub.nick } : {}), ...(sub.message ? { message: sub.message } : {}) };
      await putRequest(this.db, request);
    } else if (sub.type === 'unsubscribe') {
      // They withdrew their request (or ended the friendship): nothing left to answer.
      await deleteRequest(this.db, sub.id);
    }
  }
}
