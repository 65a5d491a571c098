import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import { setLastSeen } from '../store/contacts.js';
import type { Connection } from './connection.js';
import { debug } from './log.js';

export const NS_LAST = 'jabber:iq:last';
/** More than ten years offline is not a time anyone shows; treat it as unknown. */
const MAX_SECONDS = 10 * 365 * 24 * 3600;
const CONCURRENCY = 4;

/**
 * When an offline contact was last online, from a XEP-0012 result: `now` minus the
 * seconds. Null when unknown: an error, a malformed value, or 0 (servers answer 0 when
 * they have no record, and for someone online).
 */
export function parseLastActivity(result: Element, now = Date.now()): number | null {
  const seconds = Number(result.getChild('query', NS_LAST)?.attrs.seconds);
  if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_SECONDS) return null;
  return now - seconds * 1000;
}

/**
 * Last-seen times for offline contacts, asked at most once per id per session and a
 * few at a time (a long offline list must not flood the server).
 */
export class LastActivity {
  #asked = new Set<string>();
  #queue: Array<{ id: string; jid: string }> = [];
  #running = 0;

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
  ) {
    conn.on('session', (resumed) => {
      if (!resumed) this.#asked.clear();
    });
  }

  request(users: Iterable<{ id: string; jid: string }>): void {
    for (const u of users) {
      if (this.#asked.has(u.id)) continue;
      this.#asked.add(u.id);
      this.#queue.push(u);
    }
    while (this.#running < CONCURRENCY && this.#queue.length) void this.#next();
  }

  async #next(): Promise<void> {
    const u = this.#queue.shift();
    if (!u) return;
    this.#running++;
    try {
      if (this.conn.status !== 'online') {
        this.#asked.delete(u.id);
        return;
      }
      const seen = parseLastActivity(await this.conn.request(xml('iq', { type: 'get', to: u.jid }, xml('query', { xmlns: NS_LAST })), 10_000));
      if (seen !== null) await setLastSeen(this.db, u.id, seen);
    } catch (err) {
      debug('last activity unknown for', u.id, err);
    } finally {
      this.#running--;
      if (this.#queue.length) void this.#next();
    }
  }
}
