import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import { ChatKit, type CkContactPicker, type CkErrorEvent, type CkOpenProfileEvent, type CkPickEvent, type ChatKitError } from '../../src/index.js';
import { putProfiles, replaceContacts } from '../../src/store/contacts.js';
import { contactId, kitWithRoster } from '../support/contacts-fixture.js';
import { eventually, part, parts, text } from '../support/kit.js';

const rows = (picker: CkContactPicker): HTMLElement[] => parts(picker, '[part=item]');
const posinsets = (picker: CkContactPicker): number[] => rows(picker).map((r) => Number(r.getAttribute('aria-posinset')));
const scroller = (picker: CkContactPicker): HTMLElement => part(picker, '[part=list]')!;

async function scrollTo(picker: CkContactPicker, top: number): Promise<void> {
  scroller(picker).scrollTop = top;
  scroller(picker).dispatchEvent(new Event('scroll'));
  await picker.updateComplete;
}

async function smallKit(): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
  await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
  const names = ['张伟', 'Zack', '李娜', 'Ａnna', 'anna', '赵磊', '王芳', '7 Eleven', 'Émile', 'Bob'];
  await replaceContacts(
    kit.db!,
    names.map((name, i) => ({ id: `c${i}`, jid: `c${i}@example.com`, name, subscription: 'both' as const, groups: [] })),
  );
  return kit;
}

describe('<ck-contact-picker> at scale', () => {
  it('10,000 contacts: the DOM holds only the visible rows, each with its position in the whole list', async () => {
    const kit = await kitWithRoster(10_000);
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 400px"></ck-contact-picker>`);
    await eventually(() => rows(picker).length > 0, 'first rows');
    expect(rows(picker).length).to.be.within(5, 20);
    expect(rows(picker).every((r) => r.getAttribute('aria-setsize') === '10000')).to.equal(true);
    expect(posinsets(picker)[0]).to.equal(1);
    expect(posinsets(picker)).to.deep.equal(posinsets(picker).map((_, i) => i + 1));

    // The middle of the list: rows there, still only a screenful.
    const sizer = part(picker, '.sizer')!;
    expect(sizer.getBoundingClientRect().height).to.be.greaterThan(10_000 * 50);
    await scrollTo(picker, sizer.getBoundingClientRect().height / 2);
    await eventually(() => posinsets(picker)[0]! > 4000, 'rows from the middle');
    const middle = posinsets(picker);
    expect(middle.length).to.be.within(5, 20);
    expect(middle[middle.length - 1]! - middle[0]!).to.equal(middle.length - 1);
    // Each rendered row sits where it belongs: inside the viewport (plus the margin).
    const view = scroller(picker).getBoundingClientRect();
    for (const r of rows(picker)) {
      const box = r.getBoundingClientRect();
      expect(box.bottom).to.be.greaterThan(view.top - 200);
      expect(box.top).to.be.lessThan(view.bottom + 200);
    }

    // The end of the list is reachable too.
    await scrollTo(picker, sizer.getBoundingClientRect().height);
    await eventually(() => posinsets(picker).includes(10_000), 'the last row');
  });

  it('searching 10,000 contacts narrows the set size and keeps the DOM small', async () => {
    const kit = await kitWithRoster(10_000);
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 400px"></ck-contact-picker>`);
    await eventually(() => rows(picker).length > 0, 'rows');
    part<HTMLInputElement>(picker, '[part=search]')!.focus();
    await sendKeys({ type: 'zoe' });
    await eventually(() => rows(picker)[0]?.getAttribute('aria-setsize') !== '10000', 'filtered');
    const size = Number(rows(picker)[0]!.getAttribute('aria-setsize'));
    expect(size).to.be.within(100, 1000);
    expect(rows(picker).length).to.be.lessThan(20);
    expect(parts(picker, '[part=item] .name').map(text).every((n) => /zoe/i.test(n))).to.equal(true);
  });

  it('a huge roster asks fetchProfiles only for the rows on screen', async () => {
    const asked: string[][] = [];
    const kit = new ChatKit({
      service: 'ws://127.0.0.1:9/none',
      domain: 'example.com',
      storage: 'memory',
      fetchProfiles: async (ids) => {
        asked.push(ids);
        return ids.map((id) => ({ id, name: `Name of ${id}` }));
      },
    });
    await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
    await replaceContacts(
      kit.db!,
      Array.from({ length: 3000 }, (_, i) => ({ id: contactId(i), jid: `${contactId(i)}@example.com`, subscription: 'both' as const, groups: [] })),
    );
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 400px"></ck-contact-picker>`);
    await eventually(() => rows(picker).length > 0 && !part(picker, '[part=item] .placeholder'), 'named rows');
    await new Promise((r) => setTimeout(r, 200));
    const ids = asked.flat();
    expect(ids.length).to.be.within(1, 60);
    expect(new Set(ids).size).to.equal(ids.length);
  });

  it('the index bar jumps to a letter; keyboard End and Enter reach the last contact', async () => {
    const kit = await kitWithRoster(10_000);
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 400px"></ck-contact-picker>`);
    await eventually(() => rows(picker).length > 0, 'rows');
    part<HTMLElement>(picker, '[part=index] [data-letter=W]')!.click();
    await eventually(() => text(parts(picker, '[part=group-header]')[0]) === 'W' || parts(picker, '[part=group-header]').map(text).includes('W'), 'W group on screen');
    const first = rows(picker).find((r) => r.getBoundingClientRect().top >= scroller(picker).getBoundingClientRect().top)!;
    expect(text(first.querySelector('.name'))).to.match(/^(W|王|汪|魏|吴|韦)/);

    scroller(picker).focus();
    await sendKeys({ press: 'End' });
    await eventually(() => posinsets(picker).includes(10_000), 'last row rendered');
    const picked = oneEvent(picker, 'ck-pick') as Promise<CkPickEvent>;
    await sendKeys({ press: 'Enter' });
    const last = rows(picker).find((r) => r.getAttribute('aria-posinset') === '10000')!;
    expect((await picked).userIds).to.deep.equal([last.dataset.id]);
    expect(scroller(picker).getAttribute('aria-activedescendant')).to.equal(last.id);
  });
});

