import { xml } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { Connection } from './connection.js';
import { ChatModule, type ChatOptions } from './chat.js';
import { debug } from './log.js';
import type { Self } from './message.js';
import { NS } from './ns.js';
import { sendInitialPresence, setupPresence } from './presence.js';
import { fetchRoster, setupRoster } from './roster.js';

export interface Session {
  chat: ChatModule;
}

/**
 * Wires every protocol module to one connection and store, and runs the start-up
 * of each new session in the order that keeps the store exact: roster and carbons,
 * then the archive catch-up, initial presence, and a second catch-up for what arrived
 * in between. A resumed session needs none of it: nothing was lost.
 */
export function setupSession(conn: Connection, db: ChatDB, self: Self, options: ChatOptions): Session {
  const chat = new ChatModule(conn, db, self, options);
  setupRoster(conn, db, self);
  setupPresence(conn, db, self);
  conn.on('session', (resumed) => {
    if (resumed) return;
    void (async () => {
      await Promise.allSettled([fetchRoster(conn, db, self), enableCarbons(conn)]);
      await chat.archive.catchUp().catch((err: unknown) => debug('archive catch-up failed', err));
      await sendInitialPresence(conn).catch((err: unknown) => debug('presence not sent', err));
      // A client that queried the archive gets no offline-storage flush (Prosody's
      // mod_mam suppresses it), so what arrived between the query and our presence is
      // fetched once more; from now on messages come live.
      await chat.archive.catchUp().catch((err: unknown) => debug('archive catch-up failed', err));
    })();
  });
  return { chat };
}

/** XEP-0280: copies of what this account sends and receives on its other devices. */
async function enableCarbons(conn: Connection): Promise<void> {
  try {
    await conn.request(xml('iq', { type: 'set' }, xml('enable', { xmlns: NS.carbons })));
  } catch (err) {
    debug('carbons not enabled', err);
  }
}
