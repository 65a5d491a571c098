import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { PresenceRecord, PresenceShow } from '../store/records.js';
import { putPresence } from '../store/contacts.js';
import type { Connection } from './connection.js';
import { bareJid, toUserId } from './jid.js';
import type { Self } from './message.js';

const SHOWS = new Set(['away', 'dnd', 'xa', 'chat']);
const MAX_STATUS_CHARS = 1024;

/** A contact's availability from a <presence/>; null for subscription traffic and others' MUC presence. */
export function parsePresence(stanza: Element, self: Self, now = Date.now()): PresenceRecord | null {
  if (!stanza.is('presence') || !stanza.attrs.from) return null;
  const type = stanza.attrs.type;
  if (type && type !== 'unavailable') return null;
  if (stanza.getChild('x', 'http://jabber.org/protocol/muc#user')) return null;
  const from = bareJid(stanza.attrs.from);
  if (from === self.jid) return null;
  let show: PresenceShow = 'offline';
  if (type !== 'unavailable') {
    const s = stanza.getChildText('show') ?? '';
    show = SHOWS.has(s) ? (s === 'chat' ? 'online' : (s as PresenceShow)) : 'online';
  }
  const record: PresenceRecord = { id: toUserId(from, self.domain), show, updatedAt: now };
  const status = stanza.getChildText('status');
  if (status) record.status = status.slice(0, MAX_STATUS_CHARS);
  return record;
}

/** Our initial presence: makes us available (and releases messages held in offline storage). */
export function sendInitialPresence(conn: Connection): Promise<void> {
  return conn.send(xml('presence'));
}

/** Tracks contacts' availability in the store. */
export function setupPresence(conn: Connection, db: ChatDB, self: Self): void {
  conn.on('stanza', (stanza) => {
    const record = parsePresence(stanza, self);
    if (record) void putPresence(db, record);
  });
}
