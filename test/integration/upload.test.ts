import { expect } from '@open-wc/testing';
import { liveQuery } from 'dexie';
import '../../src/index.js';
import { ChatKitError, type ChatKit } from '../../src/index.js';
import type { MessageRecord } from '../../src/store/records.js';
import { latestMessages } from '../../src/store/queries.js';
import { befriend, createUsers, killServer, restartServer, startServer, stopServer, type ServerHandle, type TestUser } from '../support/server.js';
import { eventually, makeKit, openKit, useServer } from '../support/kit.js';
import { signer } from '../support/signing.js';
import { executeServerCommand } from '@web/test-runner-commands';

const server = useServer();
const LIMIT = 10 * 1024 * 1024; // scripts/prosody/prosody.cfg.lua http_file_share_size_limit

async function messages(kit: ChatKit, conversationId: string): Promise<MessageRecord[]> {
  return latestMessages(kit.db!, conversationId, 1000);
}

/** Waits until alice's message `id` satisfies `done`, and returns it. */
function messageWhen(kit: ChatKit, id: string, done: (m: MessageRecord) => boolean, what: string, timeoutMs = 20_000): Promise<MessageRecord> {
  return eventually(async () => {
    const m = await kit.db!.messages.get(id);
    return m && done(m) ? m : undefined;
  }, what, timeoutMs);
}

/** Sent: uploaded, out of the outbox and not failed. */
const wentOut = (m: MessageRecord): boolean => !m.upload && m.state !== 'pending' && m.state !== 'failed';

/** A PNG of random pixels (incompressible) of at least `minBytes`. */
async function randomPng(minBytes: number): Promise<{ blob: Blob; width: number; height: number }> {
  let side = Math.ceil(Math.sqrt(minBytes / 3.9));
  for (;;) {
    const [width, height] = [side + 7, side]; // not square, so width and height cannot be swapped unnoticed
    const canvas = new OffscreenCanvas(width, height);
    const pixels = new ImageData(width, height);
    for (let i = 0; i < pixels.data.length; i += 65536) crypto.getRandomValues(pixels.data.subarray(i, Math.min(i + 65536, pixels.data.length)));
    canvas.getContext('2d')!.putImageData(pixels, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/png' });
    if (blob.size >= minBytes) return { blob, width, height };
    side = Math.ceil(side * 1.05);
  }
}

function randomBytes(n: number, type = 'application/octet-stream'): Blob {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(i + 65536, n)));
  return new Blob([bytes], { type });
}

async function sameBytes(a: Blob | ArrayBuffer, b: Blob | ArrayBuffer): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map(async (v) => new Uint8Array(v instanceof Blob ? await v.arrayBuffer() : v)));
  if (x!.length !== y!.length) return false;
  for (let i = 0; i < x!.length; i++) if (x![i] !== y![i]) return false;
  return true;
}

/** Every `upload.progress` value the store holds over time (the test runs one upload at a time). */
function watchProgress(kit: ChatKit): { values: number[]; stop(): void } {
  const values: number[] = [];
  const sub = liveQuery(() => kit.db!.messages.filter((m) => !!m.upload).toArray()).subscribe((rows) => {
    const p = rows[0]?.upload?.progress;
    if (p !== undefined && values[values.length - 1] !== p) values.push(p);
  });
  return { values, stop: () => sub.unsubscribe() };
}

/**
 * Slows the page's uploads (DevTools network emulation, scripts/wtr/network-plugin.mjs):
 * on loopback a few megabytes are gone before the browser reports any progress.
 */
async function throttleUploads(bytesPerSecond: number): Promise<void> {
  await executeServerCommand('ck-throttle-network', { uploadBytesPerSecond: bytesPerSecond });
}

async function unthrottle(): Promise<void> {
  await executeServerCommand('ck-unthrottle-network');
}

/** Outbound WebSocket frames of every connection, until `stop()`. */
function spyFrames(): { frames: string[]; stop(): void } {
  const original = WebSocket.prototype.send;
  const frames: string[] = [];
  WebSocket.prototype.send = function (this: WebSocket, data: string | ArrayBufferLike | Blob | ArrayBufferView) {
    frames.push(String(data));
    original.call(this, data);
  };
  return { frames, stop: () => void (WebSocket.prototype.send = original) };
}

