#!/usr/bin/env node
// Real Prosody servers for tests and the demo (Node ESM module and CLI).
//
//   import { startProsody, DEMO_USERS } from './scripts/prosody.mjs';
//   const server = await startProsody();            // free loopback ports, temp data dir
//   await server.createUsers([{ username: 'alice', password: 'alice-pass' }]);
//   await server.befriend([['alice', 'bob']], { names: { alice: 'Alice' } });
//   ... server.service (ws://127.0.0.1:PORT/xmpp-websocket) ...
//   await server.stop();
//
//   node scripts/prosody.mjs demo    # fixed ports (CK_HTTP_PORT=5380, CK_C2S_PORT=5322),
//                                    # users alice/bob/carol (password: <name>-pass), friends
//   node scripts/prosody.mjs start   # same ports, no users
//   node scripts/prosody.mjs stop    # stops a `demo`/`start` process on CK_HTTP_PORT
//
// Config: scripts/prosody/prosody.cfg.lua (loopback only). Nothing is written into the repo:
// data, logs and pid files live in a temp dir removed by stop().

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const CONFIG_DIR = path.join(HERE, 'prosody');
export const CONFIG_FILE = path.join(CONFIG_DIR, 'prosody.cfg.lua');
export const DOMAIN = 'localhost';
export const MUC_DOMAIN = 'conference.localhost';
export const UPLOAD_DOMAIN = 'upload.localhost';
export const DEMO_HTTP_PORT = 5380;
export const DEMO_C2S_PORT = 5322;
/**
 * Secret shared by mod_ck_signature (signed group actions) and the app server, unless
 * CK_SIGNATURE_SECRET is set. Public and fixed: for tests and the demo only.
 */
export const TEST_SIGNATURE_SECRET = 'xmpp-chatkit-test-secret';

/** The signature secret the servers started here use. */
export function signatureSecret() {
  return process.env.CK_SIGNATURE_SECRET || TEST_SIGNATURE_SECRET;
}

/** Demo accounts: password is the username + "-pass"; all three are mutual friends. */
export const DEMO_USERS = Object.freeze([
  Object.freeze({ username: 'alice', password: 'alice-pass', name: 'Alice Liddell' }),
  Object.freeze({ username: 'bob', password: 'bob-pass', name: 'Bob Builder' }),
  Object.freeze({ username: 'carol', password: 'carol-pass', name: 'Carol Danvers' }),
]);

const PROSODY_BIN = process.env.CK_PROSODY_BIN || 'prosody';
const READY_TIMEOUT_MS = 15_000;
const STOP_GRACE_MS = 5_000;

// ------------------------------------------------------------------------------------------
// Child-process bookkeeping: no Prosody outlives this Node process.

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();
/** Temp data dirs of servers not yet stopped (removed at exit). @type {Set<string>} */
const ownedDirs = new Set();
let exitHooksInstalled = false;

/** Last-resort cleanup, synchronous (safe in 'exit' and signal handlers). */
function cleanupSync() {
  for (const child of children) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
  children.clear();
  for (const dir of ownedDirs) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      /* best effort */
    }
  }
  ownedDirs.clear();
}

function installExitHooks() {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', cleanupSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    const onSignal = () => {
      cleanupSync();
      // If nobody else handles this signal, behave like the default (terminate by it).
      if (process.listenerCount(signal) <= 1) {
        process.off(signal, onSignal);
        process.kill(process.pid, signal);
      }
    };
    process.on(signal, onSignal);
  }
}

// setpriv --pdeathsig makes the kernel kill Prosody even if Node itself is SIGKILLed.
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
let setprivWorks;
function canUseSetpriv() {
  if (setprivWorks === undefined) {
    setprivWorks =
      !!SETPRIV && spawnSync(SETPRIV, ['--pdeathsig', 'SIGKILL', 'true'], { stdio: 'ignore' }).status === 0;
  }
  return setprivWorks;
}

// ------------------------------------------------------------------------------------------
// Ports

const handedOutPorts = new Set();

/** A free TCP port on 127.0.0.1 that this process has not handed out before. */
export async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await new Promise((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.on('error', reject);
      srv.listen({ port: 0, host: '127.0.0.1', exclusive: true }, () => {
        const { port: p } = /** @type {import('node:net').AddressInfo} */ (srv.address());
        srv.close(() => resolve(p));
      });
    });
    if (!handedOutPorts.has(port)) {
      handedOutPorts.add(port);
      return port;
    }
  }
  throw new Error('could not find a free loopback port');
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.unref();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

