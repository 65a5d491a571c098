// Session takeover: a second login with the same fixed `resource` replaces the first, whenever
// it happens - during the first one's start-up (stream management, roster, carbons, archive
// catch-up, presence) or while it reconnects and resumes (XEP-0198). The first kit must end in
// `conflict` and stay there; the second must come online and stay online (no ping-pong).
// The kits' sockets are watched (test/chaos/sockets.ts) to place the second login at a chosen
// frame of the first one's traffic and to show what happened on the wire when a case fails.

import { expect } from '@open-wc/testing';
import { ChatKit } from '../../src/index.js';
import { befriend, createUsers, restartServer, startServer, stopServer, type ServerHandle, type TestUser } from '../support/server.js';
import { SocketControl, taggedService } from '../chaos/sockets.js';

const RESOURCE = 'same-device';
/** How long the end state must hold: the old session's reconnect backoff starts well below this. */
const STABLE_MS = 3_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(20);
  }
}

let server: ServerHandle;
let sockets: SocketControl;
const kits: ChatKit[] = [];

interface Device {
  tag: string;
  kit: ChatKit;
  statuses: string[];
  conflicts: number;
  opened: Promise<unknown>;
}

function device(tag: string, user: TestUser): Device {
  const kit = new ChatKit({ service: taggedService(server.service, tag), domain: server.domain, storage: 'memory', locale: 'en', resource: RESOURCE });
  kits.push(kit);
  const d: Device = { tag, kit, statuses: [], conflicts: 0, opened: Promise.resolve() };
  kit.addEventListener('ck-status', (e) => d.statuses.push(e.status));
  kit.addEventListener('ck-conflict', () => d.conflicts++);
  // The first device's open() may reject (replaced before it came online): the end state is what counts.
  d.opened = kit.open(user.username, { password: user.password }).catch((err: unknown) => err);
  return d;
}

function story(): string {
  return `\n--- trace (newest 120) ---\n${(sockets.trace ?? []).slice(-120).map((l) => l.slice(0, 240)).join('\n')}`;
}

/**
 * The second device has signed in: the first is `conflict` for good, the second online for
 * good. With `eitherWins` (both logins start at about the same time) the server decides which
 * bind came last: that one must win the same way, and the other lose.
 */
