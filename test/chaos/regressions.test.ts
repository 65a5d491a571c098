// Deterministic reproductions of delivery bugs the chaos runs found (test/chaos/harness.ts),
// each one cut down to the single race that causes it. The kit's public API only; the
// network is steered through the WebSocket control of test/chaos/sockets.ts (drops at a
// chosen frame, outgoing frames held back as on a slow link).

import { expect } from '@open-wc/testing';
import { ChatKit } from '../../src/index.js';
import { befriend, createUsers, startServer, stopServer, type ServerHandle, type TestUser } from '../support/server.js';
import { SocketControl, taggedService } from './sockets.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

let server: ServerHandle;
let sockets: SocketControl;
let kits: ChatKit[] = [];

function kit(tag: string): ChatKit {
  const k = new ChatKit({ service: taggedService(server.service, tag), domain: server.domain, storage: 'indexeddb', locale: 'en' });
  kits.push(k);
  return k;
}

async function open(tag: string, user: TestUser): Promise<ChatKit> {
  const k = kit(tag);
  await k.open(user.username, { password: user.password });
  return k;
}

async function bodies(k: ChatKit, peer: TestUser): Promise<string[]> {
  const rows = await k.db!.messages
    .where('[conversationId+ts+seq]')
    .between([peer.jid, -Infinity, -Infinity], [peer.jid, Infinity, Infinity])
    .toArray();
  return rows.map((r) => r.body);
}

async function acked(k: ChatKit, body: string): Promise<boolean> {
  const rows = await k.db!.messages.filter((m) => m.body === body).toArray();
  return rows.length > 0 && rows.every((m) => m.state !== 'pending');
}

function story(): string {
  return `\n--- trace (newest 80) ---\n${(sockets.trace ?? []).slice(-80).map((l) => l.slice(0, 220)).join('\n')}`;
}

beforeEach(async () => {
  sockets = new SocketControl({ trace: true });
  sockets.install();
  server = await startServer();
});

afterEach(async function () {
  if (this.currentTest?.state === 'failed') console.log(`${this.currentTest.title}:${story()}`);
  for (const k of kits.splice(0)) {
    const db = k.db;
    await k.close().catch(() => undefined);
    // Deleting waits for every connection to the database to close: bounded.
    await Promise.race([db?.delete().catch(() => undefined), sleep(2_000)]);
  }
  await stopServer(server);
  sockets.uninstall();
});

describe('delivery races found by the chaos runs', () => {
  it('a session resumed after the link dropped during its start-up still receives live messages', async function () {
    this.timeout(40_000);
    const [alice, bob] = await createUsers(server, 2, 'rsm');
    await befriend(server, alice!, bob!);
    const bobKit = await open('bob', bob!);
    const first = await open('alice', alice!);
    await bobKit.send(alice!.jid, 'hello');
    await until(async () => (await bodies(first, bob!)).includes('hello'), 'alice has the first message');
    await sleep(300);
    await first.close();

    // While alice is away, enough history piles up that her next catch-up takes a while to store.
    for (let i = 1; i <= 30; i++) await bobKit.send(alice!.jid, `while away ${i}`);
    await until(() => acked(bobKit, 'while away 30'), "the server took bob's messages");

    // Alice comes back; her link drops right after the catch-up answer arrives, i.e. before
    // her start-up reaches initial presence. XEP-0198 resumes the session.
    const mark = sockets.trace?.length ?? 0;
    const alice2 = kit('alice');
    sockets.once('alice', 'in', /<fin /, () => setTimeout(() => sockets.drop('alice', { immediate: true }), 0));
    await alice2.open(alice!.username, { password: alice!.password });
    await until(() => sockets.counts('alice').resumed >= 1 && alice2.status === 'online', 'alice resumed', 15_000);
    const since = (sockets.trace ?? []).slice(mark);
    const dropAt = since.findIndex((l) => / alice ws#\d+ DROP/.test(l));
    const initialPresence = (l: string) => / alice ws#\d+ -> <presence xmlns="jabber:client"\/>/.test(l);
    const presenceBeforeDrop = since.slice(0, dropAt).some(initialPresence);

    await bobKit.send(alice!.jid, 'after the resume');
    let arrived = false;
    try {
      await until(async () => (await bodies(alice2, bob!)).includes('after the resume'), 'the live message', 8_000);
      arrived = true;
    } catch {
      /* asserted below */
    }
    expect(
      arrived,
      `bob's message sent after alice's resumed session was never stored by alice ` +
        `(initial presence sent before the drop: ${presenceBeforeDrop}; after it: ${since.slice(dropAt).some(initialPresence)})${story()}`,
    ).to.equal(true);
    expect((await bodies(alice2, bob!)).filter((b) => b.startsWith('while away')).length).to.equal(30);
  });

  it("a peer's messages keep their order when one arrives live while the start-up catch-up is slow", async function () {
    this.timeout(40_000);
    const [alice, bob] = await createUsers(server, 2, 'ord');
    await befriend(server, alice!, bob!);
    const bobKit = await open('bob', bob!);
    const first = await open('alice', alice!);
    await bobKit.send(alice!.jid, 'warm-up');
    await until(async () => (await bodies(first, bob!)).includes('warm-up'), 'alice has the first message');
    await sleep(300);
    await first.close();

    // Alice signs in again; her initial presence and every archive query after it are held
    // back, as on a slow uplink.
    let afterPresence = false;
    const hold = sockets.hold('alice', (frame) => {
      if (/^<presence(?![^>]*\btype=)/.test(frame)) {
        afterPresence = true;
        return true;
      }
      return afterPresence && frame.includes('urn:xmpp:mam:2');
    });
    const alice2 = kit('alice');
    await alice2.open(alice!.username, { password: alice!.password });
    await until(() => hold.frames.some((f) => f.startsWith('<presence')), "alice's start-up reaching initial presence");

    // 1. Bob writes while alice is signed in but not yet available: offline storage and archive.
    await bobKit.send(alice!.jid, 'first');
    await until(() => acked(bobKit, 'first'), "the server took bob's first message");
    // 2. Alice's presence gets through (the server echoes it back once she is available);
    //    her follow-up archive query is still on its way.
    let available = false;
    sockets.once('alice', 'in', new RegExp(`^<presence(?![^>]*type=)[^>]*from='${alice!.jid}/`), () => (available = true));
    hold.release((f) => f.startsWith('<presence'));
    await until(() => available, 'the server taking alice as available', 5_000);
    await until(() => hold.frames.some((f) => f.includes('urn:xmpp:mam:2')), "alice's follow-up archive query", 5_000);
    // 3. Bob writes again: delivered live (it reaches alice's client; the kit may hold it
    //    back from the store until the catch-up has stored what came before it).
    let secondArrived = false;
    sockets.once('alice', 'in', /<body>second<\/body>/, () => (secondArrived = true));
    await bobKit.send(alice!.jid, 'second');
    await until(() => secondArrived, "bob's second message live at alice", 5_000);
    // 4. The archive query goes out and brings the first message.
    hold.release();
    hold.disarm();
    await until(async () => (await bodies(alice2, bob!)).includes('first'), "bob's first message at alice", 10_000);

    const log = (await bodies(alice2, bob!)).filter((b) => b === 'first' || b === 'second');
    expect(log, `alice's log must keep bob's send order${story()}`).to.deep.equal(['first', 'second']);
  });
});
