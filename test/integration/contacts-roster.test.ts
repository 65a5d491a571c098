import { expect, fixture, html } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import '../../src/index.js';
import type { ChatKit, ChatKitError, CkContactPicker } from '../../src/index.js';
import { ROSTER_VER_KEY } from '../../src/store/contacts.js';
import { getMeta } from '../../src/store/queries.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, eventuallyEqual, makeKit, openKit, part, parts, text, useServer } from '../support/kit.js';
import { rawClient, recordFrames } from '../support/raw-client.js';

const server = useServer();

const row = (picker: CkContactPicker, id: string) => part(picker, `[part=item][data-id="${id}"]`);
const dot = (picker: CkContactPicker, id: string) => row(picker, id)?.querySelector('[part=presence]')?.getAttribute('data-show');
const contact = (kit: ChatKit, id: string) => kit.db!.contacts.get(id);

async function pickerFor(kit: ChatKit): Promise<CkContactPicker> {
  return fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 600px"></ck-contact-picker>`);
}

describe('contacts: requests and presence', () => {
  it('alice adds dave; dave accepts; both see each other online; dave closes: alice sees him offline with a last-seen time', async () => {
    const [alice, dave] = await createUsers(server, 2, 'add');
    const aliceKit = await openKit(server, alice!);
    const daveKit = await openKit(server, dave!);
    const alicePicker = await pickerFor(aliceKit);
    const davePicker = await pickerFor(daveKit);

    await aliceKit.addContact(dave!.username, { message: 'Hi Dave, it is Alice' });
    // Alice sees her pending request; Dave sees it in his requests, with her words.
    await eventually(() => text(row(alicePicker, dave!.username)?.querySelector('[part=status]')) === 'Request sent', 'pending row on alice');
    await eventually(() => part(davePicker, `[part=request][data-id="${alice!.username}"]`), 'request on dave');
    expect(text(part(davePicker, '[part=request] .sub'))).to.equal('Hi Dave, it is Alice');
    expect(row(davePicker, alice!.username)).to.equal(null);

    part<HTMLButtonElement>(davePicker, '[part=accept-button]')!.click();
    await eventually(() => !part(davePicker, '[part=requests]'), 'request answered');
    await eventually(async () => (await contact(aliceKit, dave!.username))?.subscription === 'both', 'alice: dave is a mutual contact');
    await eventually(async () => (await contact(daveKit, alice!.username))?.subscription === 'both', 'dave: alice is a mutual contact');
    await eventually(() => dot(alicePicker, dave!.username) === 'online', 'alice sees dave online');
    await eventually(() => dot(davePicker, alice!.username) === 'online', 'dave sees alice online');
    expect(await daveKit.db!.requests.count()).to.equal(0);

    const closedAt = Date.now();
    await daveKit.close();
    await eventually(() => dot(alicePicker, dave!.username) === 'offline', 'alice sees dave offline');
    await eventually(() => /^Offline: Last seen (just now|1 minute ago)$/.test(text(row(alicePicker, dave!.username)?.querySelector('[part=status]'))), 'last seen text');
    const presence = await aliceKit.db!.presence.get(dave!.username);
    expect(presence?.lastSeen).to.be.within(closedAt - 1000, Date.now());
  });

  it('a declined request makes no contact; removing a contact ends it on both sides', async () => {
    const [alice, bob, carol] = await createUsers(server, 3, 'dec');
    await befriend(server, alice!, carol!);
    const aliceKit = await openKit(server, alice!);
    const bobKit = await openKit(server, bob!);
    const carolKit = await openKit(server, carol!);

    await aliceKit.addContact(bob!.username);
    await eventually(async () => (await bobKit.db!.requests.get(alice!.username))?.jid === alice!.jid, 'bob got the request');
    await bobKit.declineContact(alice!.username);
    expect(await bobKit.db!.requests.count()).to.equal(0);
    await eventually(async () => {
      const c = await contact(aliceKit, bob!.username);
      return c && c.subscription === 'none' && !c.ask;
    }, 'alice: request refused');
    expect(await contact(bobKit, alice!.username)).to.equal(undefined);

    await eventually(async () => (await contact(aliceKit, carol!.username))?.subscription === 'both', 'alice and carol are friends');
    const carolPicker = await pickerFor(carolKit);
    await eventually(() => row(carolPicker, alice!.username), 'carol lists alice');
    await aliceKit.removeContact(carol!.username);
    await eventually(async () => !(await contact(aliceKit, carol!.username)), 'gone from alice');
    await eventually(() => !row(carolPicker, alice!.username), 'gone from carol’s picker');
  });

  it('rename and groups reach every device of the user', async () => {
    const [alice, bob] = await createUsers(server, 2, 'ren');
    await befriend(server, alice!, bob!);
    const laptop = await openKit(server, alice!);
    const phone = await openKit(server, alice!);
    const picker = await pickerFor(phone);
    await eventually(() => row(picker, bob!.username), 'bob listed');
    await laptop.updateContact(bob!.username, { name: 'Bobby Tables', groups: ['Work', 'Chess'] });
    await eventuallyEqual(async () => {
      const c = await contact(phone, bob!.username);
      return [c?.name, [...(c?.groups ?? [])].sort()];
    }, ['Bobby Tables', ['Chess', 'Work']], 'the phone has the new name and groups');
    await eventually(() => text(row(picker, bob!.username)?.querySelector('.name')) === 'Bobby Tables', 'renamed row');
    await laptop.updateContact(bob!.username, { groups: [] });
    await eventuallyEqual(async () => (await contact(phone, bob!.username))?.groups, [], 'groups cleared');
    expect((await contact(phone, bob!.username))?.name).to.equal('Bobby Tables');
  });

  it('a reload does not fetch an unchanged roster again (roster versioning)', async () => {
    const [alice, bob, carol, dave] = await createUsers(server, 4, 'ver');
    await befriend(server, alice!, bob!);
    await befriend(server, alice!, carol!);
    const storage = { storage: 'indexeddb' as const };
    const first = await openKit(server, alice!, storage);
    await eventually(async () => (await first.db!.contacts.count()) === 2, 'roster stored');
    const ver = await getMeta<string>(first.db!, ROSTER_VER_KEY);
    expect(ver).to.be.a('string').and.not.equal('');
    await first.close();

    const recorder = recordFrames();
    try {
      const second = await openKit(server, alice!, storage);
      await eventually(() => recorder.frames.some((f) => f.includes('<presence') && f.includes(bob!.username)), 'session started (presence arrived)');
      const rosterItems = recorder.frames.filter((f) => f.includes('jabber:iq:roster') && f.includes('<item'));
      expect(rosterItems, 'no roster items were sent').to.deep.equal([]);
      expect(await second.db!.contacts.count()).to.equal(2);

      // A change while online comes as a push and moves the version on.
      await befriend(server, alice!, dave!);
      await eventually(async () => (await second.db!.contacts.count()) === 3, 'pushed contact');
      await eventually(async () => (await getMeta<string>(second.db!, ROSTER_VER_KEY)) !== ver, 'version moved');
      await second.close();

      recorder.frames.length = 0;
      const third = await openKit(server, alice!, storage);
      await eventually(() => recorder.frames.some((f) => f.includes('<presence') && f.includes(dave!.username)), 'third session started');
      expect(recorder.frames.filter((f) => f.includes('jabber:iq:roster') && f.includes('<item'))).to.deep.equal([]);
      expect((await third.db!.contacts.toArray()).map((c) => c.id).sort()).to.deep.equal([bob!.username, carol!.username, dave!.username].sort());
      const db = third.db!;
      await third.close();
      await db.delete();
    } finally {
      recorder.stop();
    }
  });

  it('a roster push from anyone but the user’s own server is refused', async () => {
    const [alice, mallory] = await createUsers(server, 2, 'push');
    const aliceKit = await openKit(server, alice!, { resource: 'desk' });
    await eventually(async () => (await aliceKit.db!.presence.get(alice!.username))?.show === 'online', 'alice online');
    const attacker = await rawClient(server, mallory!);
    try {
      const forged = xml(
        'iq',
        { type: 'set', to: `${alice!.jid}/desk` },
        xml('query', { xmlns: 'jabber:iq:roster' }, xml('item', { jid: mallory!.jid, subscription: 'both', name: 'Trust me' })),
      );
      const answer = await attacker.request(forged).then(
        () => 'accepted',
        (err: { condition?: string }) => err.condition ?? 'error',
      );
      expect(answer).to.equal('forbidden');
      expect(await contact(aliceKit, mallory!.username)).to.equal(undefined);
      expect(aliceKit.status).to.equal('online');
    } finally {
      await attacker.close();
    }
  });

  it('contact operations need a session and a valid id', async () => {
    const [alice] = await createUsers(server, 1, 'bad');
    const kit = makeKit(server);
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: ChatKitError) => e.code);
    expect(await code(kit.addContact('bob'))).to.equal('not-open');
    await kit.open(alice!.username, { password: alice!.password });
    expect(await code(kit.addContact('b ob'))).to.equal('invalid-argument');
    expect(await code(kit.addContact(alice!.username))).to.equal('invalid-argument');
    expect(await code(kit.updateContact('nobody', { name: 'x' }))).to.equal('invalid-argument');
    expect(await code(kit.setPresence('busy' as 'dnd'))).to.equal('invalid-argument');
    expect(parts(await pickerFor(kit), '[part=item]')).to.deep.equal([]);
  });
});
