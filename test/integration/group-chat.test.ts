import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { ChatKitError, type ChatKit, type CkConversationLeftEvent, type CkMembers, type Profile } from '../../src/index.js';
import { latestMessages, roomMembers } from '../../src/store/queries.js';
import { befriend, createUsers, type TestUser } from '../support/server.js';
import { eventually, eventuallyEqual, openKit, parts, text, useServer } from '../support/kit.js';
import { signer, type SignerOptions } from '../support/signing.js';

const server = useServer();

const NAMES = ['Alice', 'Bob', 'Carol', 'Dave'];

/** Users with display names (their fetchProfiles answers by the test's own table). */
async function people(count: number, prefix: string): Promise<{ users: TestUser[]; names: Record<string, string> }> {
  const users = await createUsers(server, count, prefix);
  const names = Object.fromEntries(users.map((u, i) => [u.username, NAMES[i]!]));
  return { users, names };
}

function kitFor(user: TestUser, names: Record<string, string>, options: SignerOptions = {}): Promise<ChatKit> {
  const fetchProfiles = async (ids: string[]): Promise<Profile[]> =>
    ids.filter((id) => names[id]).map((id) => ({ id, name: names[id]!, avatarUrl: `http://127.0.0.1:9/${id}.png` }));
  return openKit(server, user, { fetchProfiles, generateSignature: signer(server, user.password, options) });
}

async function bodies(kit: ChatKit, id: string, kind: 'text' | 'system' = 'text'): Promise<string[]> {
  return (await latestMessages(kit.db!, id, 1000)).filter((m) => (m.kind ?? 'text') === kind).map((m) => m.body);
}

async function systemEvents(kit: ChatKit, id: string): Promise<string[]> {
  return (await latestMessages(kit.db!, id, 1000))
    .filter((m) => m.kind === 'system')
    .map((m) => [m.system!.event, m.system!.actor ?? '-', m.system!.target ?? '-'].join(' '));
}

/** Waits until `kit` is in the group (joined, not pending). */
async function joined(kit: ChatKit, room: string): Promise<void> {
  await eventually(async () => {
    const c = await kit.db!.conversations.get(room);
    return c && c.joinedAt && !c.invitePending && !c.left;
  }, `${kit.clientId} in ${room}`, 15_000);
}

