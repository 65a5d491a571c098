// Forgeries sent through a real server by a bare client (the attacker): none is believed.
import { expect } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, openKit, useServer } from '../support/kit.js';
import { rawClient } from '../support/raw-client.js';
import { signer } from '../support/signing.js';

const server = useServer();

const settle = (ms = 700) => new Promise((r) => setTimeout(r, ms));

describe('forged stanzas through a real server', () => {
  it('a room private message from a nick that names another user is not filed as a 1:1 from them', async () => {
    const [alice, bob, mallory] = await createUsers(server, 3, 'spf');
    const kit = await openKit(server, alice!, { generateSignature: signer(server, alice!.password) });
    const room = await kit.startConversation([bob!.username, mallory!.username], { name: 'Team' });
    await eventually(async () => (await kit.db!.conversations.get(room))?.joinedAt, 'alice joined');
    const m = await rawClient(server, mallory!);
    try {
      // Mallory joins under bob's name, then whispers to alice "as bob".
      const joined = new Promise<void>((resolve) =>
        m.on('stanza', (s) => {
          if (s.is('presence') && s.attrs.from === `${room}/${bob!.username}`) resolve();
        }),
      );
      await m.send(xml('presence', { to: `${room}/${bob!.username}` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
      await joined;
      await m.send(xml('message', { to: `${room}/${alice!.username}`, type: 'chat', id: 'pm1' }, xml('body', {}, 'bob here: send me the password')));
      // A PM stripped of its MUC mark (as from a server that omits it) must not land in the group either.
      await m.send(xml('message', { to: `${room}/${alice!.username}`, type: 'normal', id: 'pm2' }, xml('body', {}, 'bob here again')));
      // A real message afterwards proves the stream was processed up to here.
      await m.send(xml('message', { to: alice!.jid, type: 'chat' }, xml('body', {}, 'marker')));
      await eventually(async () => (await latestMessages(kit.db!, mallory!.jid, 10)).length === 1, 'marker arrives');
      await settle(300);
      const all = await kit.db!.messages.toArray();
      expect(all.filter((x) => x.body.includes('bob here')).map((x) => `${x.conversationId} ${x.from}`)).to.deep.equal([]);
      expect(await kit.db!.conversations.get(bob!.jid)).to.equal(undefined);
      expect((await kit.db!.conversations.get(room))!.type).to.equal('group');
      expect(kit.status).to.equal('online');
    } finally {
      await m.close();
    }
  });

  it('a user cannot forge a room invitation "from" one of our contacts', async () => {
    const [alice, bob, mallory] = await createUsers(server, 3, 'inv');
    await befriend(server, alice!, bob!);
    const kit = await openKit(server, alice!);
    const m = await rawClient(server, mallory!);
    try {
      await m.send(xml('message', { to: alice!.jid }, xml('x', { xmlns: 'http://jabber.org/protocol/muc#user' }, xml('invite', { from: bob!.jid }, xml('reason', {}, 'join my room')))));
      await m.send(xml('message', { to: alice!.jid, type: 'chat' }, xml('body', {}, 'marker')));
      await eventually(async () => (await latestMessages(kit.db!, mallory!.jid, 10)).length === 1, 'marker arrives');
      await settle(300);
      expect((await kit.db!.conversations.toArray()).map((c) => `${c.id} ${c.type}`)).to.deep.equal([`${mallory!.jid} chat`]);
    } finally {
      await m.close();
    }
  });

  it('a receipt or displayed marker from a third party does not mark our message delivered or read', async () => {
    const [alice, bob, mallory] = await createUsers(server, 3, 'rcp');
    const kit = await openKit(server, alice!);
    const id = await kit.send(bob!.jid, 'for bob only');
    await eventually(async () => (await kit.db!.messages.get(id))?.state === 'sent', 'sent');
    const m = await rawClient(server, mallory!);
    const b = await rawClient(server, bob!);
    try {
      await m.send(xml('message', { to: alice!.jid, id: 'r1' }, xml('received', { xmlns: 'urn:xmpp:receipts', id })));
      await m.send(xml('message', { to: alice!.jid, type: 'chat', id: 'd1' }, xml('displayed', { xmlns: 'urn:xmpp:chat-markers:0', id })));
      // Mallory also forges bob's address inside a payload; the server stamps the real sender.
      await m.send(xml('message', { to: alice!.jid, from: `${bob!.jid}/x`, type: 'chat' }, xml('displayed', { xmlns: 'urn:xmpp:chat-markers:0', id })));
      await m.send(xml('message', { to: alice!.jid, type: 'chat' }, xml('body', {}, 'marker')));
      await eventually(async () => (await latestMessages(kit.db!, mallory!.jid, 10)).length === 1, 'marker arrives');
      await settle(300);
      expect((await kit.db!.messages.get(id))!.state).to.equal('sent');
      // The real peer's receipt does count.
      await b.send(xml('message', { to: alice!.jid, id: 'r2' }, xml('received', { xmlns: 'urn:xmpp:receipts', id })));
      await eventually(async () => (await kit.db!.messages.get(id))?.state === 'delivered', 'bob confirms');
    } finally {
      await m.close();
      await b.close();
    }
  });

  it('over-deep and oversized stanzas are dropped before parsing; the session stays up', async () => {
    const [alice, mallory] = await createUsers(server, 2, 'big');
    const kit = await openKit(server, alice!);
    const errors: string[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => errors.push(String('reason' in e ? e.reason : e.message));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    const m = await rawClient(server, mallory!);
    try {
      let deep = xml('body', {}, 'deep body');
      for (let i = 0; i < 200; i++) deep = xml('x', { xmlns: `urn:x:${i % 3}` }, deep);
      await m.send(xml('message', { to: alice!.jid, type: 'chat' }, xml('body', {}, 'deep wrapper'), deep));
      const attrs: Record<string, string> = { to: alice!.jid, type: 'chat' };
      for (let i = 0; i < 100; i++) attrs[`a${i}`] = String(i);
      await m.send(xml('message', attrs, xml('body', {}, 'many attributes')));
      await m.send(xml('message', { to: alice!.jid, type: 'chat' }, xml('body', {}, 'wide'), ...Array.from({ length: 6000 }, () => xml('i'))));
      await m.send(xml('message', { to: alice!.jid, type: 'chat' }, xml('body', {}, 'marker')));
      await eventually(async () => (await latestMessages(kit.db!, mallory!.jid, 10)).length >= 1, 'marker arrives');
      await settle(300);
      expect((await latestMessages(kit.db!, mallory!.jid, 10)).map((x) => x.body)).to.deep.equal(['marker']);
      expect(kit.status).to.equal('online');
      expect(errors).to.deep.equal([]);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
      await m.close();
    }
  });
});