// ------------------------------------------------------------------------------------------
// Tiny HTTP client (no pooling: the server may be killed at any time)

/**
 * @param {string} url
 * @param {{ method?: string, body?: unknown, timeoutMs?: number }} [opts]
 * @returns {Promise<{ status: number, text: string }>}
 */
function request(url, { method = 'GET', body, timeoutMs = 5_000 } = {}) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          connection: 'close',
          ...(data ? { 'content-type': 'application/json', 'content-length': String(data.length) } : {}),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${url}`)));
    req.on('error', reject);
    req.end(data);
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------------------------------
// The server handle

let nextId = 1;

/**
 * @typedef {{ username: string, password: string }} UserSpec
 * @typedef {{ names?: Record<string, string>, group?: string }} FriendOptions
 * @typedef {{ httpPort?: number, c2sPort?: number, testkit?: boolean, dataDir?: string, keepDataDir?: boolean }} StartOptions
 */

class ProsodyServer {
  /** @param {{ httpPort: number, c2sPort: number, testkit: boolean, dataDir: string, ownsDataDir: boolean }} o */
  constructor(o) {
    this.id = `prosody-${process.pid}-${nextId++}`;
    this.domain = DOMAIN;
    this.mucDomain = MUC_DOMAIN;
    this.uploadDomain = UPLOAD_DOMAIN;
    this.httpPort = o.httpPort;
    this.c2sPort = o.c2sPort;
    this.testkit = o.testkit;
    this.dataDir = o.dataDir;
    this.ownsDataDir = o.ownsDataDir;
    this.httpBase = `http://127.0.0.1:${o.httpPort}`;
    this.service = `ws://127.0.0.1:${o.httpPort}/xmpp-websocket`;
    /** @type {import('node:child_process').ChildProcess | null} */
    this.child = null;
    /** @type {Promise<void> | null} */
    this.exited = null;
    this.output = '';
    this.stopped = false;
    if (o.ownsDataDir) ownedDirs.add(o.dataDir);
  }

  /** JSON-safe description (what the browser tests receive). */
  info() {
    return {
      id: this.id,
      domain: this.domain,
      mucDomain: this.mucDomain,
      uploadDomain: this.uploadDomain,
      service: this.service,
      httpBase: this.httpBase,
      c2sPort: this.c2sPort,
      // Tests play the app server: they sign group actions with it.
      signatureSecret: signatureSecret(),
    };
  }

  get running() {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null;
  }

  logTail(max = 4000) {
    try {
      const log = readFileSync(path.join(this.dataDir, 'prosody.log'), 'utf8');
      return log.slice(-max);
    } catch {
      return '';
    }
  }

  async _spawn() {
    if (this.stopped) throw new Error(`${this.id} was stopped`);
    if (this.running) throw new Error(`${this.id} is already running`);
    // A busy port would make the readiness probe talk to someone else's server.
    for (const port of [this.httpPort, this.c2sPort]) {
      if (!(await portIsFree(port))) throw new Error(`Prosody could not bind: 127.0.0.1:${port} is in use`);
    }
    installExitHooks();
    const env = {
      ...process.env,
      CK_DATA_DIR: this.dataDir,
      CK_HTTP_PORT: String(this.httpPort),
      CK_C2S_PORT: String(this.c2sPort),
      CK_TESTKIT: this.testkit ? '1' : '0',
      CK_PLUGIN_DIR: CONFIG_DIR,
      CK_SIGNATURE_SECRET: signatureSecret(),
    };
    const args = ['--config', CONFIG_FILE, '-F'];
    const [cmd, argv] = canUseSetpriv()
      ? [SETPRIV, ['--pdeathsig', 'SIGKILL', '--', PROSODY_BIN, ...args]]
      : [PROSODY_BIN, args];
    this.output = '';
    const child = spawn(cmd, argv, { env, cwd: this.dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    children.add(child);
    const keep = (chunk) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-8000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    this.exited = new Promise((resolve) => {
      child.once('exit', () => {
        children.delete(child);
        resolve();
      });
      child.once('error', (err) => {
        keep(Buffer.from(`\nspawn error: ${err.message}\n`));
        children.delete(child);
        resolve();
      });
    });
    try {
      await this._waitReady();
    } catch (err) {
      await this._terminate();
      throw err;
    }
  }

  async _waitReady() {
    const deadline = Date.now() + READY_TIMEOUT_MS;
    const probe = this.testkit ? `${this.httpBase}/ck-testkit/` : `${this.httpBase}/xmpp-websocket`;
    let lastError = '';
    while (Date.now() < deadline) {
      if (!this.running) break;
      try {
        const res = await request(probe, { timeoutMs: 1_000 });
        const ours = this.testkit ? res.text.includes('"host":"localhost"') : res.text.includes('Prosody');
        if (res.status === 200 && ours) {
          const log = this.logTail(20_000);
          if (/Failed to open server port/.test(log)) {
            throw new Error(`Prosody could not bind its ports:\n${log}`);
          }
          return;
        }
        lastError = `HTTP ${res.status} from ${probe}`;
      } catch (err) {
        if (/could not bind/.test(String(err))) throw err;
        lastError = String(err && err.message ? err.message : err);
      }
      await sleep(50);
    }
    const why = this.running ? `not ready after ${READY_TIMEOUT_MS} ms (${lastError})` : 'exited during start-up';
    throw new Error(
      `Prosody ${why}.\n--- output ---\n${this.output.trim()}\n--- ${path.join(this.dataDir, 'prosody.log')} ---\n${this.logTail()}`,
    );
  }

  /** Ends the process: SIGTERM, SIGKILL after a grace period; waits for the exit. */
  async _terminate(graceMs = STOP_GRACE_MS) {
    const child = this.child;
    if (!child) return;
    if (this.running) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        if (this.running) child.kill('SIGKILL');
      }, graceMs);
      await this.exited;
      clearTimeout(timer);
    } else {
      await this.exited;
    }
    children.delete(child);
    this.child = null;
  }

  /** Stops Prosody and removes the temp data dir. Idempotent. */
  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    await this._terminate();
    if (this.ownsDataDir) {
      rmSync(this.dataDir, { recursive: true, force: true });
      ownedDirs.delete(this.dataDir);
    }
  }

  /** SIGKILL: no clean stream close, no session hibernation survives. Data stays (restart() works). */
  async kill() {
    const child = this.child;
    if (!child) return;
    if (this.running) child.kill('SIGKILL');
    await this.exited;
    children.delete(child);
    this.child = null;
  }

  /** Stops (gracefully) and starts again on the same ports and data dir: accounts persist. */
  async restart() {
    if (this.stopped) throw new Error(`${this.id} was stopped`);
    await this._terminate();
    // The ports were ours a moment ago; wait (briefly) until the kernel agrees they are free.
    for (let i = 0; i < 60; i++) {
      if ((await portIsFree(this.httpPort)) && (await portIsFree(this.c2sPort))) break;
      await sleep(50);
    }
    await this._spawn();
  }

  async _testkit(pathname, body) {
    if (!this.testkit) throw new Error('this server was started without the ck-testkit module');
    if (!this.running) throw new Error(`${this.id} is not running`);
    const res = await request(`${this.httpBase}/ck-testkit${pathname}`, { method: 'POST', body, timeoutMs: 30_000 });
    let json;
    try {
      json = JSON.parse(res.text);
    } catch {
      json = { ok: false, error: res.text };
    }
    if (res.status !== 200 || !json.ok) {
      throw new Error(`ck-testkit ${pathname}: HTTP ${res.status}: ${json.error ?? res.text}`);
    }
    return json;
  }

  /** @param {UserSpec[]} users */
  async createUsers(users) {
    return this._testkit('/users', { users: users.map(({ username, password }) => ({ username, password })) });
  }

  /**
   * Mutual subscription="both" roster items for every pair.
   * @param {Array<[string, string]>} pairs usernames (local parts)
   * @param {FriendOptions} [options] names: username -> roster name the others see; group
   */
  async befriend(pairs, options = {}) {
    return this._testkit('/friends', { pairs, ...options });
  }

  /**
   * Appends `count` messages between owner and peer to the owner's archive (bench/test seeding).
   * @param {{owner: string, peer: string, count: number, start?: number, direction?: 'in'|'out'|'both', prefix?: string}} seed
   */
  async seedArchive(seed) {
    return this._testkit('/archive', seed);
  }
}

