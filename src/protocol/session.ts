import { xml } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { Connection } from './connection.js';
import { ChatModule, type ChatOptions } from './chat.js';
import { debug } from './log.js';
import type { Self } from './message.js';
import { NS } from './ns.js';
import { PresenceModule } from './presence.js';
import { RosterModule } from './roster.js';
import { BlockingModule } from './blocking.js';
import { LastActivity } from './last.js';
import { MucModule } from './muc.js';
import { OpsModule } from './ops.js';

export interface Session {
  chat: ChatModule;
  roster: RosterModule;
  presence: PresenceModule;
  blocking: BlockingModule;
  last: LastActivity;
  muc: MucModule;
  /** The outbox of changes (corrections, recalls, reactions). */
  ops: OpsModule;
}

export interface SessionOptions extends ChatOptions {
  /** The MUC service (the kit's `mucDomain`); discovered when absent. */
  mucService?: string;
}

/**
 * Wires every protocol module to one connection and store, and runs the start-up
 * of each new session in the order that keeps the store exact: roster and carbons,
 * then the archive catch-up, initial presence, a second catch-up for what arrived
 * in between, and the group rooms. A resumed session needs none of it, unless the
 * start-up itself was cut short: then it runs again.
 */
export function setupSession(conn: Connection, db: ChatDB, self: Self, options: SessionOptions): Session {
  const blocking = new BlockingModule(conn, db, self);
  const isBlocked = (userId: string): boolean => blocking.isBlocked(userId);
  const { mucService, ...chatOptions } = options;
  // Group messages and invitations pass through the chat module's outbox and pipeline.
  // A room becoming joined (or an echo a reply waits for) drains both outboxes: messages, then changes.
  const drainAll = (): void => void ops.drain();
  const muc = new MucModule(conn, db, self, { viewing: options.viewing, drain: drainAll, service: mucService, serialize: options.serialize, filter: options.filter, isBlocked });
  const chat = new ChatModule(conn, db, self, {
    ...chatOptions,
    isBlocked,
    route: (m) => muc.route(m),
    onInvites: (invites) => muc.onInvites(invites),
  });
  // Changes go out after the messages they change (ops drains the message outbox first).
  const ops = new OpsModule(conn, db, { afterMessages: () => chat.drain(), readiness: (id) => muc.readiness(id) });
  const roster = new RosterModule(conn, db, self);
  const presence = new PresenceModule(conn, db, self, { isBlocked });
  const last = new LastActivity(conn, db);
  // Start-up of the current session: done, or to be (re)run. A drop in the middle of it
  // (say, before presence went out) must not leave a resumed session half set up:
  // the server would then treat us as unavailable and park every message offline.
  let startupDone = false;
  let generation = 0;
  let running = false;
  const startup = async (): Promise<void> => {
    const gen = ++generation;
    running = true;
    // Live messages wait until the archive has filled the gap, so they land after it in order.
    chat.holdLive(true);
    try {
      // The block list comes before the archive catch-up, which drops blocked users' messages.
      await Promise.allSettled([roster.fetch(), enableCarbons(conn), blocking.fetch()]);
      await chat.archive.catchUp();
      await presence.start();
      // A client that queried the archive gets no offline-storage flush (Prosody's
      // mod_mam suppresses it), so what arrived between the query and our presence is
      // fetched once more; from now on messages come live.
      await chat.archive.catchUp();
      if (gen === generation) startupDone = true;
    } catch (err) {
      debug('session start-up interrupted; it runs again when the session is back', err);
    } finally {
      if (gen === generation) {
        running = false;
        chat.holdLive(false);
      }
    }
    if (gen !== generation || !startupDone) return;
    // Groups last: re-join every room (the rooms' own archives fill their gaps).
    await muc.start().catch((err: unknown) => debug('group start-up failed', err));
  };
  conn.on('session', (resumed) => {
    if (!resumed) {
      startupDone = false;
      void startup();
    } else if (!startupDone && !running) {
      void startup();
    }
  });
  return { chat, roster, presence, blocking, last, muc, ops };
}

/** XEP-0280: copies of what this account sends and receives on its other devices. */
async function enableCarbons(conn: Connection): Promise<void> {
  try {
    await conn.request(xml('iq', { type: 'set' }, xml('enable', { xmlns: NS.carbons })));
  } catch (err) {
    debug('carbons not enabled', err);
  }
}
