import { expect, fixture, html } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import '../../src/index.js';
import type { ChatKit, CkContactPicker } from '../../src/index.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, makeKit, openKit, part, text, useServer } from '../support/kit.js';
import { rawClient } from '../support/raw-client.js';

const server = useServer();

const row = (picker: CkContactPicker, id: string) => part(picker, `[part=item][data-id="${id}"]`);
const dot = (picker: CkContactPicker, id: string) => row(picker, id)?.querySelector('[part=presence]')?.getAttribute('data-show');
const status = (picker: CkContactPicker, id: string) => text(row(picker, id)?.querySelector('[part=status]'));

async function pickerFor(kit: ChatKit): Promise<CkContactPicker> {
  return fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 600px"></ck-contact-picker>`);
}

describe('presence', () => {
  it('the user sets away or do-not-disturb with a status; contacts see it; closing makes them offline', async () => {
    const [alice, bob] = await createUsers(server, 2, 'pres');
    await befriend(server, alice!, bob!);
    // Chosen before signing in: the first presence already says it.
    const aliceKit = makeKit(server);
    await aliceKit.setPresence('away', 'commuting');
    await aliceKit.open(alice!.username, { password: alice!.password });
    const bobKit = await openKit(server, bob!);
    const picker = await pickerFor(bobKit);
    await eventually(() => dot(picker, alice!.username) === 'away', 'away');
    expect(status(picker, alice!.username)).to.equal('Away: commuting');
    expect((await aliceKit.db!.presence.get(alice!.username))?.show, 'own presence in the store').to.equal('away');

    await aliceKit.setPresence('dnd', 'in a meeting');
    await eventually(() => dot(picker, alice!.username) === 'dnd' && status(picker, alice!.username) === 'Do not disturb: in a meeting', 'dnd');
    await aliceKit.setPresence('online');
    await eventually(() => dot(picker, alice!.username) === 'online' && status(picker, alice!.username) === 'Online', 'online, no status');

    await aliceKit.close();
    await eventually(() => dot(picker, alice!.username) === 'offline', 'offline after close');
  });

  it('a 100 KB status from a contact is cut and shown on one line; the kit stays up', async () => {
    const [alice, carol] = await createUsers(server, 2, 'big');
    await befriend(server, alice!, carol!);
    const aliceKit = await openKit(server, alice!);
    const picker = await pickerFor(aliceKit);
    await eventually(() => row(picker, carol!.username), 'carol listed');
    const carolRaw = await rawClient(server, carol!);
    try {
      await carolRaw.send(xml('presence', {}, xml('show', {}, 'away'), xml('status', {}, `<b>${'x'.repeat(100 * 1024)}</b>`)));
      await eventually(() => dot(picker, carol!.username) === 'away', 'away dot');
      const stored = await aliceKit.db!.presence.get(carol!.username);
      expect(stored?.status).to.have.length(1024);
      expect(stored?.status?.startsWith('<b>xxx')).to.equal(true);
      expect(row(picker, carol!.username)!.getBoundingClientRect().height).to.equal(56);
      expect(row(picker, carol!.username)!.querySelector('b')).to.equal(null);
      expect(aliceKit.status).to.equal('online');
    } finally {
      await carolRaw.close();
    }
  });

  it('for a contact already offline, last seen comes from the server (XEP-0012)', async () => {
    const [alice, dave] = await createUsers(server, 2, 'last');
    await befriend(server, alice!, dave!);
    const daveKit = await openKit(server, dave!);
    const closedAt = Date.now();
    await daveKit.close();
    await new Promise((r) => setTimeout(r, 2200));
    const aliceKit = await openKit(server, alice!);
    const picker = await pickerFor(aliceKit);
    await eventually(() => dot(picker, dave!.username) === 'offline', 'offline dot');
    await eventually(() => status(picker, dave!.username) === 'Offline: Last seen just now', 'last seen from the server');
    const seen = (await aliceKit.db!.presence.get(dave!.username))?.lastSeen;
    expect(seen).to.be.within(closedAt - 2000, closedAt + 2000);
  });
});
