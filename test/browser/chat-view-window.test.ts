import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { ChatKit, type CkChatView } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { eventually, part, parts, text } from '../support/kit.js';
import { INITIAL } from '../../src/ui/chat-view/message-window.js';

const PEER = 'bob@example.com';

function messages(from: number, count: number, base = Date.UTC(2026, 0, 1)): IncomingMessage[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return { id: `m${i}`, conversationId: PEER, from: 'bob', own: false, body: `message ${i}`, ts: base + i * 60_000, state: 'received' };
  });
}

async function kitWith(count: number): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
  await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
  for (let i = 0; i < count; i += 1000) await ingestMessages(kit.db!, messages(i, Math.min(1000, count - i)));
  await kit.db!.conversations.update(PEER, { unread: 3 });
  return kit;
}

const rows = (view: CkChatView) => parts(view, '[part=message]');
/** The rows' `aria-posinset`; NaN until counted (rows show first, their positions follow from a background count). */
const positions = (view: CkChatView) => rows(view).map((r) => Number(r.getAttribute('aria-posinset') ?? NaN));

async function scrollUntil(view: CkChatView, edge: 'top' | 'bottom', done: () => boolean, what: string): Promise<void> {
  const log = part(view, '[part=log]')!;
  for (let i = 0; i < 400 && !done(); i++) {
    log.scrollTop = edge === 'top' ? 0 : log.scrollHeight;
    await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 10)));
  }
  expect(done(), what).to.equal(true);
}

describe('<ck-chat-view> message window', () => {
  it('keeps a bounded number of rows while scrolling 5,000 messages end to end', async function () {
    this.timeout(60_000);
    const kit = await kitWith(5000);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:500px" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => positions(view).at(-1) === 5000, 'rows and their positions');
    expect(rows(view).every((r) => r.getAttribute('aria-setsize') === '5000')).to.equal(true);
    let most = 0;
    const track = () => {
      most = Math.max(most, rows(view).length);
      return false;
    };
    await scrollUntil(view, 'top', () => track() || positions(view)[0] === 1, 'reached the first message');
    expect(text(rows(view)[0]!.querySelector('[part=bubble]'))).to.equal('message 0');
    expect(most).to.be.at.most(160);
    // Consecutive positions: nothing skipped or repeated inside the window.
    const pos = positions(view);
    expect(pos.every((p, i) => i === 0 || p === pos[i - 1]! + 1)).to.equal(true);
    const jump = await eventually(() => part<HTMLButtonElement>(view, '[part=jump-button]'), 'jump button');
    jump.click();
    await eventually(() => positions(view).at(-1) === 5000, 'back at the latest');
    await eventually(() => part(view, '[part=jump-button]') === null, 'jump button gone');
  });

  it('marks where unread messages start and counts new ones while the reader is up in history', async () => {
    const kit = await kitWith(300);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:400px" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => rows(view).length > 0, 'rows');
    const separator = await eventually(() => part(view, '[part=unread-separator]'), 'unread separator');
    expect(text(separator.nextElementSibling)).to.contain('message 297');
    await scrollUntil(view, 'top', () => positions(view)[0]! < 200, 'scrolled up');
    await ingestMessages(kit.db!, messages(300, 2, Date.UTC(2026, 0, 1)));
    const jump = await eventually(() => part(view, '[part=jump-button]'), 'jump button');
    await eventually(() => text(jump) === '2 new', 'count of new messages');
  });

  it('a reader who scrolls up stays where they are when a message arrives before the scroll is handled', async () => {
    const kit = await kitWith(300);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:400px" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => positions(view).at(-1) === 300, 'rows and their positions');
    const log = part(view, '[part=log]')!;
    for (let i = 0; i < 2; i++) await new Promise((r) => requestAnimationFrame(r));
    // A busy page: frames, and so the scroll handler that waits for one, come late.
    const raf = window.requestAnimationFrame;
    window.requestAnimationFrame = (cb) => raf.call(window, () => setTimeout(() => raf.call(window, cb), 200));
    try {
      // Up from the newest page (its oldest row leaves that window when a message arrives).
      log.scrollTop = 300;
      const anchor = rows(view)[20]!;
      const before = anchor.getBoundingClientRect().top;
      await ingestMessages(kit.db!, messages(300, 1));
      await eventually(() => part(view, '[part=message][data-id="m300"]'), 'the new message');
      expect(Math.abs(anchor.getBoundingClientRect().top - before), 'top message moved').to.be.below(2);
    } finally {
      window.requestAnimationFrame = raf;
    }
    const jump = await eventually(() => part(view, '[part=jump-button]'), 'jump button');
    await eventually(() => text(jump) === '1 new', 'count of new messages');
  });

  it('after scrolling up through several steps, the rows shown follow changes to their records', async function () {
    this.timeout(30_000);
    const kit = await kitWith(2000);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:500px" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => positions(view).at(-1) === 2000, 'rows and their positions');
    // Well above the first window: several steps older.
    await scrollUntil(view, 'top', () => positions(view)[0]! < 1800, 'scrolled up several steps');
    const row = rows(view)[5]!;
    const id = row.dataset.id!;
    // Steps have paused: the log's live query now covers these rows.
    await new Promise((r) => setTimeout(r, 400));
    await kit.db!.messages.update(id, { body: 'changed in the store' });
    await eventually(() => text(part(view, `[data-id="${id}"] [part=bubble]`)) === 'changed in the store', 'the changed record, shown');
  });

  it('a hidden log stays on its window instead of paging through the store', async () => {
    const kit = await kitWith(1000);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:none" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => positions(view).at(-1) === 1000, 'rows and their positions');
    for (let i = 0; i < 10; i++) await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 10)));
    expect(positions(view)[0]).to.equal(1000 - INITIAL + 1);
    view.style.display = 'flex';
    view.style.height = '400px';
    await ingestMessages(kit.db!, messages(1000, 1));
    await eventually(() => positions(view).at(-1) === 1001, 'the new message, shown');
  });
});

