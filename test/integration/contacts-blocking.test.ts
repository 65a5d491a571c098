import { expect } from '@open-wc/testing';
import '../../src/index.js';
import { countMessages, latestMessages, recentConversations } from '../../src/store/queries.js';
import { isBlocked } from '../../src/store/contacts.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, openKit, useServer } from '../support/kit.js';

const server = useServer();

describe('blocking (XEP-0191)', () => {
  it('a blocked user’s messages are hidden at once, never stored again, and shown again after unblocking', async () => {
    const [alice, bob] = await createUsers(server, 2, 'blk');
    await befriend(server, alice!, bob!);
    const bobKit = await openKit(server, bob!);
    await bobKit.send(alice!.jid, 'one');
    await bobKit.send(alice!.jid, 'two');
    await eventually(async () => (await bobKit.db!.messages.toArray()).every((m) => m.state !== 'pending'), 'bob sent both');

    const laptop = await openKit(server, alice!);
    const db = laptop.db!;
    const conv = bob!.jid;
    await eventually(async () => (await latestMessages(db, conv, 50)).length === 2, 'alice has both messages');
    await laptop.send(conv, 'hello bob');
    await eventually(async () => (await db.messages.toArray()).some((m) => m.own && m.state !== 'pending'), 'alice replied');
    await bobKit.send(alice!.jid, 'three');
    await eventually(async () => (await db.conversations.get(conv))?.unread === 1, 'one unread');

    await laptop.block(bob!.username);
    expect(await isBlocked(db, bob!.username)).to.equal(true);
    expect((await latestMessages(db, conv, 50)).map((m) => m.body)).to.deep.equal(['hello bob']);
    expect(await countMessages(db, conv)).to.equal(1);
    const listed = (await recentConversations(db)).find((c) => c.id === conv);
    expect(listed?.last, 'no preview of a blocked user’s words').to.equal(undefined);
    expect((await db.conversations.get(conv))?.unread).to.equal(0);

    // The server drops what bob sends now.
    await bobKit.send(alice!.jid, 'four, while blocked');
    await new Promise((r) => setTimeout(r, 800));
    expect((await db.messages.toArray()).map((m) => m.body)).to.not.include('four, while blocked');

    // A new device: the block list arrives before the archive, whose copies of bob's messages are dropped.
    const phone = await openKit(server, alice!);
    await eventually(async () => (await phone.db!.messages.toArray()).some((m) => m.body === 'hello bob'), 'archive caught up');
    await new Promise((r) => setTimeout(r, 300));
    expect(await isBlocked(phone.db!, bob!.username)).to.equal(true);
    expect((await phone.db!.messages.toArray()).filter((m) => !m.own).map((m) => m.body)).to.deep.equal([]);

    await laptop.unblock(bob!.username);
    expect((await latestMessages(db, conv, 50)).map((m) => m.body)).to.deep.equal(['one', 'two', 'hello bob', 'three']);
    await eventually(async () => !(await isBlocked(phone.db!, bob!.username)), 'the unblock reached the phone');
    await bobKit.send(alice!.jid, 'five');
    await eventually(async () => (await latestMessages(db, conv, 50)).some((m) => m.body === 'five'), 'messages flow again');
  });
});
