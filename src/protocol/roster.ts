import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { ContactRecord, Subscription } from '../store/records.js';
import { applyRosterItem, replaceContacts } from '../store/contacts.js';
import type { Connection } from './connection.js';
import { bareJid, isValidBareJid, toUserId } from './jid.js';
import { debug } from './log.js';
import { NS } from './ns.js';
import type { Self } from './message.js';

const SUBSCRIPTIONS = new Set<Subscription>(['none', 'to', 'from', 'both']);
const MAX_GROUPS = 32;

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
      .map((g) => g.text().slice(0, 256))
      .filter(Boolean),
  };
  const name = item.attrs.name?.trim();
  if (name) contact.name = name.slice(0, 256);
  if (item.attrs.ask === 'subscribe') contact.ask = true;
  return contact;
}

/** RFC 6121 §2.1.6: a push is believed only from the server side of our own account. */
export function isTrustedRosterPush(stanza: Element, self: Self): boolean {
  const from = stanza.attrs.from;
  return !from || bareJid(from) === self.jid;
}

/** Applies roster pushes (the full roster is fetched by the session start-up). */
export function setupRoster(conn: Connection, db: ChatDB, self: Self): void {
  conn.xmpp.iqCallee.set(NS.roster, 'query', async ({ stanza }) => {
    if (!isTrustedRosterPush(stanza, self)) {
      debug('dropped roster push from', stanza.attrs.from);
      throw Object.assign(new Error('forbidden'), { condition: 'forbidden' });
    }
    for (const item of stanza.getChild('query', NS.roster)?.getChildren('item') ?? []) {
      const change = parseRosterItem(item, self);
      if (change) await applyRosterItem(db, change);
    }
    return {};
  });
}

export async function fetchRoster(conn: Connection, db: ChatDB, self: Self): Promise<void> {
  try {
    const result = await conn.request(xml('iq', { type: 'get' }, xml('query', { xmlns: NS.roster })));
    const items = result.getChild('query', NS.roster)?.getChildren('item') ?? [];
    const contacts = items
      .map((item) => parseRosterItem(item, self))
      .filter((c): c is ContactRecord => c !== null && !('remove' in c));
    await replaceContacts(db, contacts);
  } catch (err) {
    debug('roster fetch failed', err);
  }
}