async function expectTakeover(first: Device, second: () => Device | undefined, eitherWins = false): Promise<void> {
  const context = () => `; first: ${first.statuses.join(' > ')}; second: ${second()?.statuses.join(' > ') ?? '(not started)'}${story()}`;
  const settled = (loser: Device, winner: Device | undefined) => loser.kit.status === 'conflict' && winner?.kit.status === 'online';
  try {
    await until(() => settled(first, second()) || (eitherWins && settled(second()!, first)), 'one device in conflict, the other online', 15_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}${context()}`);
  }
  const [loser, winner] = settled(first, second()) ? [first, second()!] : [second()!, first];
  const loserSockets = sockets.counts(loser.tag).sockets;
  await sleep(STABLE_MS);
  const who = `${context()}\n(loser: ${loser.tag})`;
  expect(loser.kit.status, `loser status${who}`).to.equal('conflict');
  expect(loser.conflicts, `ck-conflict events${who}`).to.equal(1);
  expect(loser.statuses.filter((x) => x === 'conflict').length, `loser entered conflict once${who}`).to.equal(1);
  expect(loser.statuses.at(-1), `loser status events end in conflict${who}`).to.equal('conflict');
  expect(sockets.counts(loser.tag).sockets, `loser opened no socket after the conflict${who}`).to.equal(loserSockets);
  expect(winner.kit.status, `winner status${who}`).to.equal('online');
  expect(winner.statuses, `winner status events${who}`).to.deep.equal(['connecting', 'online']);
  expect(winner.conflicts, `winner was never replaced${who}`).to.equal(0);
  expect(sockets.counts(winner.tag).streamErrors, `stream errors on the winner${who}`).to.deep.equal({});
}

async function accountWithFriend(): Promise<TestUser> {
  const [alice, bob] = await createUsers(server, 2, 'tko');
  await befriend(server, alice!, bob!);
  return alice!;
}

/** An account whose first device is online and past its start-up. */
async function settledFirstDevice(): Promise<{ alice: TestUser; first: Device }> {
  const alice = await accountWithFriend();
  const first = device('first', alice);
  await until(() => first.kit.status === 'online', 'first online');
  await sleep(500);
  return { alice, first };
}

beforeEach(async () => {
  sockets = new SocketControl({ trace: true });
  sockets.install();
  server = await startServer();
});

afterEach(async function () {
  for (const k of kits.splice(0)) await k.close().catch(() => undefined);
  await stopServer(server);
  sockets.uninstall();
});

describe('session takeover (same resource)', () => {
  // Right after open() the two logins race (the first one's storage and signature steps come
  // before its socket): whichever binds last must win, for good.
  for (const delay of [0, 50, 100, 200, 300, 400, 500, 600, 800]) {
    it(`a second login ${delay} ms after the first one's open(): the last to bind wins, no ping-pong`, async function () {
      this.timeout(30_000);
      const alice = await accountWithFriend();
      const first = device('first', alice);
      if (delay) await sleep(delay);
      const second = device('second', alice);
      await expectTakeover(first, () => second, delay < 200);
    });
  }

  // Each step of the first device's session set-up, by the frame that starts it.
  const steps: Array<[string, 'in' | 'out', RegExp]> = [
    ['its authentication succeeds', 'in', /^<success /],
    ['it binds its resource', 'out', /urn:ietf:params:xml:ns:xmpp-bind/],
    ['it asks to enable stream management', 'out', /^<enable /],
    ['stream management is enabled', 'in', /^<enabled /],
    ['it fetches its roster', 'out', /jabber:iq:roster/],
    ['it enables carbons', 'out', /urn:xmpp:carbons:2/],
    ['it queries the archive', 'out', /urn:xmpp:mam:2/],
    ['it sends its initial presence', 'out', /^<presence(?![^>]*\btype=)/],
  ];
  for (const [step, direction, match] of steps) {
    it(`a second login as soon as ${step} replaces the first`, async function () {
      this.timeout(30_000);
      const alice = await accountWithFriend();
      let second: Device | undefined;
      sockets.once('first', direction, match, () => (second = device('second', alice)));
      const first = device('first', alice);
      await expectTakeover(first, () => second);
    });
  }

  it('a second login while the first is reconnecting after a dropped link replaces it (no resume steals it back)', async function () {
    this.timeout(30_000);
    const { alice, first } = await settledFirstDevice();
    sockets.drop('first', { immediate: true });
    await until(() => first.kit.status === 'reconnecting', 'first reconnecting');
    const second = device('second', alice);
    await expectTakeover(first, () => second);
  });

  it('a second login while the first is resuming its session replaces it', async function () {
    this.timeout(30_000);
    const { alice, first } = await settledFirstDevice();
    let second: Device | undefined;
    sockets.once('first', 'out', /^<resume /, () => (second = device('second', alice)));
    sockets.drop('first', { immediate: true });
    await expectTakeover(first, () => second);
  });

  it('a second login right after the first resumed its session replaces it', async function () {
    this.timeout(30_000);
    const { alice, first } = await settledFirstDevice();
    let second: Device | undefined;
    sockets.once('first', 'in', /^<resumed /, () => (second = device('second', alice)));
    sockets.drop('first', { immediate: true });
    await expectTakeover(first, () => second);
  });
});

describe('a fixed resource without a takeover', () => {
  it('a dropped link resumes its session and stays online (no false conflict)', async function () {
    this.timeout(30_000);
    const alice = await accountWithFriend();
    const d = device('first', alice);
    await until(() => d.kit.status === 'online', 'online');
    await sleep(500);
    sockets.drop('first', { immediate: true });
    await until(() => sockets.counts('first').resumed === 1 && d.kit.status === 'online', 'resumed', 15_000);
    expect(d.conflicts).to.equal(0);
  });

  it('after a server restart (the session is gone, nobody holds the resource) it binds anew and comes online', async function () {
    this.timeout(40_000);
    const alice = await accountWithFriend();
    const d = device('first', alice);
    await until(() => d.kit.status === 'online', 'online');
    await sleep(500);
    await restartServer(server);
    d.kit.reconnectNow();
    await until(() => sockets.counts('first').resumeFailed >= 1, 'the resume refused', 20_000);
    await until(() => d.kit.status === 'online', 'online again', 20_000);
    await sleep(1_000);
    expect(d.kit.status, `status${story()}`).to.equal('online');
    expect(d.conflicts, `ck-conflict events${story()}`).to.equal(0);
    expect(d.statuses, `status events${story()}`).to.not.include('conflict');
  });
});