describe('<ck-chat-view> fresh messages', () => {
  it('shows a new message while its write is still under way, and takes it back when the write fails', async () => {
    const kit = await kitWith(5);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:400px" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => rows(view).length === 5, 'rows');
    const log = part(view, '[part=log]')!;
    const seen: string[] = [];
    const observer = new MutationObserver(() => seen.push(...parts(view, '[part=bubble]').map(text)));
    observer.observe(view.shadowRoot!, { childList: true, subtree: true, characterData: true });
    // The store refuses the row after the record is made (as a full disk would).
    const refuse = (): never => {
      throw new Error('disk full');
    };
    kit.db!.messages.hook('creating', refuse);
    const failed = await ingestMessages(kit.db!, messages(5, 1)).then(
      () => false,
      () => true,
    );
    kit.db!.messages.hook('creating').unsubscribe(refuse);
    await view.updateComplete;
    observer.disconnect();
    expect(failed).to.equal(true);
    // Never stored, yet shown for as long as the write was under way: it came from the fresh record.
    expect(await kit.db!.messages.get('m5')).to.equal(undefined);
    expect(seen).to.include('message 5');
    expect(rows(view).map((r) => text(r.querySelector('[part=bubble]')))).to.not.include('message 5');
    // A write that succeeds stays, at the bottom of the log.
    await ingestMessages(kit.db!, messages(6, 1));
    await eventually(() => text(rows(view).at(-1)!.querySelector('[part=bubble]')) === 'message 6', 'the new message at the bottom');
    expect(log.scrollTop + log.clientHeight).to.be.closeTo(log.scrollHeight, 2);
  });

  it('after a flood of messages (an archive catch-up), shows every message once and in order, then takes fresh ones again', async () => {
    const kit = await kitWith(5);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:400px" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => rows(view).length === 5, 'rows');
    const bodies = () => rows(view).map((r) => text(r.querySelector('[part=bubble]')));
    const seen = new Set<string>();
    const gaps: string[][] = [];
    const observer = new MutationObserver(() => {
      const now = bodies();
      // Never a later message past one still missing: the log is always a run of consecutive messages.
      const first = Number(now[0]!.split(' ')[1]);
      if (now.some((b, i) => b !== `message ${first + i}`)) gaps.push(now);
      now.forEach((b) => seen.add(b));
    });
    observer.observe(view.shadowRoot!, { childList: true, subtree: true, characterData: true });
    await Promise.all([ingestMessages(kit.db!, messages(5, 40)), ingestMessages(kit.db!, messages(45, 1))]);
    await eventually(() => bodies().at(-1) === 'message 45', 'the newest at the bottom');
    observer.disconnect();
    expect(gaps).to.deep.equal([]);
    expect(seen.has('message 45')).to.equal(true);
    // The newest page ends the log: the newest 41 messages, or as many as a first page holds.
    const shown = Math.min(41, INITIAL);
    expect(bodies().slice(-shown)).to.deep.equal(Array.from({ length: shown }, (_, i) => `message ${46 - shown + i}`));
  });
});

describe('<ck-chat-view> long messages', () => {
  it('cuts a body over maxDisplayChars and shows all of it on request', async () => {
    const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en', maxDisplayChars: 100 });
    await kit.openStore(`long-${crypto.randomUUID().slice(0, 8)}`);
    const body = `${'a'.repeat(150)} END`;
    await ingestMessages(kit.db!, [{ id: 'long', conversationId: PEER, from: 'bob', own: false, body, ts: Date.now(), state: 'received' }]);
    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    const bubble = await eventually(() => part(view, '[part=bubble]'), 'bubble');
    expect(bubble.textContent).to.not.contain('END');
    part<HTMLButtonElement>(view, '[part=show-all]')!.click();
    await eventually(() => part(view, '[part=bubble]')!.textContent!.includes('END'), 'full text');
    expect(part(view, '[part=show-all]')).to.equal(null);
  });
});
