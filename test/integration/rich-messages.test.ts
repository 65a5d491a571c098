import { expect } from '@open-wc/testing';
import '../../src/index.js';
import type { ChatKit, MessageRecord } from '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { befriend, createUsers, killServer, restartServer, type TestUser } from '../support/server.js';
import { eventually, eventuallyEqual, openKit, useServer, rejection } from '../support/kit.js';

const server = useServer();

async function pair(prefix: string): Promise<{ alice: TestUser; bob: TestUser; aliceKit: ChatKit; bobKit: ChatKit }> {
  const [alice, bob] = (await createUsers(server, 2, prefix)) as [TestUser, TestUser];
  await befriend(server, alice, bob);
  const aliceKit = await openKit(server, alice);
  const bobKit = await openKit(server, bob);
  return { alice, bob, aliceKit, bobKit };
}

async function rows(kit: ChatKit, conversationId: string): Promise<MessageRecord[]> {
  return (await latestMessages(kit.db!, conversationId, 500)).filter((m) => m.kind !== 'system');
}

/** What a reader sees of each message: text, and whether it is edited or recalled. */
async function seen(kit: ChatKit, conversationId: string): Promise<Array<{ body: string; edited: boolean; retracted: boolean }>> {
  return (await rows(kit, conversationId)).map((m) => ({ body: m.body, edited: !!m.edited, retracted: !!m.retracted }));
}

/** Reactions with keys and user ids sorted, so arrival order does not matter. */
function sortedReactions(m: MessageRecord | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(m?.reactions ?? {}).sort()) if (m!.reactions![key]!.length) out[key] = [...m!.reactions![key]!].sort();
  return out;
}

async function byBody(kit: ChatKit, conversationId: string, body: string): Promise<MessageRecord> {
  return eventually(async () => (await rows(kit, conversationId)).find((m) => m.body === body), `"${body}" in ${kit.clientId}'s store`);
}

/** A second device of the same user on an empty store: what the archive alone gives. */
function reload(user: TestUser): Promise<ChatKit> {
  return openKit(server, user);
}

