import { expect, fixture, html } from '@open-wc/testing';
import { client, xml } from '@xmpp/client';
import '../../src/index.js';
import type { CkChatView, CkConversationList } from '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { befriend, createUsers, killServer, restartServer, seedArchive, startServer, stopServer, type ServerHandle, type TestUser } from '../support/server.js';
import { eventually, eventuallyEqual, makeKit, openKit, part, parts, text, useServer } from '../support/kit.js';
import { INITIAL } from '../../src/ui/chat-view/message-window.js';

const server = useServer();

async function bodies(kit: ReturnType<typeof makeKit>, conversationId: string): Promise<string[]> {
  return (await latestMessages(kit.db!, conversationId, 10_000)).map((m) => m.body);
}

/** A bare @xmpp/client session, for sending stanzas the kit itself never would. */
async function rawClient(s: ServerHandle, user: TestUser) {
  const x = client({ service: s.service, domain: s.domain, username: user.username, password: user.password, resource: 'raw' });
  x.reconnect.stop();
  x.on('error', () => undefined);
  await x.start();
  await x.send(xml('presence'));
  return x;
}

describe('reliable delivery', () => {
  it('alice on two clients: both show the whole conversation, in the same order', async () => {
    const [alice, bob] = await createUsers(server, 2, 'two');
    await befriend(server, alice!, bob!);
    const phone = await openKit(server, alice!);
    const web = await openKit(server, alice!);
    const bobKit = await openKit(server, bob!);
    await phone.send(bob!.jid, 'from phone 1');
    await eventually(async () => (await bodies(bobKit, alice!.jid)).length === 1, 'bob got 1');
    await bobKit.send(alice!.jid, 'bob reply');
    await eventually(async () => (await bodies(phone, bob!.jid)).length === 2, 'phone got reply');
    // She picks up the web client once it shows the conversation so far.
    await eventually(async () => (await bodies(web, bob!.jid)).length === 2, 'web got reply');
    await web.send(bob!.jid, 'from web');
    // One person on two devices takes turns: the phone shows the web message before she types again.
    await eventually(async () => (await bodies(phone, bob!.jid)).includes('from web'), 'carbon on the phone');
    await phone.send(bob!.jid, 'from phone 2');
    const expected = ['from phone 1', 'bob reply', 'from web', 'from phone 2'];
    await eventuallyEqual(() => bodies(phone, bob!.jid), expected, 'phone log');
    await eventuallyEqual(() => bodies(web, bob!.jid), expected, 'web log');
    await eventuallyEqual(() => bodies(bobKit, alice!.jid), expected, 'bob log');
    // Carbons of own messages are own, not the peer's.
    const webRows = await latestMessages(web.db!, bob!.jid, 10);
    expect(webRows.map((m) => m.own)).to.deep.equal([true, false, true, true]);
  });

  it('after a reconnect that could not resume, the archive fills the gap exactly once', async () => {
    const own = await startServer();
    try {
      const [alice, bob] = await createUsers(own, 2, 'gap');
      await befriend(own, alice!, bob!);
      const bobKit = await openKit(own, bob!, { storage: 'indexeddb' });
      const aliceKit = await openKit(own, alice!);
      await aliceKit.send(bob!.jid, 'before');
      await eventually(async () => (await bodies(bobKit, alice!.jid)).length === 1, 'bob has the first');
      await bobKit.close();
      for (let i = 1; i <= 5; i++) await aliceKit.send(bob!.jid, `while away ${i}`);
      await eventually(async () => (await aliceKit.db!.messages.toArray()).every((m) => m.state !== 'pending'), 'alice sent all');
      // Kill the server too: no session can resume, and the archive must answer.
      await killServer(own);
      await restartServer(own);
      const again = makeKit(own, { storage: 'indexeddb' });
      await again.open(bob!.username, { password: bob!.password });
      const list = await fixture<CkConversationList>(html`<ck-conversation-list .kit=${again}></ck-conversation-list>`);
      await eventually(async () => (await bodies(again, alice!.jid)).length === 6, 'gap filled');
      await new Promise((r) => setTimeout(r, 500)); // offline storage copies arrive after presence
      expect(await bodies(again, alice!.jid)).to.deep.equal(['before', ...[1, 2, 3, 4, 5].map((i) => `while away ${i}`)]);
      expect((await again.db!.conversations.get(alice!.jid))!.unread).to.equal(6);
      await eventually(() => text(part(list, '[part=badge]')) === '6', 'badge shows 6');
      await again.db!.delete();
    } finally {
      await stopServer(own);
    }
  });

  it('a reload with 100 pending messages while offline delivers each once, in order', async function () {
    this.timeout(60_000);
    const own = await startServer();
    try {
      const [alice, bob] = await createUsers(own, 2, 'out');
      await befriend(own, alice!, bob!);
      const first = await openKit(own, alice!, { storage: 'indexeddb' });
      await killServer(own);
      await eventually(() => first.status === 'reconnecting', 'alice notices');
      for (let i = 0; i < 100; i++) await first.send(bob!.jid, `queued ${i}`);
      await first.close();
      // The page reloads: a new kit over the same IndexedDB outbox.
      const reloaded = makeKit(own, { storage: 'indexeddb' });
      await reloaded.openStore(alice!.username);
      expect((await reloaded.db!.messages.where('[state+seq]').between(['pending', -Infinity], ['pending', Infinity]).count())).to.equal(100);
      await restartServer(own);
      await reloaded.open(alice!.username, { password: alice!.password });
      const bobKit = await openKit(own, bob!);
      const want = Array.from({ length: 100 }, (_, i) => `queued ${i}`);
      await eventuallyEqual(
        async () => {
          const states: Record<string, number> = {};
          (await reloaded.db!.messages.toArray()).forEach((m) => (states[m.state] = (states[m.state] ?? 0) + 1));
          return { bob: (await bodies(bobKit, alice!.jid)).length, alice: states, status: reloaded.status };
        },
        { bob: 100, alice: { delivered: 100 }, status: 'online' },
        'bob has 100',
        20_000,
      );
      await new Promise((r) => setTimeout(r, 500));
      expect(await bodies(bobKit, alice!.jid)).to.deep.equal(want);
      await eventually(async () => (await reloaded.db!.messages.toArray()).every((m) => m.state === 'delivered' || m.state === 'read'), 'all delivered');
      await reloaded.db!.delete();
    } finally {
      await stopServer(own);
    }
  });

  it('scrolling to the top pages earlier history in from the archive, without jumping', async () => {
    const [alice, bob] = await createUsers(server, 2, 'hist');
    // 130 messages from alice only in bob's archive: sent live while bob was offline, the
    // server would also hold them as offline messages and hand all of them to his device.
    await seedArchive(server, { owner: bob!, peer: alice!, count: 130, prefix: 'history', start: Math.floor(Date.now() / 1000) - 200 });
    // Bob on a new device: the first fetch brings the newest page only.
    const bobKit = await openKit(server, bob!);
    await eventually(async () => (await bodies(bobKit, alice!.jid)).length === 100, 'newest page');
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:400px" .kit=${bobKit} conversation=${alice!.jid}></ck-chat-view>`);
    const log = await eventually(() => part(view, '[part=log]'), 'log');
    await eventually(() => parts(view, '[part=message]').length === INITIAL, 'first screen');
    for (let round = 0; round < 20 && parts(view, '[part=message]').length < 130; round++) {
      const anchor = parts(view, '[part=message]')[0]!;
      log.scrollTop = 0;
      const before = anchor.getBoundingClientRect().top - log.getBoundingClientRect().top;
      log.dispatchEvent(new Event('scroll'));
      await eventually(() => parts(view, '[part=message]')[0] !== anchor || !!part(view, '[part=loading]'), 'more rows or spinner', 5000).catch(() => undefined);
      await eventually(() => !part(view, '[part=loading]'), 'spinner gone');
      await view.updateComplete;
      // The message that was on top stays where it was on screen.
      const top = anchor.getBoundingClientRect().top - log.getBoundingClientRect().top;
      expect(Math.abs(top - before), 'anchor moved').to.be.below(2);
    }
    const shown = parts(view, '[part=bubble]').map(text);
    expect(shown).to.deep.equal(Array.from({ length: 130 }, (_, i) => `history ${i}`));
    expect((await bobKit.db!.conversations.get(alice!.jid))!.historyComplete).to.equal(true);
  });

  it('a message to a user the server does not know fails with the reason; resend works once it exists', async () => {
    const [alice] = await createUsers(server, 1, 'fail');
    const ghost = `ghost${Date.now()}`;
    const ghostJid = `${ghost}@${server.domain}`;
    const kit = await openKit(server, alice!);
    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${kit} conversation=${ghostJid}></ck-chat-view>`);
    await kit.send(ghostJid, 'anyone there?');
    await eventually(() => parts(view, '[part=message][data-state=failed]').length === 1, 'failed bubble');
    expect(text(part(view, '.failure'))).to.match(/service-unavailable|not|unavailable/i);
    await fetch(`${server.httpBase}/ck-testkit/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ users: [{ username: ghost, password: 'pw' }] }),
    });
    const resend = [...(part(view, '.failure')?.querySelectorAll('button') ?? [])].find((b) => text(b) === 'Resend')!;
    resend.click();
    await eventually(() => parts(view, '[part=message][data-state=sent]').length === 1, 'resent and acked');
    expect(parts(view, '[part=message]').length).to.equal(1);
  });

  it('when another login takes over the session, status is conflict, the UI says so and nothing reconnects', async () => {
    const [alice, bob] = await createUsers(server, 2, 'cfl');
    const first = await openKit(server, alice!, { resource: 'same-device' });
    const conflicts: Event[] = [];
    const statuses: string[] = [];
    first.addEventListener('ck-conflict', (e) => conflicts.push(e));
    first.addEventListener('ck-status', (e) => statuses.push(e.status));
    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${first} conversation=${bob!.jid}></ck-chat-view>`);
    // The other device signs in at once, during the first one's start-up (takeover.test.ts
    // covers every step of it and the reconnect paths).
    await openKit(server, alice!, { resource: 'same-device' });
    await eventually(() => first.status === 'conflict', 'conflict status').catch((err: Error) => {
      throw new Error(`${err.message}; statuses seen: ${statuses.join(' > ')}`);
    });
    expect(conflicts.length).to.equal(1);
    await eventually(() => part(view, '[part=banner]')?.dataset.status === 'conflict', 'conflict banner');
    expect(text(part(view, '[part=banner]'))).to.match(/signed in somewhere else/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(first.status).to.equal('conflict');
  });

  it('forged carbons, unsolicited archive results and bad stanzas are ignored without a crash', async () => {
    const [alice, bob, mallory] = await createUsers(server, 3, 'forge');
    const aliceKit = await openKit(server, alice!);
    const m = await rawClient(server, mallory!);
    try {
      const forgedCarbon = xml(
        'message',
        { to: alice!.jid, type: 'chat' },
        xml('sent', { xmlns: 'urn:xmpp:carbons:2' }, xml('forwarded', { xmlns: 'urn:xmpp:forward:0' },
          xml('message', { from: `${alice!.jid}/phone`, to: bob!.jid, type: 'chat' }, xml('body', {}, 'I owe mallory 1000')))),
      );
      const unsolicitedArchive = xml(
        'message',
        { to: alice!.jid },
        xml('result', { xmlns: 'urn:xmpp:mam:2', queryid: 'guess', id: 'x1' }, xml('forwarded', { xmlns: 'urn:xmpp:forward:0' },
          xml('delay', { xmlns: 'urn:xmpp:delay', stamp: '2020-01-01T00:00:00Z' }),
          xml('message', { from: `${bob!.jid}/x`, to: alice!.jid, type: 'chat' }, xml('body', {}, 'fake history')))),
      );
      const forgedReceipt = xml('message', { to: alice!.jid }, xml('received', { xmlns: 'urn:xmpp:receipts', id: 'whatever' }));
      const garbage = xml('message', { to: alice!.jid, type: 'chat', id: 'dup' }, xml('body', {}, 'real one'), xml('origin-id', { xmlns: 'urn:xmpp:sid:0', id: 'dup' }));
      for (const stanza of [forgedCarbon, unsolicitedArchive, forgedReceipt, garbage, garbage]) await m.send(stanza);
      await eventually(async () => (await bodies(aliceKit, mallory!.jid)).length >= 1, 'the real message arrives');
      await new Promise((r) => setTimeout(r, 500));
      expect(await bodies(aliceKit, mallory!.jid)).to.deep.equal(['real one']);
      expect(await bodies(aliceKit, bob!.jid)).to.deep.equal([]);
      expect(aliceKit.status).to.equal('online');
    } finally {
      await m.stop().catch(() => undefined);
    }
  });
});
