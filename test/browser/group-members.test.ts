import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { ChatKit, type CkMembers } from '../../src/index.js';
import { putProfiles } from '../../src/store/contacts.js';
import { replaceRoomMembers, updateMember } from '../../src/store/members.js';
import { eventually, part, parts, text } from '../support/kit.js';

const ROOM = 'team@conference.example.com';

async function kitAs(me: string): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
  await kit.openStore(me);
  await replaceRoomMembers(kit.db!, ROOM, [
    { userId: 'olga', jid: 'olga@example.com', affiliation: 'owner' },
    { userId: 'adam', jid: 'adam@example.com', affiliation: 'admin' },
    { userId: 'mia', jid: 'mia@example.com', affiliation: 'member' },
    { userId: 'max', jid: 'max@example.com', affiliation: 'member' },
  ]);
  await putProfiles(kit.db!, [
    { id: 'olga', name: 'Olga', fetchedAt: Date.now() },
    { id: 'adam', name: '<img src=x onerror="window.__ckMembersXss=1">Adam', fetchedAt: Date.now() },
    { id: 'mia', name: 'Mia', fetchedAt: Date.now() },
    { id: 'max', name: 'Max', fetchedAt: Date.now() },
  ]);
  return kit;
}

const ids = (el: CkMembers, selector: string) => parts(el, selector).map((r) => r.closest<HTMLElement>('[part=item]')!.dataset.id);

describe('<ck-members>', () => {
  it('lists owners, then admins, then members, with roles, positions and who is in the group', async () => {
    const kit = await kitAs('mia');
    await updateMember(kit.db!, ROOM, { userId: 'max', jid: 'max@example.com', affiliation: 'member', online: true, role: 'participant' });
    const el = await fixture<CkMembers>(html`<ck-members .kit=${kit} conversation=${ROOM}></ck-members>`);
    await eventually(() => parts(el, '[part=item]').length === 4, 'four rows');
    const rows = parts(el, '[part=item]');
    // By standing, then by name.
    expect(rows.map((r) => r.dataset.id)).to.deep.equal(['olga', 'adam', 'max', 'mia']);
    expect(rows.map((r) => r.getAttribute('aria-posinset'))).to.deep.equal(['1', '2', '3', '4']);
    expect(rows.every((r) => r.getAttribute('aria-setsize') === '4')).to.equal(true);
    expect(rows.map((r) => text(r.querySelector('[part=role]')))).to.deep.equal(['Owner', 'Admin', '', '']);
    expect(rows.map((r) => r.dataset.online)).to.deep.equal(['false', 'false', 'true', 'false']);
    expect(text(part(el, '[part=heading]'))).to.equal('Members (4)');
    // A name with markup is text.
    expect(text(rows[1]!.querySelector('[part=name]'))).to.contain('<img src=x');
    expect(el.shadowRoot!.querySelector('[part=name] img')).to.equal(null);
    expect((window as { __ckMembersXss?: number }).__ckMembersXss).to.equal(undefined);
    // A plain member removes nobody.
    expect(parts(el, '[part=remove-button]').length).to.equal(0);
    await kit.close();
  });

  it('owners may remove anyone else; admins only plain members', async () => {
    const owner = await kitAs('olga');
    const el = await fixture<CkMembers>(html`<ck-members .kit=${owner} conversation=${ROOM}></ck-members>`);
    await eventually(() => parts(el, '[part=item]').length === 4, 'rows for the owner');
    expect(ids(el, '[part=remove-button]')).to.deep.equal(['adam', 'max', 'mia']);
    expect(parts(el, '[part=remove-button]')[2]!.getAttribute('aria-label')).to.equal('Remove Mia from the group');
    await owner.close();

    const admin = await kitAs('adam');
    const el2 = await fixture<CkMembers>(html`<ck-members .kit=${admin} conversation=${ROOM}></ck-members>`);
    await eventually(() => parts(el2, '[part=item]').length === 4, 'rows for the admin');
    expect(ids(el2, '[part=remove-button]')).to.deep.equal(['max', 'mia']);

    // Removing while offline fails visibly (a ck-error event), and the member stays.
    const failed = new Promise<Error>((resolve) => el2.addEventListener('ck-error', (e) => resolve((e as Event & { error: Error }).error)));
    parts(el2, '[part=remove-button]')[0]!.click();
    expect(((await failed) as Error & { code?: string }).code).to.be.oneOf(['offline', 'not-open']);
    expect(parts(el2, '[part=item]').length).to.equal(4);
    await admin.close();
  });

  it('follows the store: a member removed elsewhere disappears', async () => {
    const kit = await kitAs('mia');
    const el = await fixture<CkMembers>(html`<ck-members .kit=${kit} conversation=${ROOM}></ck-members>`);
    await eventually(() => parts(el, '[part=item]').length === 4, 'four rows');
    await updateMember(kit.db!, ROOM, { userId: 'max', jid: 'max@example.com', affiliation: null });
    await eventually(() => parts(el, '[part=item]').length === 3, 'three rows');
    el.conversation = 'other@conference.example.com';
    await eventually(() => text(part(el, '.empty')) === 'No members', 'another group: empty');
    await kit.close();
  });
});
