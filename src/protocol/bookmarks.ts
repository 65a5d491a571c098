import { xml, type Element } from '@xmpp/client';
import type { Connection } from './connection.js';
import { bareJid, isValidBareJid } from './jid.js';
import { NS } from './ns.js';

/**
 * The user's groups on the server (XEP-0402 PEP native bookmarks), so every device
 * and every new store finds the groups the user is in, including those they created
 * (nobody invited them).
 */
const BOOKMARKS = 'urn:xmpp:bookmarks:1';
const PUBSUB = 'http://jabber.org/protocol/pubsub';
const MAX_NAME_CHARS = 256;

export interface Bookmark {
  room: string;
  name?: string;
  autojoin: boolean;
}

/** The user's bookmarks; empty when there are none (or the server keeps none). */
export async function fetchBookmarks(conn: Connection): Promise<Bookmark[]> {
  let result: Element;
  try {
    result = await conn.request(xml('iq', { type: 'get' }, xml('pubsub', { xmlns: PUBSUB }, xml('items', { node: BOOKMARKS }))));
  } catch (err) {
    if ((err as { condition?: string }).condition === 'item-not-found') return [];
    throw err;
  }
  const items = result.getChild('pubsub', PUBSUB)?.getChild('items')?.getChildren('item') ?? [];
  return items.flatMap((item) => {
    const room = item.attrs.id ? bareJid(item.attrs.id) : '';
    const conference = item.getChild('conference', BOOKMARKS);
    if (!conference || !isValidBareJid(room) || !room.includes('@')) return [];
    const b: Bookmark = { room, autojoin: conference.attrs.autojoin === 'true' || conference.attrs.autojoin === '1' };
    const name = conference.attrs.name?.trim();
    if (name) b.name = name.slice(0, MAX_NAME_CHARS);
    return [b];
  });
}

/** Adds (or updates) a group in the user's bookmarks, private to the user, joined automatically. */
export async function publishBookmark(conn: Connection, room: string, name: string | undefined, nick: string): Promise<void> {
  const option = (v: string, value: string): Element => xml('field', { var: v }, xml('value', {}, value));
  await conn.request(
    xml(
      'iq',
      { type: 'set' },
      xml(
        'pubsub',
        { xmlns: PUBSUB },
        xml(
          'publish',
          { node: BOOKMARKS },
          xml('item', { id: room }, xml('conference', { xmlns: BOOKMARKS, autojoin: 'true', ...(name ? { name } : {}) }, xml('nick', {}, nick))),
        ),
        xml(
          'publish-options',
          {},
          xml(
            'x',
            { xmlns: NS.dataForms, type: 'submit' },
            xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, `${PUBSUB}#publish-options`)),
            option('pubsub#persist_items', 'true'),
            option('pubsub#max_items', 'max'),
            option('pubsub#send_last_published_item', 'never'),
            option('pubsub#access_model', 'whitelist'),
          ),
        ),
      ),
    ),
  );
}

export async function retractBookmark(conn: Connection, room: string): Promise<void> {
  await conn.request(
    xml('iq', { type: 'set' }, xml('pubsub', { xmlns: PUBSUB }, xml('retract', { node: BOOKMARKS, notify: 'true' }, xml('item', { id: room })))),
  );
}