describe('group chat through a real server', () => {
  it('alice creates a group with bob and carol: all three see it, talk, and see each other by name', async () => {
    const { users, names } = await people(3, 'grp');
    const [alice, bob, carol] = users as [TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const signed: SignerOptions = { log: [] };
    const aliceKit = await kitFor(alice, names, signed);
    const bobKit = await kitFor(bob, names);
    const carolKit = await kitFor(carol, names);

    const room = await aliceKit.startConversation([bob.username, carol.username]);
    expect(room).to.match(/@conference\.localhost$/);
    expect(signed.log!.filter((r) => r.action !== 'open')).to.deep.equal([
      { action: 'start', clientId: alice.username, conversationId: room, memberIds: [bob.username, carol.username] },
    ]);
    const conv = (await aliceKit.db!.conversations.get(room))!;
    expect(conv.type).to.equal('group');
    expect(conv.name).to.equal('Alice, Bob, Carol');

    // The invitees' lists show it (joined at once: the inviter is their contact).
    await joined(bobKit, room);
    await joined(carolKit, room);
    await eventually(async () => (await bobKit.db!.conversations.get(room))?.name === 'Alice, Bob, Carol', "bob sees the group's name");

    await aliceKit.send(room, 'hello group');
    await eventuallyEqual(() => bodies(bobKit, room), ['hello group'], "bob's log");
    await eventuallyEqual(() => bodies(carolKit, room), ['hello group'], "carol's log");
    await bobKit.send(room, 'hi from bob');
    await eventuallyEqual(() => bodies(aliceKit, room), ['hello group', 'hi from bob'], "alice's log");
    await eventuallyEqual(() => bodies(carolKit, room), ['hello group', 'hi from bob'], "carol's log");

    // Senders are user ids; the room's echo of alice's own message is the same record.
    const aliceLog = (await latestMessages(aliceKit.db!, room, 100)).filter((m) => m.kind !== 'system');
    expect(aliceLog.map((m) => [m.from, m.own])).to.deep.equal([
      [alice.username, true],
      [bob.username, false],
    ]);
    await eventually(async () => (await aliceKit.db!.messages.get(aliceLog[0]!.id))?.stanzaId, 'echo merged into the own message');
    const carolLog = (await latestMessages(carolKit.db!, room, 100)).filter((m) => m.kind !== 'system');
    expect(carolLog.map((m) => m.from)).to.deep.equal([alice.username, bob.username]);
    expect((await carolKit.db!.conversations.get(room))!.unread).to.equal(2);
    expect((await bobKit.db!.conversations.get(room))!.unread).to.equal(0); // replying is reading

    // Members with their standing, and names through fetchProfiles.
    await eventuallyEqual(
      async () => (await roomMembers(bobKit.db!, room)).map((m) => [m.userId, m.affiliation]),
      [
        [alice.username, 'owner'],
        ...[bob.username, carol.username].sort().map((id) => [id, 'member']),
      ],
      "bob's member list",
    );
    const panel = await fixture<CkMembers>(html`<ck-members .kit=${carolKit} conversation=${room}></ck-members>`);
    await eventually(() => parts(panel, '[part=item]').length === 3, 'three members shown');
    await eventually(() => parts(panel, '[part=name]').every((n) => !n.querySelector('.placeholder')), 'names loaded');
    const rows = parts(panel, '[part=item]');
    const shown = (r: HTMLElement): string => text(r.querySelector('[part=name]')).replace(/\(You\)|,.*$/g, '');
    expect(rows.map(shown)).to.have.members(['Alice', 'Bob', 'Carol']);
    expect(rows.find((r) => r.dataset.id === carol.username)!.querySelector('.you')).to.not.equal(null);
    expect(text(rows.find((r) => r.dataset.id === alice.username)!.querySelector('[part=role]'))).to.equal('Owner');
    // Carol is a plain member: no remove buttons for her.
    expect(parts(panel, '[part=remove-button]').length).to.equal(0);
    expect(rows[0]!.querySelector<HTMLImageElement>('[part=avatar] img')?.getAttribute('src')).to.match(/^http:\/\/127\.0\.0\.1:9\//);

    // Alice's log: the creation and the two members she added.
    await eventuallyEqual(
      () => systemEvents(aliceKit, room),
      [`created ${alice.username} -`, `joined ${alice.username} ${bob.username}`, `joined ${alice.username} ${carol.username}`],
      "alice's system lines",
    );
    // Bob's: the invitation.
    expect((await systemEvents(bobKit, room))[0]).to.equal(`invited ${alice.username} ${bob.username}`);
  });

  it('alice removes carol: carol sees the group as left and gets nothing more; bob sees the system line', async () => {
    const { users, names } = await people(3, 'kick');
    const [alice, bob, carol] = users as [TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const signed: SignerOptions = { log: [] };
    const aliceKit = await kitFor(alice, names, signed);
    const bobKit = await kitFor(bob, names);
    const carolKit = await kitFor(carol, names);
    const room = await aliceKit.startConversation([bob.username, carol.username], { name: 'Project' });
    await joined(bobKit, room);
    await joined(carolKit, room);
    const leftEvents: CkConversationLeftEvent[] = [];
    carolKit.addEventListener('ck-conversation-left', (e) => leftEvents.push(e));

    // Bob is a member, not an admin: refused before anything is signed or sent.
    await eventually(async () => (await bobKit.db!.members.get([room, bob.username]))?.affiliation === 'member', "bob's standing known");
    const err = await bobKit.kick(room, [carol.username]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ChatKitError);
    expect((err as ChatKitError).code).to.equal('forbidden');

    await aliceKit.kick(room, [carol.username]);
    expect(signed.log!.at(-1)).to.deep.equal({ action: 'kick', clientId: alice.username, conversationId: room, memberIds: [carol.username] });
    await eventually(() => leftEvents.length === 1, 'ck-conversation-left on carol');
    expect(leftEvents[0]!.conversationId).to.equal(room);
    expect(leftEvents[0]!.reason).to.equal('kicked');
    expect(leftEvents[0]!.actor).to.equal(alice.username);
    const carolConv = (await carolKit.db!.conversations.get(room))!;
    expect(carolConv.left).to.equal(true);
    expect(carolConv.leftReason).to.equal('kicked');
    await eventually(async () => (await systemEvents(bobKit, room)).includes(`kicked ${alice.username} ${carol.username}`), "bob's system line");
    await eventually(async () => !(await bobKit.db!.members.get([room, carol.username])), 'carol gone from bob’s member list');

    await aliceKit.send(room, 'after carol left');
    await eventuallyEqual(() => bodies(bobKit, room), ['after carol left'], 'bob still gets messages');
    await new Promise((r) => setTimeout(r, 300));
    expect(await bodies(carolKit, room)).to.deep.equal([]);
    // Carol cannot write to it any more.
    const sendErr = await carolKit.send(room, 'let me back').then(
      () => null,
      (e: unknown) => e as ChatKitError,
    );
    expect(sendErr?.code).to.equal('forbidden');
  });

  it('bob mentioned by alice: the message carries the mention and the conversation is marked until read', async () => {
    const { users, names } = await people(3, 'men');
    const [alice, bob, carol] = users as [TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const aliceKit = await kitFor(alice, names);
    const bobKit = await kitFor(bob, names);
    const carolKit = await kitFor(carol, names);
    const room = await aliceKit.startConversation([bob.username, carol.username]);
    await joined(bobKit, room);
    await joined(carolKit, room);

    // An emoji before the mention: offsets count code points (as XEP-0372 and renderText do).
    const body = '🎉 @Bob look';
    const mention = { begin: 2, end: 6, uri: aliceKit.mentionUri(bob.username) };
    expect([...body].slice(mention.begin, mention.end).join('')).to.equal('@Bob');
    await aliceKit.send(room, body, { mentions: [mention] });
    const got = await eventually(async () => (await latestMessages(bobKit.db!, room, 100)).find((m) => m.body === body), 'bob got it');
    expect(got.mentions).to.deep.equal([{ begin: 2, end: 6, uri: `xmpp:${bob.jid}` }]);
    expect(got.mentioned).to.equal(true);
    expect((await bobKit.db!.conversations.get(room))!.mentioned).to.equal(true);
    // Carol sees the mention, but she is not mentioned.
    const carolCopy = await eventually(async () => (await latestMessages(carolKit.db!, room, 100)).find((m) => m.body === body), 'carol got it');
    expect(carolCopy.mentions?.length).to.equal(1);
    expect(carolCopy.mentioned).to.equal(undefined);
    expect((await carolKit.db!.conversations.get(room))!.mentioned).to.equal(undefined);

    await bobKit.markRead(room);
    const read = (await bobKit.db!.conversations.get(room))!;
    expect([read.unread, read.mentioned]).to.deep.equal([0, false]);

    // Bad mentions are refused before anything is queued.
    for (const bad of [{ begin: 5, end: 12, uri: mention.uri }, { begin: 0, end: 2, uri: 'https://example.com' }]) {
      const err = await aliceKit.send(room, body, { mentions: [bad] }).then(
        () => null,
        (e: unknown) => e as ChatKitError,
      );
      expect(err?.code).to.equal('invalid-argument');
    }
  });

  it('an invitation from a non-contact waits as a request; accepting joins; a contact’s joins at once', async () => {
    const { users, names } = await people(4, 'inv');
    const [alice, bob, carol, dave] = users as [TestUser, TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const aliceKit = await kitFor(alice, names);
    const bobKit = await kitFor(bob, names);
    const daveKit = await kitFor(dave, names);
    const invites: Array<[string, string, boolean]> = [];
    daveKit.addEventListener('ck-invite', (e) => invites.push([e.conversationId, e.inviter, e.pending]));
    const room = await aliceKit.startConversation([bob.username, carol.username], { name: 'Team' });
    await joined(bobKit, room);
    await aliceKit.send(room, 'before dave');

    // Dave is nobody's contact: the invitation waits; nothing is joined.
    await aliceKit.invite(room, [dave.username]);
    const pending = await eventually(async () => {
      const c = await daveKit.db!.conversations.get(room);
      return c?.invitePending ? c : undefined;
    }, 'a pending invitation for dave');
    expect(pending.invitedBy).to.equal(alice.username);
    expect(pending.joinedAt).to.equal(undefined);
    await eventually(() => pending.name === 'Team' || daveKit.db!.conversations.get(room).then((c) => c?.name === 'Team'), 'the group name shown with the request');
    expect(invites).to.deep.equal([[room, alice.username, true]]);
    // Bob sees dave added.
    await eventually(async () => (await systemEvents(bobKit, room)).includes(`joined - ${dave.username}`), "bob's line about dave");
    expect(await bodies(daveKit, room)).to.deep.equal([]);

    await daveKit.acceptInvite(room);
    await joined(daveKit, room);
    // History from before the invitation is there, and not counted as unread.
    await eventuallyEqual(() => bodies(daveKit, room), ['before dave'], "dave's history");
    expect((await daveKit.db!.conversations.get(room))!.unread).to.equal(0);
    await aliceKit.send(room, 'welcome dave');
    await eventuallyEqual(() => bodies(daveKit, room), ['before dave', 'welcome dave'], 'dave gets new messages');
    expect((await daveKit.db!.conversations.get(room))!.unread).to.equal(1);
  });

  it('a name, subject or rename with markup stays text in the store and on screen', async () => {
    const { users, names } = await people(2, 'mark');
    const [alice, bob] = users as [TestUser, TestUser];
    await befriend(server, alice, bob);
    const aliceKit = await kitFor(alice, names);
    const bobKit = await kitFor(bob, names);
    const hostile = '<img src=x onerror="window.__ckGroupXss=1"><b>Team</b>';
    const room = await aliceKit.startConversation([bob.username], { name: hostile });
    await joined(bobKit, room);
    await eventually(async () => (await bobKit.db!.conversations.get(room))?.name === hostile, 'name as text for bob');

    await bobKit.setSubject(room, '<script>window.__ckGroupXss=2</script> & friends');
    await eventually(async () => (await aliceKit.db!.conversations.get(room))?.subject === '<script>window.__ckGroupXss=2</script> & friends', 'subject as text');
    await eventually(
      async () => (await latestMessages(aliceKit.db!, room, 100)).some((m) => m.system?.event === 'subject' && m.system.actor === bob.username),
      'subject line naming bob',
    );

    // Only owners rename.
    const err = await bobKit.rename(room, 'Mine now').then(
      () => null,
      (e: unknown) => e as ChatKitError,
    );
    expect(err?.code).to.equal('forbidden');
    await aliceKit.rename(room, '<i>Renamed</i>');
    await eventually(async () => (await bobKit.db!.conversations.get(room))?.name === '<i>Renamed</i>', 'bob sees the new name');
    await eventually(async () => (await systemEvents(aliceKit, room)).includes(`renamed ${alice.username} -`), "alice's rename line");
    await eventually(async () => (await latestMessages(bobKit.db!, room, 100)).some((m) => m.system?.event === 'renamed' && m.system.name === '<i>Renamed</i>'), "bob's rename line");

    const list = await fixture(html`<ck-conversation-list .kit=${bobKit}></ck-conversation-list>`);
    await eventually(() => text(list.shadowRoot?.querySelector(`[data-id="${room}"] [part=name]`)) === '<i>Renamed</i>', 'list shows the name as text');
    expect(list.shadowRoot!.querySelector('i, img, script')).to.equal(null);
    expect((window as { __ckGroupXss?: number }).__ckGroupXss).to.equal(undefined);
  });

  it('bob leaves: alice sees it; bob keeps the history, marked left, and does not rejoin after reconnecting', async () => {
    const { users, names } = await people(3, 'leave');
    const [alice, bob, carol] = users as [TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const aliceKit = await kitFor(alice, names);
    const bobKit = await kitFor(bob, names);
    const room = await aliceKit.startConversation([bob.username, carol.username]);
    await joined(bobKit, room);
    await aliceKit.send(room, 'one');
    await eventuallyEqual(() => bodies(bobKit, room), ['one'], 'bob got it');
    const events: string[] = [];
    bobKit.addEventListener('ck-conversation-left', (e) => events.push(e.reason));

    await bobKit.leave(room);
    const conv = (await bobKit.db!.conversations.get(room))!;
    expect([conv.left, conv.leftReason]).to.deep.equal([true, 'left']);
    expect(events).to.deep.equal(['left']);
    await eventually(async () => (await systemEvents(aliceKit, room)).includes(`left ${bob.username} ${bob.username}`), 'alice sees bob left');
    await eventually(async () => !(await aliceKit.db!.members.get([room, bob.username])), 'bob off the member list');

    await aliceKit.send(room, 'two');
    bobKit.reconnectNow();
    await bobKit.close();
    const again = await kitFor(bob, names);
    await new Promise((r) => setTimeout(r, 1500));
    // A fresh store on a new session learns nothing of a group bob left.
    const fresh = await again.db!.conversations.get(room);
    expect(fresh === undefined || fresh.left === true || fresh.invitePending === true).to.equal(true);
    expect(await bodies(again, room)).to.not.include('two');
  });

  it('a vetoed start creates nothing; a group needs a member', async () => {
    const { users, names } = await people(3, 'veto');
    const [alice, bob, carol] = users as [TestUser, TestUser, TestUser];
    const log: SignerOptions['log'] = [];
    const aliceKit = await kitFor(alice, names, { veto: ['start'], log });
    const err = await aliceKit.startConversation([bob.username, carol.username]).then(
      () => null,
      (e: unknown) => e as ChatKitError,
    );
    expect(err?.code).to.equal('signature-vetoed');
    expect(await aliceKit.db!.conversations.count()).to.equal(0);
    const room = log.find((r) => r.action === 'start')!.conversationId!;
    // The room was never created on the server.
    const bobKit = await kitFor(bob, names);
    expect(await bobKit.db!.conversations.get(room)).to.equal(undefined);
    const empty = await aliceKit.startConversation([alice.username], { name: 'Just me' }).then(
      () => null,
      (e: unknown) => e as ChatKitError,
    );
    expect(empty?.code).to.equal('invalid-argument');
  });

  it("alice's new device (a fresh store) finds the groups she created, with their history", async () => {
    const { users, names } = await people(3, 'dev');
    const [alice, bob, carol] = users as [TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    const phone = await kitFor(alice, names);
    const bobKit = await kitFor(bob, names);
    const room = await phone.startConversation([bob.username, carol.username], { name: 'Everywhere' });
    await joined(bobKit, room);
    await bobKit.send(room, 'seen on every device');
    await eventuallyEqual(() => bodies(phone, room), ['seen on every device'], 'on the phone');

    const laptop = await kitFor(alice, names);
    await joined(laptop, room);
    expect((await laptop.db!.conversations.get(room))!.name).to.equal('Everywhere');
    await eventuallyEqual(() => bodies(laptop, room), ['seen on every device'], 'history on the laptop');
    expect((await laptop.db!.conversations.get(room))!.unread).to.equal(0);
    await laptop.send(room, 'from the laptop');
    await eventuallyEqual(() => bodies(bobKit, room), ['seen on every device', 'from the laptop'], 'bob got it');
    await eventuallyEqual(() => bodies(phone, room), ['seen on every device', 'from the laptop'], 'the phone sees its own account');
    expect((await latestMessages(phone.db!, room, 10)).filter((m) => m.kind !== 'system').map((m) => m.own)).to.deep.equal([false, true]);
  });

  it('a plain member invites too (through the room, signed): the invitee joins and everyone sees it', async () => {
    const { users, names } = await people(4, 'minv');
    const [alice, bob, carol, dave] = users as [TestUser, TestUser, TestUser, TestUser];
    await befriend(server, alice, bob);
    await befriend(server, alice, carol);
    await befriend(server, bob, dave);
    const aliceKit = await kitFor(alice, names);
    const log: SignerOptions['log'] = [];
    const bobKit = await kitFor(bob, names, { log });
    const daveKit = await kitFor(dave, names);
    const room = await aliceKit.startConversation([bob.username, carol.username]);
    await joined(bobKit, room);
    await eventually(async () => (await bobKit.db!.members.get([room, bob.username]))?.affiliation === 'member', "bob's standing known");

    await bobKit.invite(room, [dave.username]);
    expect(log.at(-1)).to.deep.equal({ action: 'invite', clientId: bob.username, conversationId: room, memberIds: [dave.username] });
    await joined(daveKit, room);
    expect((await daveKit.db!.conversations.get(room))!.invitedBy).to.equal(bob.username);
    await eventually(async () => (await systemEvents(aliceKit, room)).includes(`joined - ${dave.username}`), "alice's line");
    await eventually(async () => (await systemEvents(bobKit, room)).includes(`joined ${bob.username} ${dave.username}`), "bob's line names him");
    await daveKit.send(room, 'thanks bob');
    await eventuallyEqual(() => bodies(aliceKit, room), ['thanks bob'], 'alice hears dave');
  });
});
