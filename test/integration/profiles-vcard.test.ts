import { expect, fixture, html } from '@open-wc/testing';
import { xml } from '@xmpp/client';
import '../../src/index.js';
import type { CkContactPicker } from '../../src/index.js';
import { befriend, createUsers, type TestUser } from '../support/server.js';
import { eventually, openKit, part, parts, text, useServer } from '../support/kit.js';
import { rawClient } from '../support/raw-client.js';

const server = useServer();

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

async function publish(user: TestUser, card: ReturnType<typeof xml>): Promise<void> {
  const conn = await rawClient(server, user);
  try {
    await conn.request(xml('iq', { type: 'set' }, card));
  } finally {
    await conn.close();
  }
}

describe('profiles from vCards (no fetchProfiles hook)', () => {
  it('shows vCard names and photos; a javascript: or SVG photo is never used', async () => {
    const [alice, dave, bob, mallory] = await createUsers(server, 4, 'vc');
    for (const u of [dave!, bob!, mallory!]) await befriend(server, alice!, u);
    await publish(dave!, xml('vCard', { xmlns: 'vcard-temp' }, xml('FN', {}, 'Dave Grohl'), xml('PHOTO', {}, xml('TYPE', {}, 'image/png'), xml('BINVAL', {}, PNG))));
    await publish(
      bob!,
      xml('vcard', { xmlns: 'urn:ietf:params:xml:ns:vcard-4.0' }, xml('fn', {}, xml('text', {}, 'Bob Builder')), xml('photo', {}, xml('uri', {}, 'javascript:alert(1)'))),
    );
    await publish(
      mallory!,
      xml('vCard', { xmlns: 'vcard-temp' }, xml('FN', {}, 'Mallory'), xml('PHOTO', {}, xml('TYPE', {}, 'image/png'), xml('BINVAL', {}, btoa('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')))),
    );

    const kit = await openKit(server, alice!);
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 600px"></ck-contact-picker>`);
    const row = (u: TestUser) => part(picker, `[part=item][data-id="${u.username}"]`);
    await eventually(() => text(row(dave!)?.querySelector('.name')) === 'Dave Grohl', 'dave’s vCard name');
    await eventually(() => row(dave!)?.querySelector('img')?.getAttribute('src')?.startsWith('blob:'), 'dave’s photo as a blob: URL');
    const img = row(dave!)!.querySelector('img')!;
    await eventually(() => img.complete && img.naturalWidth === 1, 'the photo decodes');
    await eventually(() => text(row(bob!)?.querySelector('.name')) === 'Bob Builder', 'bob’s vCard 4 name');
    await eventually(() => text(row(mallory!)?.querySelector('.name')) === 'Mallory', 'mallory’s name');
    expect(row(bob!)!.querySelector('img')).to.equal(null);
    expect(text(row(bob!)!.querySelector('[part=avatar]'))).to.equal('BB');
    expect(row(mallory!)!.querySelector('img')).to.equal(null);
    for (const el of parts(picker, 'img')) expect(el.getAttribute('src')).to.match(/^blob:/);
    const bobProfile = await kit.db!.profiles.get(bob!.username);
    expect(bobProfile?.avatarUrl).to.equal(undefined);
    expect((await kit.db!.profiles.get(dave!.username))?.photo?.type).to.equal('image/png');
  });
});