/**
 * Starts a Prosody server on loopback.
 * @param {StartOptions} [options]
 */
export async function startProsody({ httpPort, c2sPort, testkit = true, dataDir, keepDataDir = false } = {}) {
  const choosePorts = httpPort === undefined || c2sPort === undefined;
  const attempts = choosePorts ? 3 : 1;
  let lastErr;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const ownsDataDir = !dataDir && !keepDataDir;
    const dir = dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'ck-prosody-'));
    const server = new ProsodyServer({
      httpPort: httpPort ?? (await freePort()),
      c2sPort: c2sPort ?? (await freePort()),
      testkit,
      dataDir: dir,
      ownsDataDir,
    });
    try {
      await server._spawn();
      return server;
    } catch (err) {
      lastErr = err;
      server.stopped = true;
      if (ownsDataDir) {
        rmSync(dir, { recursive: true, force: true });
        ownedDirs.delete(dir);
      }
      // A port picked as free may have been taken meanwhile: try again with new ones.
      if (!(choosePorts && /could not bind/.test(String(err)))) break;
    }
  }
  throw lastErr;
}

/** Creates the demo users and makes them all mutual friends. */
export async function seedDemo(server, users = DEMO_USERS) {
  await server.createUsers(users);
  const pairs = [];
  for (let i = 0; i < users.length; i++) {
    for (let j = i + 1; j < users.length; j++) pairs.push([users[i].username, users[j].username]);
  }
  const names = Object.fromEntries(users.map((u) => [u.username, u.name]));
  await server.befriend(pairs, { names });
}

