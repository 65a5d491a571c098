import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { ContactRecord, Subscription } from '../store/records.js';
import { applyRosterItem, replaceContacts, ROSTER_VER_KEY } from '../store/contacts.js';
import { getMeta } from '../store/queries.js';
import type { Connection } from './connection.js';
import { bareJid, isValidBareJid, toUserId } from './jid.js';
import { debug } from './log.js';
import { NS } from './ns.js';
import type { Self } from './message.js';

const SUBSCRIPTIONS = new Set<Subscription>(['none', 'to', 'from', 'both']);
const MAX_GROUPS = 32;
const MAX_NAME_CHARS = 256;
const NS_STREAM = 'http://etherx.jabber.org/streams';
const NS_ROSTERVER = 'urn:xmpp:features:rosterver';

export type RosterChange = ContactRecord | { id: string; remove: true };

/** One <item/> of a roster result or push; null when malformed. */
export function parseRosterItem(item: Element, self: Self): RosterChange | null {
  const jid = item.attrs.jid;
  if (!jid || !isValidBareJid(bareJid(jid), true)) return null;
  const bare = bareJid(jid);
  const id = toUserId(bare, self.domain);
  if (item.attrs.subscription === 'remove') return { id, remove: true };
  const sub = (item.attrs.subscription ?? 'none') as Subscription;
  const contact: ContactRecord = {
    id,
    jid: bare,
    subscription: SUBSCRIPTIONS.has(sub) ? sub : 'none',
    groups: item
      .getChildren('group')
      .slice(0, MAX_GROUPS)
      .map((g) => g.text().slice(0, MAX_NAME_CHARS))
      .filter(Boolean),
  };
  const name = item.attrs.name?.trim();
  if (name) contact.name = name.slice(0, MAX_NAME_CHARS);
  if (item.attrs.ask === 'subscribe') contact.ask = true;
  return contact;
}

/** RFC 6121 §2.1.6: a push is believed only from the server side of our own account. */
export function isTrustedRosterPush(stanza: Element, self: Self): boolean {
  const from = stanza.attrs.from;
  return !from || bareJid(from) === self.jid;
}

/** The error answer to a push from someone not allowed to push (an error element, not a throw: no client error event). */
export function forbidden(): Element {
  return xml('error', { type: 'cancel' }, xml('forbidden', { xmlns: NS.stanzas }));
}

/** A roster set for one item: add or update (`name`, `groups`), or remove. */
export function buildRosterSet(jid: string, item: { name?: string; groups?: readonly string[] } | 'remove'): Element {
  if (item === 'remove') return xml('iq', { type: 'set' }, xml('query', { xmlns: NS.roster }, xml('item', { jid, subscription: 'remove' })));
  const name = item.name?.trim().slice(0, MAX_NAME_CHARS);
  const groups = [...new Set((item.groups ?? []).map((g) => g.trim().slice(0, MAX_NAME_CHARS)).filter(Boolean))].slice(0, MAX_GROUPS);
  return xml(
    'iq',
    { type: 'set' },
    xml('query', { xmlns: NS.roster }, xml('item', name ? { jid, name } : { jid }, ...groups.map((g) => xml('group', {}, g)))),
  );
}

/**
 * Roster pushes into the store (with their version), and whether the server supports
 * roster versioning (RFC 6121 §2.6: a client sends `ver` only when it was offered).
 */
export class RosterModule {
  #versioning = false;

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly self: Self,
  ) {
    conn.xmpp.on('nonza', (el) => {
      if (el.is('features', NS_STREAM)) this.#versioning = !!el.getChild('ver', NS_ROSTERVER);
    });
    conn.xmpp.iqCallee.set(NS.roster, 'query', async ({ stanza }) => {
      if (!isTrustedRosterPush(stanza, self)) {
        debug('dropped roster push from', stanza.attrs.from);
        return forbidden();
      }
      const query = stanza.getChild('query', NS.roster);
      // RFC 6121 §2.1.6: a push carries exactly one item.
      const items = query?.getChildren('item') ?? [];
      const change = items.length === 1 ? parseRosterItem(items[0]!, self) : null;
      if (change) await applyRosterItem(db, change, this.#versioning ? query?.attrs.ver : undefined);
      return {};
    });
  }

  /**
   * Fetches the roster, or with versioning only learns it has not changed since the
   * store's copy (then the result is empty and any changes come as pushes).
   * Resolves `full` or `unchanged`; a failure leaves the store as it was.
   */
  async fetch(): Promise<'full' | 'unchanged' | 'failed'> {
    try {
      const ver = this.#versioning ? ((await getMeta<string>(this.db, ROSTER_VER_KEY)) ?? '') : undefined;
      const result = await this.conn.request(xml('iq', { type: 'get' }, xml('query', ver === undefined ? { xmlns: NS.roster } : { xmlns: NS.roster, ver })));
      const query = result.getChild('query', NS.roster);
      if (!query) return 'unchanged';
      const contacts = query
        .getChildren('item')
        .map((item) => parseRosterItem(item, this.self))
        .filter((c): c is ContactRecord => c !== null && !('remove' in c));
      await replaceContacts(this.db, contacts, this.#versioning ? query.attrs.ver : undefined);
      return 'full';
    } catch (err) {
      debug('roster fetch failed', err);
      return 'failed';
    }
  }

  /** Adds or updates a roster item; resolves when the server accepted it (the push updates the store). */
  async set(jid: string, item: { name?: string; groups?: readonly string[] } | 'remove'): Promise<void> {
    await this.conn.request(buildRosterSet(jid, item));
  }
}
