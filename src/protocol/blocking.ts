import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { BlockedRecord } from '../store/records.js';
import { addBlocked, blockedIds, isBlockedId, removeBlocked, replaceBlocked } from '../store/contacts.js';
import { markConversationRead } from '../store/messages.js';
import type { Connection } from './connection.js';
import { bareJid, isValidBareJid, toUserId } from './jid.js';
import { debug } from './log.js';
import type { Self } from './message.js';
import { forbidden, isTrustedRosterPush } from './roster.js';

export const NS_BLOCKING = 'urn:xmpp:blocking';
/** A block list longer than this is cut: the store must not grow without bound. */
const MAX_ITEMS = 10_000;

/** The <item jid/> children of a blocklist, block or unblock element, as records. */
export function parseBlockItems(el: Element | undefined, self: Self): BlockedRecord[] {
  const out: BlockedRecord[] = [];
  for (const item of el?.getChildren('item').slice(0, MAX_ITEMS) ?? []) {
    const jid = item.attrs.jid ? bareJid(item.attrs.jid) : '';
    if (isValidBareJid(jid, true)) out.push({ id: toUserId(jid, self.domain), jid });
  }
  return out;
}

/**
 * XEP-0191 blocking: the list lives on the server (which then drops the blocked
 * users' stanzas), mirrored in the store and in memory so messages from blocked
 * users that still arrive (archive pages, a server without the feature) are dropped
 * at ingest too.
 */
export class BlockingModule {
  #blocked = new Set<string>();
  #fetched = false;
  readonly ready: Promise<void>;

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly self: Self,
  ) {
    this.ready = blockedIds(db)
      .then((ids) => {
        // The server's answer, when it came first, is newer than the store's copy.
        if (!this.#fetched) ids.forEach((id) => this.#blocked.add(id));
      })
      .catch((err: unknown) => debug('block list not loaded', err));
    for (const name of ['block', 'unblock'] as const) {
      conn.xmpp.iqCallee.set(NS_BLOCKING, name, async ({ stanza }) => {
        if (!isTrustedRosterPush(stanza, self)) return forbidden();
        const el = stanza.getChild(name, NS_BLOCKING);
        const items = parseBlockItems(el, self);
        if (name === 'block') await this.#added(items);
        // An <unblock/> without items empties the list.
        else await this.#removed(items.length || !el ? items.map((i) => i.id) : [...this.#blocked]);
        return {};
      });
    }
  }

  isBlocked(userId: string): boolean {
    return isBlockedId(this.#blocked, userId);
  }

  /** Fetches the list from the server into the store (a new session may have missed pushes). */
  async fetch(): Promise<void> {
    try {
      const result = await this.conn.request(xml('iq', { type: 'get' }, xml('blocklist', { xmlns: NS_BLOCKING })));
      const items = parseBlockItems(result.getChild('blocklist', NS_BLOCKING), this.self);
      this.#blocked = new Set(items.map((i) => i.id));
      this.#fetched = true;
      await replaceBlocked(this.db, items);
    } catch (err) {
      debug('block list not fetched', err);
    }
  }

  async block(jid: string): Promise<void> {
    await this.conn.request(xml('iq', { type: 'set' }, xml('block', { xmlns: NS_BLOCKING }, xml('item', { jid }))));
    await this.#added([{ id: toUserId(jid, this.self.domain), jid }]);
  }

  async unblock(jid: string): Promise<void> {
    await this.conn.request(xml('iq', { type: 'set' }, xml('unblock', { xmlns: NS_BLOCKING }, xml('item', { jid }))));
    await this.#removed([toUserId(jid, this.self.domain)]);
  }

  async #added(items: BlockedRecord[]): Promise<void> {
    items.forEach((i) => this.#blocked.add(i.id));
    await addBlocked(this.db, items);
    // Their unread messages are hidden now; a badge counting them would point at nothing.
    for (const i of items) if (i.jid.includes('@')) await markConversationRead(this.db, i.jid);
  }

  async #removed(ids: string[]): Promise<void> {
    ids.forEach((id) => this.#blocked.delete(id));
    await removeBlocked(this.db, ids);
  }
}