// ------------------------------------------------------------------------------------------
// CLI

function pidFileFor(httpPort) {
  return path.join(os.tmpdir(), `xmpp-chatkit-prosody-${httpPort}.pid`);
}

async function cli(argv) {
  const command = argv[0] ?? 'demo';
  const httpPort = Number(process.env.CK_HTTP_PORT || DEMO_HTTP_PORT);
  const c2sPort = Number(process.env.CK_C2S_PORT || DEMO_C2S_PORT);
  const pidFile = pidFileFor(httpPort);

  if (command === 'stop') {
    let pid;
    try {
      pid = Number(readFileSync(pidFile, 'utf8').trim());
    } catch {
      console.error(`no demo server recorded for port ${httpPort} (${pidFile})`);
      return 0;
    }
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      /* gone */
    }
    for (let i = 0; i < 100; i++) {
      try {
        process.kill(pid, 0);
      } catch {
        break;
      }
      await sleep(100);
    }
    try {
      unlinkSync(pidFile);
    } catch {
      /* removed by the server */
    }
    console.error(`stopped demo server on port ${httpPort}`);
    return 0;
  }

  if (command !== 'demo' && command !== 'start') {
    console.error('usage: node scripts/prosody.mjs [demo|start|stop]   (env CK_HTTP_PORT, CK_C2S_PORT)');
    return 2;
  }

  for (const port of [httpPort, c2sPort]) {
    if (!(await portIsFree(port))) {
      console.error(`port ${port} on 127.0.0.1 is in use (set CK_HTTP_PORT / CK_C2S_PORT, or run: npm run prosody:stop)`);
      return 1;
    }
  }

  const server = await startProsody({ httpPort, c2sPort, testkit: true });
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    try {
      unlinkSync(pidFile);
    } catch {
      /* fine */
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGHUP', () => void shutdown(0));

  try {
    if (command === 'demo') await seedDemo(server);
  } catch (err) {
    console.error(String(err));
    await shutdown(1);
    return 1;
  }
  writeFileSync(pidFile, `${process.pid}\n`);
  const users = command === 'demo' ? DEMO_USERS.map(({ username, password, name }) => ({ username, password, name })) : [];
  console.log(JSON.stringify({ ...server.info(), dataDir: server.dataDir, users }));
  // Keep running until a signal arrives; notice if Prosody dies on its own.
  server.exited?.then(() => {
    if (!stopping) {
      console.error(`Prosody exited unexpectedly.\n${server.output}\n${server.logTail()}`);
      void shutdown(1);
    }
  });
  return undefined;
}

const invokedDirectly = process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  cli(process.argv.slice(2)).then(
    (code) => {
      if (code !== undefined) process.exit(code);
    },
    (err) => {
      console.error(err && err.stack ? err.stack : String(err));
      process.exit(1);
    },
  );
}
