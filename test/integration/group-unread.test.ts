import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { ChatKit, CkConversationList } from '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { befriend, createUsers, killServer, restartServer, startServer, stopServer, type TestUser } from '../support/server.js';
import { eventually, eventuallyEqual, makeKit, openKit, part, text, useServer } from '../support/kit.js';
import { signer } from '../support/signing.js';
import { SocketControl, taggedService } from '../chaos/sockets.js';

const server = useServer();

async function texts(kit: ChatKit, id: string): Promise<string[]> {
  return (await latestMessages(kit.db!, id, 1000)).filter((m) => m.kind !== 'system').map((m) => m.body);
}

async function unread(kit: ChatKit, id: string): Promise<number | undefined> {
  return (await kit.db!.conversations.get(id))?.unread;
}

async function inGroup(kit: ChatKit, room: string): Promise<void> {
  await eventually(async () => (await kit.db!.conversations.get(room))?.joinedAt, `${kit.clientId} in the group`, 15_000);
}

describe('group unread counts', () => {
  it('stay exact across a reload and a reconnect, with new messages arriving meanwhile', async () => {
    const own = await startServer();
    try {
      const [alice, bob] = (await createUsers(own, 2, 'unr')) as [TestUser, TestUser];
      await befriend(own, alice, bob);
      const aliceKit = await openKit(own, alice, { generateSignature: signer(own, alice.password) });
      const bobOptions = { storage: 'indexeddb' as const, generateSignature: signer(own, bob.password) };
      const bobKit = await openKit(own, bob, bobOptions);
      const totals: number[] = [];
      bobKit.addEventListener('ck-unread', (e) => totals.push(e.total));
      const room = await aliceKit.startConversation([bob.username], { name: 'Counting' });
      await inGroup(bobKit, room);

      await aliceKit.send(room, 'a1');
      await aliceKit.send(room, 'a2');
      await eventuallyEqual(() => texts(bobKit, room), ['a1', 'a2'], 'bob has two');
      expect(await unread(bobKit, room)).to.equal(2);
      await bobKit.send(room, 'b1');
      await eventuallyEqual(() => texts(aliceKit, room), ['a1', 'a2', 'b1'], 'alice has the reply'); // replying reads; own messages never count
      await aliceKit.send(room, 'a3');
      await eventuallyEqual(() => texts(bobKit, room), ['a1', 'a2', 'b1', 'a3'], 'bob has all four');
      await eventually(async () => (await unread(bobKit, room)) === 1, 'one unread after the reply');
      // The total follows the store through a live query: a moment later.
      await eventually(() => bobKit.totalUnread === 1 && totals.at(-1) === 1, 'total 1 and a ck-unread event');

      // Reload: a new kit over the same IndexedDB; alice writes meanwhile.
      await bobKit.close();
      for (const body of ['r1', 'r2', 'r3']) await aliceKit.send(room, body);
      await eventually(async () => (await aliceKit.db!.messages.toArray()).every((m) => m.state !== 'pending'), 'alice sent');
      const reloaded = await openKit(own, bob, bobOptions);
      await eventuallyEqual(() => texts(reloaded, room), ['a1', 'a2', 'b1', 'a3', 'r1', 'r2', 'r3'], 'the gap filled after the reload');
      await new Promise((r) => setTimeout(r, 500));
      expect(await unread(reloaded, room)).to.equal(4);
      await eventually(() => reloaded.totalUnread === 4, 'total 4');

      // A reconnect that cannot resume (the server was killed); messages arrive meanwhile.
      await killServer(own);
      await restartServer(own);
      aliceKit.reconnectNow();
      await eventually(() => aliceKit.status === 'online', 'alice back', 15_000);
      await aliceKit.send(room, 'k1');
      await aliceKit.send(room, 'k2');
      reloaded.reconnectNow();
      await eventually(() => reloaded.status === 'online', 'bob back', 15_000);
      await eventuallyEqual(() => texts(reloaded, room), ['a1', 'a2', 'b1', 'a3', 'r1', 'r2', 'r3', 'k1', 'k2'], 'the second gap filled', 15_000);
      await aliceKit.send(room, 'live');
      await eventually(async () => (await texts(reloaded, room)).includes('live'), 'live after rejoining');
      await new Promise((r) => setTimeout(r, 500));
      expect(await texts(reloaded, room)).to.deep.equal(['a1', 'a2', 'b1', 'a3', 'r1', 'r2', 'r3', 'k1', 'k2', 'live']);
      expect(await unread(reloaded, room)).to.equal(7);
      await eventually(() => reloaded.totalUnread === 7, 'total 7');
      const list = await fixture<CkConversationList>(html`<ck-conversation-list .kit=${reloaded}></ck-conversation-list>`);
      await eventually(() => text(part(list, '[part=badge]')) === '7', 'badge shows 7');

      // Muting takes it out of the app's total; reading clears it.
      await reloaded.mute(room, true);
      await eventually(() => reloaded.totalUnread === 0, 'muted: not in the total');
      await reloaded.mute(room, false);
      await eventually(() => reloaded.totalUnread === 7, 'unmuted: back');
      await reloaded.markRead(room);
      await eventually(() => reloaded.totalUnread === 0, 'read');
      await reloaded.db!.delete();
    } finally {
      await stopServer(own).catch(() => undefined);
    }
  });

  it('a resumed session keeps its rooms: nothing is re-joined, nothing is lost or doubled', async () => {
    const sockets = new SocketControl();
    sockets.install();
    try {
      const [alice, bob] = (await createUsers(server, 2, 'res')) as [TestUser, TestUser];
      await befriend(server, alice, bob);
      const aliceKit = await openKit(server, alice, { generateSignature: signer(server, alice.password) });
      const bobKit = makeKit(server, { service: taggedService(server.service, 'bob'), generateSignature: signer(server, bob.password) });
      await bobKit.open(bob.username, { password: bob.password });
      const room = await aliceKit.startConversation([bob.username], { name: 'Resume' });
      await inGroup(bobKit, room);
      await aliceKit.send(room, 'before');
      await eventuallyEqual(() => texts(bobKit, room), ['before'], 'bob has the first');
      // Wait for the join's own traffic to settle, then drop the socket without a stream close.
      await new Promise((r) => setTimeout(r, 300));
      let joins = 0;
      sockets.once('bob', 'out', /<presence[^>]*to="[^"]*@conference\./, () => (joins += 1));
      expect(sockets.drop('bob')).to.equal(true);
      await aliceKit.send(room, 'while dropped');
      await eventually(() => sockets.counts('bob').resumed >= 1, 'bob resumed', 15_000);
      await eventually(() => bobKit.status === 'online', 'bob online');
      // What the server sent into the dead socket comes again after the resumption.
      await eventuallyEqual(() => texts(bobKit, room), ['before', 'while dropped'], 'bob got what was sent meanwhile');
      await bobKit.send(room, 'after resume');
      await eventuallyEqual(() => texts(aliceKit, room), ['before', 'while dropped', 'after resume'], "alice's log");
      await eventuallyEqual(() => texts(bobKit, room), ['before', 'while dropped', 'after resume'], "bob's log");
      expect(joins).to.equal(0);
      expect(await unread(bobKit, room)).to.equal(0);
    } finally {
      sockets.uninstall();
    }
  });
});