describe('<ck-contact-picker> grouping, presence and actions', () => {
  it('groups by initial as a Chinese user expects, with letter headers', async () => {
    const kit = await smallKit();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 900px; --ck-picker-max-height: none"></ck-contact-picker>`);
    await eventually(() => rows(picker).length === 10, 'rows');
    expect(parts(picker, '[part=group-header]').map(text)).to.deep.equal(['A', 'B', 'E', 'L', 'W', 'Z', '#']);
    expect(parts(picker, '[part=item] .name').map(text)).to.deep.equal(['anna', 'Ａnna', 'Bob', 'Émile', '李娜', '王芳', '张伟', '赵磊', 'Zack', '7 Eleven']);
    // Letters without contacts are shown dimmed in the index.
    expect(parts(picker, '[part=index] .off').map(text)).to.include('C');
    expect(parts(picker, '[part=index] span:not(.off)').map(text)).to.deep.equal(['A', 'B', 'E', 'L', 'W', 'Z', '#']);
  });

  it('pinyin initials find Chinese names', async () => {
    const kit = await smallKit();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 900px; --ck-picker-max-height: none"></ck-contact-picker>`);
    await eventually(() => rows(picker).length === 10, 'rows');
    part<HTMLInputElement>(picker, '[part=search]')!.focus();
    await sendKeys({ type: 'zl' });
    await eventually(() => parts(picker, '[part=item] .name').map(text).join() === '赵磊', 'zl → 赵磊');
  });

  it('shows presence dots, status text and last seen from the store', async () => {
    const kit = await smallKit();
    const now = Date.now();
    await kit.db!.presence.bulkPut([
      { id: 'c0', show: 'dnd', status: 'in a meeting', updatedAt: now },
      { id: 'c1', show: 'offline', updatedAt: now, lastSeen: now - 5 * 60_000 },
      { id: 'c2', show: 'online', status: 'x'.repeat(1024), updatedAt: now },
    ]);
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 900px; --ck-picker-max-height: none"></ck-contact-picker>`);
    const row = (id: string) => part(picker, `[part=item][data-id=${id}]`);
    await eventually(() => row('c0')?.querySelector('[part=presence]'), 'dots');
    expect(row('c0')!.querySelector('[part=presence]')!.getAttribute('data-show')).to.equal('dnd');
    expect(text(row('c0')!.querySelector('[part=status]'))).to.equal('Do not disturb: in a meeting');
    expect(row('c1')!.querySelector('[part=presence]')!.getAttribute('data-show')).to.equal('offline');
    expect(text(row('c1')!.querySelector('[part=status]'))).to.equal('Offline: Last seen 5 minutes ago');
    // A long status stays on one line inside the row.
    expect(row('c2')!.getBoundingClientRect().height).to.equal(56);
    expect(row('c3')!.querySelector('[part=presence]')).to.equal(null);
    // Live: a change in the store moves the dot.
    await kit.db!.presence.put({ id: 'c1', show: 'online', updatedAt: Date.now(), lastSeen: now - 5 * 60_000 });
    await eventually(() => row('c1')?.querySelector('[part=presence]')?.getAttribute('data-show') === 'online', 'c1 online');
  });

  it('an avatar click opens the profile instead of picking', async () => {
    const kit = await smallKit();
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 900px; --ck-picker-max-height: none"></ck-contact-picker>`);
    await eventually(() => rows(picker).length === 10, 'rows');
    let picks = 0;
    picker.addEventListener('ck-pick', () => picks++);
    const opened = oneEvent(picker, 'ck-open-profile') as Promise<CkOpenProfileEvent>;
    rows(picker)[2]!.querySelector<HTMLElement>('[part=avatar]')!.click();
    expect((await opened).userId).to.equal(rows(picker)[2]!.dataset.id);
    expect(picks).to.equal(0);
  });

  it('lists incoming requests; answering while offline reports an error', async () => {
    const kit = await smallKit();
    await kit.db!.requests.put({ id: 'zed', jid: 'zed@example.com', at: Date.now(), nick: 'Zed', message: 'we met at the conference' });
    await putProfiles(kit.db!, [{ id: 'zed', fetchedAt: Date.now() }]);
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 900px; --ck-picker-max-height: none"></ck-contact-picker>`);
    await eventually(() => part(picker, '[part=request]'), 'request');
    expect(text(part(picker, '[part=request] .name'))).to.equal('Zed');
    expect(text(part(picker, '[part=request] .sub'))).to.equal('we met at the conference');
    const failed = oneEvent(picker, 'ck-error') as Promise<CkErrorEvent>;
    part<HTMLButtonElement>(picker, '[part=accept-button]')!.click();
    expect(((await failed).error as ChatKitError).code).to.equal('offline');
    expect(part(picker, '[part=request]')).to.not.equal(null);
  });

  it('does not offer blocked contacts or their requests', async () => {
    const kit = await smallKit();
    await kit.db!.requests.put({ id: 'spammer', jid: 'spammer@example.com', at: Date.now() });
    await kit.db!.blocked.bulkPut([
      { id: 'c0', jid: 'c0@example.com' },
      { id: 'spammer', jid: 'spammer@example.com' },
    ]);
    const picker = await fixture<CkContactPicker>(html`<ck-contact-picker .kit=${kit} style="height: 900px; --ck-picker-max-height: none"></ck-contact-picker>`);
    await eventually(() => rows(picker).length === 9, 'nine rows');
    expect(rows(picker).map((r) => r.dataset.id)).to.not.include('c0');
    expect(part(picker, '[part=requests]')).to.equal(null);
  });
});