describe('rich messages 1:1 through a real server', () => {
  it('alice corrects a message: bob sees the new text marked edited, live and after a reload', async function () {
    this.timeout(60_000);
    const { alice, bob, aliceKit, bobKit } = await pair('edit');
    const id = await aliceKit.send(bob.jid, 'helo wrld');
    await aliceKit.send(bob.jid, 'second');
    await eventuallyEqual(async () => (await seen(bobKit, alice.jid)).length, 2, 'bob has both');

    expect((await rejection(aliceKit.edit(id, '   '))).code).to.equal('invalid-argument');
    const bobsCopy = await byBody(bobKit, alice.jid, 'helo wrld');
    expect((await rejection(bobKit.edit(bobsCopy.id, 'forged'))).code).to.equal('forbidden');

    await aliceKit.edit(id, 'hello world');
    const mine = (await aliceKit.db!.messages.get(id))!;
    expect([mine.body, !!mine.edited]).to.deep.equal(['hello world', true]);
    const want = [
      { body: 'hello world', edited: true, retracted: false },
      { body: 'second', edited: false, retracted: false },
    ];
    await eventuallyEqual(() => seen(bobKit, alice.jid), want, "bob's log after the correction");
    await eventually(async () => (await aliceKit.db!.ops.count()) === 0, 'the correction acknowledged');

    const bobAgain = await reload(bob);
    await eventuallyEqual(() => seen(bobAgain, alice.jid), want, "bob's new device", 15_000);
    const aliceAgain = await reload(alice);
    await eventuallyEqual(() => seen(aliceAgain, bob.jid), want, "alice's new device", 15_000);
  });

  it('alice recalls a message: its text is gone for bob, live and after a reload; an unsent one just disappears', async function () {
    this.timeout(60_000);
    const { alice, bob, aliceKit, bobKit } = await pair('recall');
    const secret = await aliceKit.send(bob.jid, 'my password is hunter2');
    await aliceKit.send(bob.jid, 'keep this');
    await eventuallyEqual(async () => (await seen(bobKit, alice.jid)).length, 2, 'bob has both');
    const bobsCopy = await byBody(bobKit, alice.jid, 'keep this');
    expect((await rejection(bobKit.recall(bobsCopy.id))).code).to.equal('forbidden');

    await aliceKit.recall(secret);
    const mine = (await aliceKit.db!.messages.get(secret))!;
    expect([mine.body, mine.retracted]).to.deep.equal(['', true]);
    const want = [
      { body: '', edited: false, retracted: true },
      { body: 'keep this', edited: false, retracted: false },
    ];
    await eventuallyEqual(() => seen(bobKit, alice.jid), want, "bob's log after the recall");
    // Nothing of the recalled text is left in bob's store.
    expect(JSON.stringify(await bobKit.db!.messages.toArray())).to.not.contain('hunter2');
    expect((await bobKit.db!.conversations.get(alice.jid))!.last!.body).to.equal('keep this');
    // A recalled message takes no reply and no reaction.
    const bobsRecalled = (await rows(bobKit, alice.jid))[0]!;
    expect((await rejection(bobKit.send(alice.jid, 'what?', { replyTo: bobsRecalled.id }))).code).to.equal('invalid-argument');
    expect((await rejection(bobKit.react(bobsRecalled.id, '👍'))).code).to.equal('invalid-argument');
    await eventually(async () => (await aliceKit.db!.ops.count()) === 0, 'the retraction acknowledged');

    const bobAgain = await reload(bob);
    await eventuallyEqual(() => seen(bobAgain, alice.jid), want, "bob's new device", 15_000);
    expect(JSON.stringify(await bobAgain.db!.messages.toArray())).to.not.contain('hunter2');
    const aliceAgain = await reload(alice);
    await eventuallyEqual(() => seen(aliceAgain, bob.jid), want, "alice's new device", 15_000);
  });

  it('two users react: counts add up on both sides, a toggle removes one, and a reload shows the same', async function () {
    this.timeout(60_000);
    const { alice, bob, aliceKit, bobKit } = await pair('react');
    const id = await aliceKit.send(bob.jid, 'party on friday?');
    const bobsCopy = await byBody(bobKit, alice.jid, 'party on friday?');
    await bobKit.react(bobsCopy.id, '👍');
    await bobKit.react(bobsCopy.id, '🎉');
    await aliceKit.react(id, '👍');
    const both = { '🎉': [bob.username], '👍': [alice.username, bob.username].sort() };
    await eventuallyEqual(async () => sortedReactions(await aliceKit.db!.messages.get(id)), both, "alice's counts");
    await eventuallyEqual(async () => sortedReactions(await bobKit.db!.messages.get(bobsCopy.id)), both, "bob's counts");

    // Without `on`, react toggles: bob takes his 👍 back; `on: true` twice adds once.
    await bobKit.react(bobsCopy.id, '👍');
    await aliceKit.react(id, '👍', true);
    const after = { '🎉': [bob.username], '👍': [alice.username] };
    await eventuallyEqual(async () => sortedReactions(await aliceKit.db!.messages.get(id)), after, "alice's counts after the toggle");
    await eventuallyEqual(async () => sortedReactions(await bobKit.db!.messages.get(bobsCopy.id)), after, "bob's counts after the toggle");
    expect((await rejection(bobKit.react(bobsCopy.id, '  '))).code).to.equal('invalid-argument');
    expect((await rejection(bobKit.react(bobsCopy.id, 'x'.repeat(33)))).code).to.equal('invalid-argument');
    await eventually(async () => (await aliceKit.db!.ops.count()) + (await bobKit.db!.ops.count()) === 0, 'reactions acknowledged');

    const bobAgain = await reload(bob);
    await eventuallyEqual(async () => sortedReactions((await rows(bobAgain, alice.jid))[0]), after, "bob's new device", 15_000);
    const aliceAgain = await reload(alice);
    await eventuallyEqual(async () => sortedReactions((await rows(aliceAgain, bob.jid))[0]), after, "alice's new device", 15_000);
  });

  it("bob replies to alice's message: her copy links to her original, also after a reload", async function () {
    this.timeout(60_000);
    const { alice, bob, aliceKit, bobKit } = await pair('reply');
    const original = await aliceKit.send(bob.jid, 'lunch at noon?');
    const bobsCopy = await byBody(bobKit, alice.jid, 'lunch at noon?');
    expect((await rejection(bobKit.send(alice.jid, 'yes', { replyTo: 'no-such-message' }))).code).to.equal('invalid-argument');

    const answer = await bobKit.send(alice.jid, 'yes, agreed', { replyTo: bobsCopy.id });
    const own = (await bobKit.db!.messages.get(answer))!;
    expect(own.reply).to.deep.include({ id: bobsCopy.id, to: alice.username, excerpt: 'lunch at noon?' });
    const received = await byBody(aliceKit, bob.jid, 'yes, agreed');
    expect(received.reply?.id).to.equal(original);
    expect(received.reply?.excerpt).to.equal('lunch at noon?');

    const aliceAgain = await reload(alice);
    const again = await byBody(aliceAgain, bob.jid, 'yes, agreed');
    const originalAgain = await byBody(aliceAgain, bob.jid, 'lunch at noon?');
    await eventually(async () => (await aliceAgain.db!.messages.get(again.id))?.reply?.id === originalAgain.id, 'the reply resolved on the new device');
    const bobAgain = await reload(bob);
    const ownAgain = await byBody(bobAgain, alice.jid, 'yes, agreed');
    const bobsOriginal = await byBody(bobAgain, alice.jid, 'lunch at noon?');
    await eventually(async () => (await bobAgain.db!.messages.get(ownAgain.id))?.reply?.id === bobsOriginal.id, "bob's own reply resolved");
  });

  it('typing: bob sees alice typing, then not after her pause, and not once her message arrives', async function () {
    this.timeout(30_000);
    const { alice, bob, aliceKit, bobKit } = await pair('typing');
    const typing = async (): Promise<string[]> => (await bobKit.db!.typing.where('conversationId').equals(alice.jid).toArray()).map((t) => t.userId);
    // Chat states reach only an available client: wait until bob's start-up has sent his presence.
    await eventually(async () => (await aliceKit.db!.presence.get(bob.username))?.show === 'online', "bob's presence");

    aliceKit.setTyping(bob.jid, true);
    await eventuallyEqual(typing, [alice.username], 'bob sees alice typing');
    // She stops typing: 5 s later a pause clears it.
    const stopped = Date.now();
    await eventuallyEqual(typing, [], 'the pause clears it', 9000);
    expect(Date.now() - stopped).to.be.greaterThan(3000);

    aliceKit.setTyping(bob.jid, true);
    await eventuallyEqual(typing, [alice.username], 'typing again');
    await aliceKit.send(bob.jid, 'done typing');
    await eventuallyEqual(typing, [], 'her message ends it', 3000);
    await byBody(bobKit, alice.jid, 'done typing');

    aliceKit.setTyping(bob.jid, true);
    await eventuallyEqual(typing, [alice.username], 'typing once more');
    aliceKit.setTyping(bob.jid, false);
    await eventuallyEqual(typing, [], 'setTyping(false) ends it at once', 3000);
    // Never throws, whatever it is given.
    aliceKit.setTyping('not a jid', true);
    aliceKit.setTyping(undefined as unknown as string, true);
    // Chat states are not archived: a new device sees no typing and no empty messages.
    const bobAgain = await reload(bob);
    await byBody(bobAgain, alice.jid, 'done typing');
    expect((await rows(bobAgain, alice.jid)).map((m) => m.body)).to.deep.equal(['done typing']);
    expect(await bobAgain.db!.typing.count()).to.equal(0);
  });

  it('a shared location arrives as a location, with a geo: body', async () => {
    const { alice, bob, aliceKit, bobKit } = await pair('geo');
    expect((await rejection(aliceKit.sendLocation(bob.jid, { lat: 91, lon: 0 }))).code).to.equal('invalid-argument');
    expect((await rejection(aliceKit.sendLocation(bob.jid, { lat: 0, lon: Number.NaN }))).code).to.equal('invalid-argument');
    await aliceKit.sendLocation(bob.jid, { lat: 48.8584, lon: 2.2945, accuracy: 35 });
    const m = await byBody(bobKit, alice.jid, 'geo:48.8584,2.2945;u=35');
    expect(m.location).to.deep.equal({ lat: 48.8584, lon: 2.2945, accuracy: 35 });
    expect((await bobKit.db!.conversations.get(alice.jid))!.last!.location).to.equal(true);
  });

  it('changes made while offline go out after reconnecting, after the messages they change, in order', async function () {
    this.timeout(60_000);
    const { alice, bob, aliceKit, bobKit } = await pair('offline');
    const sent = await aliceKit.send(bob.jid, 'sent before');
    await byBody(bobKit, alice.jid, 'sent before');
    await killServer(server);
    await eventually(() => aliceKit.status === 'reconnecting', 'alice notices the server is gone');
    await aliceKit.edit(sent, 'sent before (edited offline)');
    const queued = await aliceKit.send(bob.jid, 'queued offline');
    await aliceKit.react(queued, '👀');
    await aliceKit.edit(queued, 'queued offline, fixed');
    expect((await aliceKit.db!.messages.get(queued))!.edited).to.equal(undefined); // never sent: just the new text
    expect(await aliceKit.db!.ops.count()).to.equal(2); // the correction of the sent one, the reaction
    await restartServer(server);
    aliceKit.reconnectNow();
    bobKit.reconnectNow();
    await eventuallyEqual(
      () => seen(bobKit, alice.jid),
      [
        { body: 'sent before (edited offline)', edited: true, retracted: false },
        { body: 'queued offline, fixed', edited: false, retracted: false },
      ],
      "bob's log after alice reconnects",
      30_000,
    );
    const bobsQueued = await byBody(bobKit, alice.jid, 'queued offline, fixed');
    await eventuallyEqual(async () => sortedReactions(await bobKit.db!.messages.get(bobsQueued.id)), { '👀': [alice.username] }, 'her reaction on it');
    await eventually(async () => (await aliceKit.db!.ops.count()) === 0, 'the ops outbox is empty');
  });
});