/** Holds every XMLHttpRequest's send until `release()` (the test decides when the PUT goes). */
function gateUploads(): { held: Promise<void>; release(): void; stop(): void } {
  const original = XMLHttpRequest.prototype.send;
  let open!: () => void;
  let heldOne!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const held = new Promise<void>((r) => (heldOne = r));
  XMLHttpRequest.prototype.send = function (this: XMLHttpRequest, body?: Document | XMLHttpRequestBodyInit | null) {
    heldOne();
    void gate.then(() => original.call(this, body));
  };
  return { held, release: () => open(), stop: () => void (XMLHttpRequest.prototype.send = original) };
}

async function pair(s: ServerHandle, prefix: string): Promise<[TestUser, TestUser]> {
  const [a, b] = await createUsers(s, 2, prefix);
  await befriend(s, a!, b!);
  return [a!, b!];
}

describe('file uploads through a real server (XEP-0363)', () => {
  it("alice sends a 2 MB image: progress rises in her store, bob gets it with its size, and the URL serves the same bytes", async () => {
    const [alice, bob] = await pair(server, 'img');
    const aliceKit = await openKit(server, alice);
    const bobKit = await openKit(server, bob);
    expect(await aliceKit.uploadLimit()).to.equal(LIMIT);
    const { blob, width, height } = await randomPng(2_000_000);
    const file = new File([blob], 'noise.png', { type: 'image/png' });

    const progress = watchProgress(aliceKit);
    await throttleUploads(2_000_000); // about a second for the image
    const id = await aliceKit.sendFile(bob.jid, file);
    const stored = (await aliceKit.db!.messages.get(id))!;
    expect(stored.attachment).to.include({ name: 'noise.png', mime: 'image/png', size: file.size, width, height, url: '' });
    // A text sent meanwhile goes out at once; the file's message stays held until it has a URL.
    await eventually(() => progress.values.some((v) => v > 0), 'the first progress write', 15_000);
    await aliceKit.send(bob.jid, 'while uploading');
    await eventually(async () => (await messages(bobKit, alice.jid)).some((m) => m.body === 'while uploading'), 'bob got the text');
    const held = (await aliceKit.db!.messages.get(id))!;
    expect(held.state).to.equal('pending');
    expect(held.upload, 'still uploading after the text went out').to.not.equal(undefined);
    expect(held.attempts ?? 0).to.equal(0);
    const sent = await messageWhen(aliceKit, id, wentOut, 'the upload finished and the message went out', 30_000).finally(() => {
      progress.stop();
      return unthrottle();
    });
    expect(sent.attachment!.url).to.match(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(sent.body).to.equal(sent.attachment!.url);
    expect(await aliceKit.db!.files.count()).to.equal(0);
    // Several distinct values in (0, 1], rising.
    const moving = progress.values.filter((v) => v > 0);
    expect(moving.length, `progress seen: ${JSON.stringify(progress.values)}`).to.be.greaterThan(2);
    for (let i = 1; i < moving.length; i++) expect(moving[i]).to.be.greaterThan(moving[i - 1]!);
    expect(moving.every((v) => v <= 1)).to.equal(true);

    const got = await eventually(async () => (await messages(bobKit, alice.jid)).find((m) => m.attachment), "bob's copy with its attachment", 15_000);
    expect((await messages(bobKit, alice.jid)).map((m) => m.body)).to.deep.equal(['while uploading', sent.attachment!.url]);
    expect(got.attachment!.url).to.equal(sent.attachment!.url);
    expect(got.attachment!.mime).to.match(/^image\//);
    expect(got.attachment).to.include({ size: file.size, width, height, name: 'noise.png' });
    const response = await fetch(got.attachment!.url);
    expect(response.ok).to.equal(true);
    expect(await sameBytes(await response.arrayBuffer(), file)).to.equal(true);
  });

  it('cancelling an upload removes the message and its bytes, and bob receives nothing for it', async () => {
    const [alice, bob] = await pair(server, 'cxl');
    const aliceKit = await openKit(server, alice);
    const bobKit = await openKit(server, bob);
    const big = randomBytes(2 * 1024 * 1024);
    const progress = watchProgress(aliceKit);
    await throttleUploads(500_000); // four seconds for the file: time to cancel
    let id: string;
    try {
      id = await aliceKit.sendFile(bob.jid, big, { name: 'big.bin' });
      await eventually(() => progress.values.some((v) => v > 0), 'the first progress write', 15_000);
      expect(progress.values[progress.values.length - 1]).to.be.lessThan(0.9);
      await aliceKit.cancelUpload(id);
    } finally {
      progress.stop();
      await unthrottle();
    }
    expect(await aliceKit.db!.messages.get(id)).to.equal(undefined);
    expect(await aliceKit.db!.files.get(id)).to.equal(undefined);
    expect(await messages(aliceKit, bob.jid)).to.deep.equal([]);
    // A later plain message fences the check: bob gets it, and nothing before it.
    await new Promise((r) => setTimeout(r, 1500));
    await aliceKit.send(bob.jid, 'fence');
    await eventually(async () => (await messages(bobKit, alice.jid)).some((m) => m.body === 'fence'), 'bob got the fence');
    expect((await messages(bobKit, alice.jid)).map((m) => m.body)).to.deep.equal(['fence']);
    expect((await messages(aliceKit, bob.jid)).map((m) => m.body)).to.deep.equal(['fence']);
  });

  it("a file over the server's limit is refused at once: too-large, nothing stored, no slot asked for", async () => {
    const [alice, bob] = await pair(server, 'big');
    const aliceKit = await openKit(server, alice);
    const spy = spyFrames();
    let error: unknown;
    try {
      await aliceKit.sendFile(bob.jid, new Blob([new Uint8Array(LIMIT + 1)]), { name: 'huge.bin' });
    } catch (err) {
      error = err;
    } finally {
      spy.stop();
    }
    expect(error).to.be.instanceOf(ChatKitError);
    expect((error as ChatKitError).code).to.equal('too-large');
    expect((error as ChatKitError).message).to.contain('10.0 MB').and.contain('10,485,760');
    expect(await aliceKit.db!.messages.count()).to.equal(0);
    expect(await aliceKit.db!.files.count()).to.equal(0);
    expect(spy.frames.filter((f) => f.includes('urn:xmpp:http:upload:0') && f.includes('<request'))).to.deep.equal([]);
  });

  it("a voice message answering bob's message reaches him as a reply, with its duration and voice mark", async () => {
    const [alice, bob] = await pair(server, 'voi');
    const aliceKit = await openKit(server, alice);
    const bobKit = await openKit(server, bob);
    await bobKit.send(alice.jid, 'say it out loud');
    const question = await eventually(async () => (await messages(aliceKit, bob.jid))[0], 'alice got the question');
    const clip = randomBytes(12_000, 'audio/webm');
    const id = await aliceKit.sendFile(bob.jid, clip, { voice: true, duration: 2345, replyTo: question.id, name: 'voice.webm' });
    const mine = (await aliceKit.db!.messages.get(id))!;
    expect(mine.attachment).to.include({ voice: true, duration: 2345, mime: 'audio/webm', name: 'voice.webm', size: 12_000 });
    expect(mine.reply?.id).to.equal(question.id);
    const got = await eventually(async () => (await messages(bobKit, alice.jid)).find((m) => m.attachment?.url), "bob's copy", 15_000);
    expect(got.attachment).to.include({ voice: true, duration: 2345, mime: 'audio/webm', size: 12_000 });
    const original = (await messages(bobKit, alice.jid)).find((m) => m.body === 'say it out loud')!;
    expect(got.reply?.id).to.equal(original.id);
  });

  it('a beforeSend veto stops a file before anything is stored or uploaded', async () => {
    const [alice, bob] = await pair(server, 'vet');
    const seen: string[] = [];
    const aliceKit = await openKit(server, alice, {
      beforeSend: (m) => {
        seen.push(m.kind);
        if (m.kind === 'file') throw new Error('no files here');
      },
    });
    const error = await aliceKit.sendFile(bob.jid, randomBytes(1000), { name: 'x.bin' }).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).to.be.instanceOf(ChatKitError);
    expect((error as ChatKitError).code).to.equal('send-vetoed');
    expect(seen).to.deep.equal(['file']);
    expect(await aliceKit.db!.messages.count()).to.equal(0);
    expect(await aliceKit.db!.files.count()).to.equal(0);
  });

  it('deleting a file message that waits to upload drops its bytes with it', async () => {
    const [alice, bob] = await pair(server, 'del');
    const kit = makeKit(server);
    await kit.openStore(alice.username); // never connected: the file waits
    const id = await kit.sendFile(bob.jid, randomBytes(2000), { name: 'later.bin' });
    expect(await kit.db!.files.count()).to.equal(1);
    await kit.deleteMessage(id);
    expect(await kit.db!.messages.count()).to.equal(0);
    expect(await kit.db!.files.count()).to.equal(0);
  });

  it('an upload queued while offline survives a reload and completes once the server is back: bob gets it once', async () => {
    const own = await startServer();
    try {
      const [alice, bob] = await pair(own, 'dur');
      const first = await openKit(own, alice, { storage: 'indexeddb' });
      await first.uploadLimit(); // seen online once, so the limit is known offline
      await killServer(own);
      await eventually(() => first.status !== 'online', 'alice offline');
      const bytes = randomBytes(40_000, 'text/plain');
      const id = await first.sendFile(bob.jid, bytes, { name: 'notes.txt' });
      expect((await first.db!.messages.get(id))!.upload).to.deep.equal({ progress: 0 });
      await first.close();

      // The reload: a new kit on the same IndexedDB store, painting before any network.
      const second = makeKit(own, { storage: 'indexeddb' });
      await second.openStore(alice.username);
      const kept = (await second.db!.messages.get(id))!;
      expect(kept.state).to.equal('pending');
      expect(kept.upload).to.deep.equal({ progress: 0 });
      expect(await sameBytes((await second.db!.files.get(id))!.blob, bytes)).to.equal(true);

      await restartServer(own);
      await second.open(alice.username, { password: alice.password });
      const sent = await messageWhen(second, id, wentOut, 'the resumed upload went out');
      expect(await second.db!.files.count()).to.equal(0);
      const bobKit = await openKit(own, bob);
      await eventually(async () => (await messages(bobKit, alice.jid)).length > 0, 'bob got it');
      await new Promise((r) => setTimeout(r, 1500));
      const got = await messages(bobKit, alice.jid);
      expect(got.length).to.equal(1);
      expect(got[0]!.body).to.equal(sent.attachment!.url);
      expect(got[0]!.attachment?.name).to.equal('notes.txt');
      expect(await sameBytes(await (await fetch(sent.attachment!.url)).arrayBuffer(), bytes)).to.equal(true);
      await second.db!.delete();
    } finally {
      await stopServer(own);
    }
  });

  it('an upload cut off by the server going down shows failed, and resend completes it', async () => {
    const own = await startServer();
    const gate = gateUploads();
    try {
      const [alice, bob] = await pair(own, 'fail');
      const aliceKit = await openKit(own, alice);
      const bytes = randomBytes(30_000);
      const id = await aliceKit.sendFile(bob.jid, bytes, { name: 'data.bin' });
      await gate.held; // the slot is granted; the PUT waits for us
      await killServer(own);
      gate.release();
      const failed = await messageWhen(aliceKit, id, (m) => m.state === 'failed', 'the upload failed');
      expect(failed.error).to.be.a('string').and.not.equal('');
      expect(failed.upload).to.deep.equal({ progress: 0 });
      expect(await aliceKit.db!.files.get(id)).to.not.equal(undefined);
      gate.stop();

      await restartServer(own);
      await eventually(() => aliceKit.status === 'online', 'alice back online', 20_000);
      // Still failed: only the user's resend retries it.
      expect((await aliceKit.db!.messages.get(id))!.state).to.equal('failed');
      await aliceKit.resend(id);
      const sent = await messageWhen(aliceKit, id, wentOut, 'the resent upload went out');
      const bobKit = await openKit(own, bob);
      const got = await eventually(async () => (await messages(bobKit, alice.jid))[0], 'bob got it');
      expect(got.body).to.equal(sent.attachment!.url);
      expect(await sameBytes(await (await fetch(sent.attachment!.url)).arrayBuffer(), bytes)).to.equal(true);
    } finally {
      gate.stop();
      await stopServer(own);
    }
  });

  it('a file sent to a group reaches another member', async () => {
    const [alice, bob, carol] = (await createUsers(server, 3, 'gup')) as [TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const kitOf = (u: TestUser) => openKit(server, u, { generateSignature: signer(server, u.password) });
    const [aliceKit, bobKit] = await Promise.all([kitOf(alice), kitOf(bob)]);
    const room = await aliceKit.startConversation([bob.username, carol.username], { name: 'Files' });
    await eventually(async () => {
      const c = await bobKit.db!.conversations.get(room);
      return c?.joinedAt && !c.invitePending;
    }, 'bob joined the group', 15_000);
    const { blob, width, height } = await randomPng(20_000);
    const id = await aliceKit.sendFile(room, blob, { name: 'chart.png' });
    const got = await eventually(async () => (await messages(bobKit, room)).find((m) => m.attachment?.url), "bob's copy", 20_000);
    const mine = (await aliceKit.db!.messages.get(id))!;
    expect(mine.upload).to.equal(undefined);
    expect(got.attachment).to.include({ url: mine.attachment!.url, name: 'chart.png', mime: 'image/png', width, height, size: blob.size });
    expect(got.from).to.equal(alice.username);
    expect(await sameBytes(await (await fetch(got.attachment!.url)).arrayBuffer(), blob)).to.equal(true);
  });
});
