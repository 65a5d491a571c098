// Browser-side helpers for tests that need a real XMPP server.
// Each call goes to the test runner (Node) through a server command handled by
// scripts/wtr/prosody-plugin.mjs, which runs Prosody with scripts/prosody.mjs.
//
//   const server = await startServer();
//   const [alice, bob] = await createUsers(server, 2);
//   await befriend(server, alice, bob);
//   ... connect to server.service as alice.jid / alice.password ...
//   await stopServer(server);

import { executeServerCommand } from '@web/test-runner-commands';

/** A running Prosody, as seen from the browser. */
export interface ServerHandle {
  /** Server id for the commands. */
  readonly id: string;
  /** XMPP domain of the users ('localhost'). */
  readonly domain: string;
  /** MUC service ('conference.localhost'). */
  readonly mucDomain: string;
  /** HTTP upload service ('upload.localhost'). */
  readonly uploadDomain: string;
  /** WebSocket URL, e.g. 'ws://127.0.0.1:40123/xmpp-websocket'. */
  readonly service: string;
  /** HTTP base URL, e.g. 'http://127.0.0.1:40123'. */
  readonly httpBase: string;
  /** Plain (non-TLS) client-to-server TCP port. */
  readonly c2sPort: number;
}

export interface TestUser {
  /** JID local part (also the chatkit user id). */
  readonly username: string;
  readonly password: string;
  /** Bare JID, e.g. 'u1x2y3@localhost'. */
  readonly jid: string;
}

export interface StartServerOptions {
  /** Load the ck-testkit seeding API (default true; createUsers/befriend need it). */
  readonly testkit?: boolean;
}

export interface BefriendOptions {
  /** Roster names: username -> the name the other side sees. */
  readonly names?: Readonly<Record<string, string>>;
  /** Roster group for both items. */
  readonly group?: string;
}

interface OkResult {
  readonly ok: boolean;
}

function command<R>(name: string, payload: object): Promise<R> {
  return executeServerCommand<R, object>(name, payload);
}

/** Starts a fresh Prosody (free loopback ports, empty temp data dir). */
export function startServer(options: StartServerOptions = {}): Promise<ServerHandle> {
  return command<ServerHandle>('ck-prosody-start', { testkit: options.testkit ?? true });
}

/** Stops the server and deletes its data. Safe to call twice. */
export async function stopServer(server: ServerHandle): Promise<void> {
  await command<OkResult>('ck-prosody-stop', { id: server.id });
}

/** Graceful stop, then start again on the same ports with the same data (accounts persist). */
export function restartServer(server: ServerHandle): Promise<ServerHandle> {
  return command<ServerHandle>('ck-prosody-restart', { id: server.id });
}

/**
 * SIGKILL: connections drop without a stream close and no session survives (no XEP-0198
 * resumption). The data dir stays: restartServer() brings the server back.
 */
export async function killServer(server: ServerHandle): Promise<void> {
  await command<OkResult>('ck-prosody-kill', { id: server.id });
}

function randomSuffix(): string {
  const bytes = new Uint8Array(6);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => (b % 36).toString(36)).join('');
}

/**
 * Creates `count` accounts with unique random usernames (`<prefix><random>`), so tests never
 * share accounts (or IndexedDB stores keyed by account).
 */
export async function createUsers(server: ServerHandle, count: number, prefix = 'u'): Promise<TestUser[]> {
  const users: TestUser[] = [];
  const base = `${prefix.toLowerCase()}${Date.now().toString(36)}`;
  for (let i = 0; i < count; i++) {
    const username = `${base}${randomSuffix()}${i}`;
    users.push({ username, password: `pw-${randomSuffix()}`, jid: `${username}@${server.domain}` });
  }
  await command<OkResult>('ck-prosody-users', {
    id: server.id,
    users: users.map(({ username, password }) => ({ username, password })),
  });
  return users;
}

/** Makes `a` and `b` mutual contacts (subscription "both" on both rosters). */
export async function befriend(
  server: ServerHandle,
  a: TestUser | string,
  b: TestUser | string,
  options: BefriendOptions = {},
): Promise<void> {
  const name = (u: TestUser | string): string => (typeof u === 'string' ? u : u.username);
  await command<OkResult>('ck-prosody-friends', {
    id: server.id,
    pairs: [[name(a), name(b)]],
    ...(options.names ? { names: options.names } : {}),
    ...(options.group ? { group: options.group } : {}),
  });
}

export interface ArchiveSeed {
  /** Whose archive gets the messages. */
  readonly owner: TestUser;
  readonly peer: TestUser;
  readonly count: number;
  /** Unix seconds of the first message (one second apart); default: `count` seconds ago. */
  readonly start?: number;
  /** `in`: peer to owner (default); `out`: owner to peer; `both`: alternating. */
  readonly direction?: 'in' | 'out' | 'both';
  /** Bodies are `<prefix> <i>`, i from 0. */
  readonly prefix?: string;
}

/**
 * Writes messages straight into a user's archive (no live traffic, nothing kept as offline
 * messages): history a new device can only page in.
 */
export async function seedArchive(server: ServerHandle, seed: ArchiveSeed): Promise<void> {
  await command<OkResult>('ck-prosody-archive', {
    id: server.id,
    owner: seed.owner.username,
    peer: seed.peer.username,
    count: seed.count,
    ...(seed.start !== undefined ? { start: seed.start } : {}),
    ...(seed.direction ? { direction: seed.direction } : {}),
    ...(seed.prefix ? { prefix: seed.prefix } : {}),
  });
}
