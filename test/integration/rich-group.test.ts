import { expect } from '@open-wc/testing';
import '../../src/index.js';
import type { ChatKit, MessageRecord } from '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { befriend, createUsers, type TestUser } from '../support/server.js';
import { eventually, eventuallyEqual, openKit, useServer } from '../support/kit.js';
import { signer } from '../support/signing.js';

const server = useServer();

function kitFor(user: TestUser): Promise<ChatKit> {
  return openKit(server, user, { generateSignature: signer(server, user.password) });
}

async function joined(kit: ChatKit, room: string): Promise<void> {
  await eventually(async () => {
    const c = await kit.db!.conversations.get(room);
    return c && c.joinedAt && !c.invitePending && !c.left;
  }, `${kit.clientId} in ${room}`, 15_000);
}

async function rows(kit: ChatKit, room: string): Promise<MessageRecord[]> {
  return (await latestMessages(kit.db!, room, 500)).filter((m) => m.kind !== 'system');
}

async function byBody(kit: ChatKit, room: string, body: string): Promise<MessageRecord> {
  return eventually(async () => (await rows(kit, room)).find((m) => m.body === body), `"${body}" in ${kit.clientId}'s store`, 15_000);
}

function sortedReactions(m: MessageRecord | undefined): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const key of Object.keys(m?.reactions ?? {}).sort()) if (m!.reactions![key]!.length) out[key] = [...m!.reactions![key]!].sort();
  return out;
}

/**
 * The state a reader sees: each message's text, edited/recalled marks, reactions, and
 * which message (by its text) it replies to.
 */
async function state(kit: ChatKit, room: string): Promise<unknown[]> {
  const all = await rows(kit, room);
  const bodyOf = new Map(all.map((m) => [m.id, m.body]));
  return all.map((m) => ({
    body: m.body,
    edited: !!m.edited,
    retracted: !!m.retracted,
    reactions: sortedReactions(m),
    replyTo: m.reply ? (m.reply.id ? bodyOf.get(m.reply.id) ?? '?' : 'unresolved') : null,
  }));
}

describe('rich messages in a group through a real server', () => {
  it('edit, recall, reactions and replies reach every member, and a new device sees the same from the room archive', async function () {
    this.timeout(90_000);
    const [alice, bob, carol] = (await createUsers(server, 3, 'rgrp')) as [TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const aliceKit = await kitFor(alice);
    const bobKit = await kitFor(bob);
    const carolKit = await kitFor(carol);
    const room = await aliceKit.startConversation([bob.username, carol.username], { name: 'Rich' });
    await joined(bobKit, room);
    await joined(carolKit, room);

    const typo = await aliceKit.send(room, 'meeting at 10, room 4O4');
    const oops = await aliceKit.send(room, 'wrong group, sorry');
    // Her own message, replied to and reacted to before the room has echoed it (no stanza-id yet).
    const question = await aliceKit.send(room, 'who brings snacks?');
    await aliceKit.send(room, 'I can bring some', { replyTo: question });
    await aliceKit.react(question, '🍪');

    const bobsTypo = await byBody(bobKit, room, 'meeting at 10, room 4O4');
    const bobsQuestion = await byBody(bobKit, room, 'who brings snacks?');
    // (Alice's reply waits for the echo of her question; bob answers after it, so every log has one order.)
    await byBody(bobKit, room, 'I can bring some');
    await bobKit.send(room, 'me too', { replyTo: bobsQuestion.id });
    await bobKit.react(bobsTypo.id, '👍');
    const carolsTypo = await byBody(carolKit, room, 'meeting at 10, room 4O4');
    await carolKit.react(carolsTypo.id, '👍');

    await aliceKit.edit(typo, 'meeting at 10, room 404');
    await aliceKit.recall(oops);

    const want = [
      { body: 'meeting at 10, room 404', edited: true, retracted: false, reactions: { '👍': [bob.username, carol.username].sort() }, replyTo: null },
      { body: '', edited: false, retracted: true, reactions: {}, replyTo: null },
      { body: 'who brings snacks?', edited: false, retracted: false, reactions: { '🍪': [alice.username] }, replyTo: null },
      { body: 'I can bring some', edited: false, retracted: false, reactions: {}, replyTo: 'who brings snacks?' },
      { body: 'me too', edited: false, retracted: false, reactions: {}, replyTo: 'who brings snacks?' },
    ];
    await eventuallyEqual(() => state(aliceKit, room), want, "alice's log", 20_000);
    await eventuallyEqual(() => state(bobKit, room), want, "bob's log", 20_000);
    await eventuallyEqual(() => state(carolKit, room), want, "carol's log", 20_000);
    // Group replies name the room's stanza-id of their original.
    const aliceAnswer = (await rows(aliceKit, room)).find((m) => m.body === 'I can bring some')!;
    const aliceQuestion = (await aliceKit.db!.messages.get(question))!;
    expect(aliceAnswer.reply?.ref).to.equal(aliceQuestion.stanzaId);
    expect(JSON.stringify(await carolKit.db!.messages.toArray())).to.not.contain('wrong group');
    for (const kit of [aliceKit, bobKit, carolKit]) await eventually(async () => (await kit.db!.ops.count()) === 0, `${kit.clientId}'s changes acknowledged`);

    // Carol toggles her 👍 off.
    await carolKit.react(carolsTypo.id, '👍');
    want[0]!.reactions = { '👍': [bob.username] };
    await eventuallyEqual(() => state(bobKit, room), want, "bob's log after carol's toggle", 20_000);

    const bobAgain = await kitFor(bob);
    await joined(bobAgain, room);
    await eventuallyEqual(() => state(bobAgain, room), want, "bob's new device", 20_000);
    const aliceAgain = await kitFor(alice);
    await joined(aliceAgain, room);
    await eventuallyEqual(() => state(aliceAgain, room), want, "alice's new device", 20_000);
  });

  it('typing in a group: members see who types, until the pause or the message', async function () {
    this.timeout(40_000);
    const [alice, bob] = (await createUsers(server, 2, 'rtyp')) as [TestUser, TestUser];
    await befriend(server, alice, bob);
    const aliceKit = await kitFor(alice);
    const bobKit = await kitFor(bob);
    const room = await aliceKit.startConversation([bob.username], { name: 'Typing' });
    await joined(bobKit, room);
    // A first message proves both are in the room (chat states are not archived or replayed).
    await bobKit.send(room, 'here');
    await byBody(aliceKit, room, 'here');
    const typing = async (): Promise<string[]> => (await bobKit.db!.typing.where('conversationId').equals(room).toArray()).map((t) => t.userId);

    aliceKit.setTyping(room, true);
    await eventuallyEqual(typing, [alice.username], 'bob sees alice typing');
    await eventuallyEqual(typing, [], 'her pause clears it', 9000);
    aliceKit.setTyping(room, true);
    await eventuallyEqual(typing, [alice.username], 'alice types again');
    await aliceKit.send(room, 'done');
    await eventuallyEqual(typing, [], 'her message clears it');
    // Bob's own typing never shows him as typing to himself (the room reflects it back).
    bobKit.setTyping(room, true);
    await new Promise((r) => setTimeout(r, 800));
    expect(await typing()).to.deep.equal([]);
    // A group the user is not in hears nothing, and nothing throws.
    aliceKit.setTyping(`nosuchroom@${server.mucDomain}`, true);
  });
});
