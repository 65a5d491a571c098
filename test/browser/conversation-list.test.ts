import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import { ChatKit, type CkConversationList, type CkSelectEvent } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { putProfiles } from '../../src/store/contacts.js';
import { eventually, part, parts, text } from '../support/kit.js';

async function kitWith(conversations: number): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
  await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
  const base = Date.UTC(2026, 0, 1);
  const messages: IncomingMessage[] = Array.from({ length: conversations }, (_, i) => ({
    id: `m${i}`,
    conversationId: `user${i}@example.com`,
    from: `user${i}`,
    own: false,
    body: `hello from ${i}`,
    ts: base + i * 1000,
    state: 'received',
  }));
  await ingestMessages(kit.db!, messages);
  return kit;
}

const rows = (list: CkConversationList) => parts(list, '[part=item]');

describe('<ck-conversation-list>', () => {
  it('renders only the rows on screen out of 1,000, with their positions in the whole list', async () => {
    const kit = await kitWith(1000);
    const list = await fixture<CkConversationList>(html`<ck-conversation-list style="height:500px" .kit=${kit}></ck-conversation-list>`);
    await eventually(() => rows(list).length > 0, 'rows');
    expect(rows(list).length).to.be.below(30);
    expect(rows(list)[0]!.getAttribute('aria-posinset')).to.equal('1');
    expect(rows(list)[0]!.getAttribute('aria-setsize')).to.equal('1000');
    expect(text(part(rows(list)[0]!, '[part=preview]') ?? rows(list)[0]!.querySelector('[part=preview]'))).to.equal('hello from 999');
    const scroller = part(list, '.scroller')!;
    scroller.scrollTop = scroller.scrollHeight;
    await eventually(() => rows(list).some((r) => r.getAttribute('aria-posinset') === '1000'), 'last row rendered');
    expect(rows(list).length).to.be.below(30);
    const last = rows(list).find((r) => r.getAttribute('aria-posinset') === '1000')!;
    expect(text(last.querySelector('[part=preview]'))).to.equal('hello from 0');
  });

  it('paints the first screen from a short read, then reads the rest: hidden rows leave the set size', async () => {
    const kit = await kitWith(200);
    await kit.db!.conversations.update('user199@example.com', { hidden: true });
    const list = await fixture<CkConversationList>(html`<ck-conversation-list style="height:400px" .kit=${kit}></ck-conversation-list>`);
    await eventually(() => rows(list).length > 0, 'rows');
    // The newest visible conversation leads; the hidden one never shows.
    expect(rows(list)[0]!.dataset.id).to.equal('user198@example.com');
    expect(rows(list).some((r) => r.dataset.id === 'user199@example.com')).to.equal(false);
    await eventually(() => rows(list)[0]!.getAttribute('aria-setsize') === '199', 'set size without the hidden row');
    const scroller = part(list, '.scroller')!;
    scroller.scrollTop = scroller.scrollHeight;
    await eventually(() => rows(list).some((r) => r.getAttribute('aria-posinset') === '199'), 'last row rendered');
    expect(text(rows(list).find((r) => r.getAttribute('aria-posinset') === '199')!.querySelector('[part=preview]'))).to.equal('hello from 0');
  });

  it('keyboard: End reaches the last conversation, Enter selects it', async () => {
    const kit = await kitWith(300);
    const list = await fixture<CkConversationList>(html`<ck-conversation-list style="height:400px" .kit=${kit}></ck-conversation-list>`);
    await eventually(() => rows(list).length > 0, 'rows');
    rows(list)[0]!.focus();
    await sendKeys({ press: 'ArrowDown' });
    await eventually(() => list.shadowRoot!.activeElement?.getAttribute('aria-posinset') === '2', 'second row focused');
    await sendKeys({ press: 'End' });
    await eventually(() => list.shadowRoot!.activeElement?.getAttribute('aria-posinset') === '300', 'last row focused');
    const selected = oneEvent(list, 'ck-select') as Promise<CkSelectEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await selected).conversationId).to.equal('user0@example.com');
  });

  it('pins lead; muted shows a dot; drafts, mentions and group senders mark the preview', async () => {
    const kit = await kitWith(3);
    const db = kit.db!;
    await db.conversations.update('user0@example.com', { pin: 1 });
    await db.conversations.update('user1@example.com', { muted: true, unread: 4 });
    await db.conversations.update('user2@example.com', { draft: 'half-written' });
    await ingestMessages(db, [
      { id: 'g1', conversationId: 'room@conference.example.com', conversationType: 'group', from: 'bob', own: false, body: 'hi all', ts: Date.UTC(2026, 0, 2), state: 'received' },
    ]);
    await db.conversations.update('room@conference.example.com', { name: 'Team <b>', mentioned: true });
    await putProfiles(db, [{ id: 'bob', name: 'Bob B', fetchedAt: Date.now() }]);
    const list = await fixture<CkConversationList>(html`<ck-conversation-list .kit=${kit}></ck-conversation-list>`);
    await eventually(() => rows(list).length === 4, 'four rows');
    const ids = rows(list).map((r) => r.dataset.id);
    expect(ids[0]).to.equal('user0@example.com');
    const byId = (id: string) => rows(list).find((r) => r.dataset.id === id)!;
    expect(byId('user1@example.com').querySelector('[part=badge]')!.classList.contains('dot')).to.equal(true);
    expect(text(byId('user1@example.com').querySelector('[part=badge]'))).to.equal('');
    expect(text(byId('user2@example.com').querySelector('[part=preview]'))).to.equal('[Draft] half-written');
    await eventually(() => text(byId('room@conference.example.com').querySelector('[part=preview]')) === '[Mention] Bob B: hi all', 'group preview');
    expect(text(byId('room@conference.example.com').querySelector('[part=name]'))).to.equal('Team <b>');
    expect(byId('room@conference.example.com').querySelector('b')).to.equal(null);
  });
});
