// @web/test-runner plugin: server commands that let browser tests run real Prosody servers.
// Browser side: test/support/server.ts (executeServerCommand from @web/test-runner-commands).
//
//   ck-prosody-start   {testkit?}              -> {id, domain, mucDomain, uploadDomain, service, httpBase, c2sPort}
//   ck-prosody-stop    {id}                    -> {ok: true}
//   ck-prosody-restart {id}                    -> same as start (same ports, same data)
//   ck-prosody-kill    {id}                    -> {ok: true}   (SIGKILL; restart() works afterwards)
//   ck-prosody-users   {id, users}             -> {ok, created, updated}
//   ck-prosody-friends {id, pairs, names?, group?} -> {ok, pairs}
//
// Every server started by a run is stopped when the run ends (serverStop), and the servers a
// test file started are stopped as soon as that file finishes (releaseSessions, called by the
// summary reporter), so a file that forgets stopServer() does not keep Prosody running.

import { startProsody } from '../prosody.mjs';

function requireString(payload, key) {
  const value = payload && typeof payload === 'object' ? payload[key] : undefined;
  if (typeof value !== 'string' || value === '') throw new Error(`payload.${key} must be a non-empty string`);
  return value;
}

export function prosodyPlugin() {
  /** @type {Map<string, { server: Awaited<ReturnType<typeof startProsody>>, owner: string | undefined }>} */
  const servers = new Map();

  function get(payload) {
    const id = requireString(payload, 'id');
    const entry = servers.get(id);
    if (!entry) throw new Error(`no running Prosody server with id ${id}`);
    return entry.server;
  }

  async function stopEntry(id) {
    const entry = servers.get(id);
    if (!entry) return;
    servers.delete(id);
    await entry.server.stop();
  }

  const commands = {
    async 'ck-prosody-start'(payload, session) {
      const testkit = payload && typeof payload === 'object' && payload.testkit === false ? false : true;
      const server = await startProsody({ testkit });
      servers.set(server.id, { server, owner: session?.id });
      return server.info();
    },
    async 'ck-prosody-stop'(payload) {
      await stopEntry(requireString(payload, 'id'));
      return { ok: true };
    },
    async 'ck-prosody-restart'(payload) {
      const server = get(payload);
      await server.restart();
      return server.info();
    },
    async 'ck-prosody-kill'(payload) {
      await get(payload).kill();
      return { ok: true };
    },
    async 'ck-prosody-users'(payload) {
      const server = get(payload);
      if (!Array.isArray(payload.users)) throw new Error('payload.users must be an array');
      return server.createUsers(payload.users);
    },
    async 'ck-prosody-friends'(payload) {
      const server = get(payload);
      if (!Array.isArray(payload.pairs)) throw new Error('payload.pairs must be an array of [a, b]');
      const options = {};
      if (payload.names && typeof payload.names === 'object') options.names = payload.names;
      if (typeof payload.group === 'string') options.group = payload.group;
      return server.befriend(payload.pairs, options);
    },
    async 'ck-prosody-archive'(payload) {
      const server = get(payload);
      const { owner, peer, count, start, direction, prefix } = payload;
      return server.seedArchive({ owner: String(owner), peer: String(peer), count: Number(count), start, direction, prefix });
    },
  };

  return {
    name: 'ck-prosody',

    async executeCommand({ command, payload, session }) {
      const handler = commands[command];
      if (!handler) return undefined; // not ours: let other plugins answer
      return handler(payload, session);
    },

    /** Stops the servers started by these (finished) test sessions. */
    async releaseSessions(sessionIds) {
      const ids = new Set(sessionIds);
      const leaked = [...servers].filter(([, entry]) => entry.owner && ids.has(entry.owner)).map(([id]) => id);
    if (leaked.length > 0 && process.env.CK_DEBUG_PROSODY) {
      console.log(`[ck-prosody] stopping ${leaked.join(', ')}: their test file finished without stopServer()`);
    }
      await Promise.all(leaked.map((id) => stopEntry(id).catch((err) => console.error(err))));
    },

    async serverStop() {
      await Promise.all([...servers.keys()].map((id) => stopEntry(id).catch((err) => console.error(err))));
    },
  };
}
