import type { ChatDB } from '../store/schema.js';
import type { ProfileRecord } from '../store/records.js';
import { deleteRequest } from '../store/contacts.js';
import type { Connection } from '../protocol/connection.js';
import type { Session as ProtocolSession } from '../protocol/session.js';
import type { OwnShow } from '../protocol/presence.js';
import type { Self } from '../protocol/message.js';
import { isValidBareJid, toUserId, userIdToJid } from '../protocol/jid.js';
import { fetchVcardProfiles } from '../protocol/vcard.js';
import { ChatKitError } from './errors.js';

export type { OwnShow };

export interface AddContactOptions {
  /** The name the user gives the contact (roster name). */
  name?: string;
  groups?: string[];
  /** Text sent with the request. */
  message?: string;
}

export interface UpdateContactOptions {
  name?: string;
  groups?: string[];
}

/** What the contacts operations need of the kit's open session. */
export interface ContactsContext {
  db: ChatDB;
  self: Self;
  conn?: Connection;
  protocol?: ProtocolSession;
}

const SHOWS = new Set<string>(['online', 'away', 'xa', 'dnd']);

/**
 * The kit's contact, presence and blocking operations (ChatKit's public methods
 * delegate here). Everything that changes the server's state needs a live session;
 * the store follows from the server's pushes, so other devices stay in step.
 */
export class Contacts {
  #own: { show: OwnShow; status?: string } = { show: 'online' };

  constructor(
    private readonly context: () => ContactsContext | undefined,
    private readonly domain: string,
  ) {}

  /** A new protocol session starts with the presence the user chose. */
  attach(protocol: ProtocolSession): void {
    void protocol.presence.setOwn(this.#own.show, this.#own.status);
  }

  #target(userId: string): { ctx: ContactsContext; jid: string; id: string } {
    const ctx = this.context();
    if (!ctx) throw new ChatKitError('not-open', 'Call kit.open() first.');
    const id = typeof userId === 'string' ? userId.trim() : '';
    const jid = id ? userIdToJid(id, this.domain) : '';
    if (!isValidBareJid(jid) || jid === ctx.self.jid) throw new ChatKitError('invalid-argument', `Not a valid contact: ${String(userId)}`);
    return { ctx, jid, id: toUserId(jid, this.domain) };
  }

  #online(userId: string): { p: ProtocolSession; db: ChatDB; jid: string; id: string } {
    const { ctx, jid, id } = this.#target(userId);
    if (!ctx.protocol || ctx.conn?.status !== 'online') throw new ChatKitError('offline', 'This needs a connection to the server.');
    return { p: ctx.protocol, db: ctx.db, jid, id };
  }

  async #server<T>(task: Promise<T>): Promise<T> {
    try {
      return await task;
    } catch (err) {
      const condition = (err as { condition?: string } | null)?.condition;
      throw new ChatKitError('refused', `The server refused the request${condition ? ` (${condition})` : ''}.`, { cause: err });
    }
  }

  /** Asks `userId` to be a contact; their acceptance makes the friendship mutual. */
  async add(userId: string, options: AddContactOptions = {}): Promise<void> {
    const { p, jid } = this.#online(userId);
    await this.#server(p.roster.set(jid, { name: options.name, groups: options.groups }));
    await p.presence.sendSubscription(jid, 'subscribe', { message: options.message });
    // RFC 6121 §3.4 pre-approval: their request back is granted without asking again.
    await p.presence.sendSubscription(jid, 'subscribed');
  }

  /** Accepts an incoming request; unless already done, asks to see them too (mutual, as in chat apps). */
  async accept(userId: string, options: UpdateContactOptions = {}): Promise<void> {
    const { p, db, jid, id } = this.#online(userId);
    const [contact, request] = await Promise.all([db.contacts.get(id), db.requests.get(id)]);
    await p.presence.sendSubscription(jid, 'subscribed');
    if (!contact || (contact.subscription !== 'to' && contact.subscription !== 'both' && !contact.ask)) {
      const name = options.name ?? contact?.name ?? request?.nick;
      await this.#server(p.roster.set(jid, { name, groups: options.groups ?? contact?.groups }));
      await p.presence.sendSubscription(jid, 'subscribe');
    }
    await deleteRequest(db, id);
  }

  /** Declines an incoming request: they are told, and it leaves the requests list. */
  async decline(userId: string): Promise<void> {
    const { p, db, jid, id } = this.#online(userId);
    await p.presence.sendSubscription(jid, 'unsubscribed');
    await deleteRequest(db, id);
  }

  /** Removes a contact (both directions of the subscription end). */
  async remove(userId: string): Promise<void> {
    const { p, db, jid, id } = this.#online(userId);
    await this.#server(p.roster.set(jid, 'remove'));
    await deleteRequest(db, id);
  }

  /** Renames a contact or sets their groups (what is not given stays). */
  async update(userId: string, changes: UpdateContactOptions): Promise<void> {
    const { p, db, jid, id } = this.#online(userId);
    const contact = await db.contacts.get(id);
    if (!contact) throw new ChatKitError('invalid-argument', `${id} is not a contact.`);
    const name = changes.name !== undefined ? changes.name : contact.name;
    await this.#server(p.roster.set(jid, { name, groups: changes.groups ?? contact.groups }));
  }

  async setPresence(show: OwnShow, status?: string): Promise<void> {
    if (!SHOWS.has(show)) throw new ChatKitError('invalid-argument', `Unknown presence: ${String(show)}`);
    const text = typeof status === 'string' && status.trim() ? status.trim() : undefined;
    this.#own = text ? { show, status: text } : { show };
    const p = this.context()?.protocol;
    if (p) await p.presence.setOwn(show, text);
  }

  async block(userId: string): Promise<void> {
    const { p, jid } = this.#online(userId);
    await this.#server(p.blocking.block(jid));
  }

  async unblock(userId: string): Promise<void> {
    const { p, jid } = this.#online(userId);
    await this.#server(p.blocking.unblock(jid));
  }

  /** Asks the server when offline contacts were last online (XEP-0012), once per id per session. */
  async requestLastSeen(userIds: Iterable<string>): Promise<void> {
    const ctx = this.context();
    if (!ctx?.protocol || ctx.conn?.status !== 'online') return;
    const ids = [...new Set(userIds)].filter((id) => typeof id === 'string' && id);
    const [contacts, presence] = await Promise.all([ctx.db.contacts.bulkGet(ids), ctx.db.presence.bulkGet(ids)]);
    // Only someone whose presence we may see is answered (others get "forbidden").
    ctx.protocol.last.request(
      contacts.flatMap((c, i) =>
        c && (c.subscription === 'to' || c.subscription === 'both') && (presence[i]?.show ?? 'offline') === 'offline' ? [{ id: c.id, jid: c.jid }] : [],
      ),
    );
  }

  /** Profiles from vCards (the kit's source without a `fetchProfiles` hook); null while offline. */
  async vcards(userIds: string[]): Promise<ProfileRecord[] | null> {
    const conn = this.context()?.conn;
    if (conn?.status !== 'online') return null;
    return fetchVcardProfiles(conn, userIds.map((id) => ({ id, jid: userIdToJid(id, this.domain) })));
  }
}
