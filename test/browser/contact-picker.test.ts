import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import { ChatKit, type CkContactPicker, type CkPickEvent } from '../../src/index.js';
import { replaceContacts, putProfiles } from '../../src/store/contacts.js';
import { eventually, part, parts, text } from '../support/kit.js';

async function kitWithContacts(): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
  await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
  await replaceContacts(kit.db!, [
    { id: 'bob', jid: 'bob@example.com', name: 'Bob Builder', subscription: 'both', groups: [] },
    { id: 'carol', jid: 'carol@example.com', name: 'Carol Danvers', subscription: 'both', groups: [] },
    { id: 'dave', jid: 'dave@example.com', subscription: 'to', groups: [] },
    { id: 'eve@other.org', jid: 'eve@other.org', name: 'Eve', subscription: 'both', groups: [] },
    { id: 'gone', jid: 'gone@example.com', name: 'Not a contact', subscription: 'none', groups: [] },
  ]);
  await putProfiles(kit.db!, [{ id: 'dave', name: 'Dave Grohl', fetchedAt: Date.now() }]);
  return kit;
}

const names = (picker: CkContactPicker): string[] => parts(picker, '[part=item] .name').map(text);

describe('<ck-contact-picker>', () => {
  it('lists the roster sorted by name, using profile names, without non-contacts', async () => {
    const kit = await kitWithContacts();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit}></ck-contact-picker>`);
    await eventually(() => names(picker).length === 4, 'four rows');
    expect(names(picker)).to.deep.equal(['Bob Builder', 'Carol Danvers', 'Dave Grohl', 'Eve']);
    const items = parts(picker, '[part=item]');
    expect(items.map((i) => i.getAttribute('aria-posinset'))).to.deep.equal(['1', '2', '3', '4']);
    expect(items.every((i) => i.getAttribute('aria-setsize') === '4')).to.equal(true);
  });

  it('filters by name or id as the user types', async () => {
    const kit = await kitWithContacts();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit}></ck-contact-picker>`);
    await eventually(() => names(picker).length === 4, 'rows');
    part<HTMLInputElement>(picker, '[part=search]')!.focus();
    await sendKeys({ type: 'car' });
    await eventually(() => names(picker).join() === 'Carol Danvers', 'filtered by name');
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ press: 'Backspace' });
    await sendKeys({ type: 'other.org' });
    await eventually(() => names(picker).join() === 'Eve', 'filtered by id');
    await sendKeys({ type: 'zzz' });
    await eventually(() => text(part(picker, '.empty')).includes('No contact matches'), 'no-match message');
  });

  it('single mode: a click picks one user', async () => {
    const kit = await kitWithContacts();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} exclude="bob, eve@other.org"></ck-contact-picker>`);
    await eventually(() => names(picker).length === 2, 'excluded rows gone');
    const picked = oneEvent(picker, 'ck-pick') as Promise<CkPickEvent>;
    parts(picker, '[part=item]')[1]!.click();
    expect((await picked).userIds).to.deep.equal(['dave']);
  });

  it('multiple mode: rows toggle, chips show, confirm picks all; Escape cancels', async () => {
    const kit = await kitWithContacts();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} mode="multiple"></ck-contact-picker>`);
    await eventually(() => names(picker).length === 4, 'rows');
    const confirm = part<HTMLButtonElement>(picker, '[part=confirm-button]')!;
    expect(confirm.disabled).to.equal(true);
    parts(picker, '[part=item]')[0]!.click();
    parts(picker, '[part=item]')[2]!.click();
    await picker.updateComplete;
    expect(parts(picker, '[part=chip]').length).to.equal(2);
    expect(parts(picker, '[part=item][aria-selected=true]').length).to.equal(2);
    const picked = oneEvent(picker, 'ck-pick') as Promise<CkPickEvent>;
    part<HTMLButtonElement>(picker, '[part=confirm-button]')!.click();
    expect((await picked).userIds).to.deep.equal(['bob', 'dave']);

    part<HTMLInputElement>(picker, '[part=search]')!.focus();
    const cancelled = oneEvent(picker, 'ck-cancel');
    await sendKeys({ press: 'Escape' });
    await cancelled;
  });

  it('keyboard: arrows move through rows and Enter picks', async () => {
    const kit = await kitWithContacts();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit}></ck-contact-picker>`);
    await eventually(() => names(picker).length === 4, 'rows');
    part<HTMLInputElement>(picker, '[part=search]')!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    const picked = oneEvent(picker, 'ck-pick') as Promise<CkPickEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await picked).userIds).to.deep.equal(['carol']);
  });
});
