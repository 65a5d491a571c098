import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import { ChatKit, type CkChatView } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { formatMessageTime } from '../../src/render/dates.js';
import { eventually, part, parts } from '../support/kit.js';

const PEER = 'bob@example.com';
const BASE = Date.UTC(2026, 0, 1, 9);

type Calls = Record<'react' | 'send' | 'edit', unknown[][]>;

/**
 * A memory-store kit (no server) with `history`, and spies in place of the kit methods the
 * menu and composer call: `react` also writes the reaction, so the chip and the name follow.
 */
async function setup(history: (me: string) => IncomingMessage[], height = 500, locale = 'en') {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale });
  await kit.openStore(`kbd-${crypto.randomUUID().slice(0, 8)}`);
  const me = kit.clientId!;
  await kit.db!.profiles.put({ id: 'bob', name: 'Bob', fetchedAt: Date.now() });
  const list = history(me);
  for (let i = 0; i < list.length; i += 50) await ingestMessages(kit.db!, list.slice(i, i + 50));
  const calls: Calls = { react: [], send: [], edit: [] };
  Object.assign(kit, {
    react: async (id: string, emoji: string) => {
      calls.react.push([id, emoji]);
      const m = await kit.db!.messages.get(id);
      await kit.db!.messages.update(id, { reactions: { ...(m?.reactions ?? {}), [emoji]: [me] } });
    },
    send: async (...args: unknown[]) => (calls.send.push(args), 'new-id'),
    edit: async (...args: unknown[]) => void calls.edit.push(args),
  });
  const root = await fixture<HTMLDivElement>(html`<div>
    <button id="before">before the view</button>
    <ck-chat-view style=${`display:flex;flex-direction:column;height:${height}px`} .kit=${kit} conversation=${PEER}></ck-chat-view>
  </div>`);
  const view = root.querySelector<CkChatView>('ck-chat-view')!;
  await eventually(() => rows(view).length > 0, 'rows');
  return { kit, me, view, calls, start: root.querySelector<HTMLButtonElement>('#before')! };
}

const rows = (view: CkChatView) => parts(view, '[role=article][data-id]');
const row = (view: CkChatView, id: string) => part<HTMLElement>(view, `[role=article][data-id="${id}"]`);
const log = (view: CkChatView) => part<HTMLElement>(view, '[part=log]')!;
const menu = (view: CkChatView) => part<HTMLElement>(view, '[part=message-menu]');

/** The focused element, looking through shadow roots. */
function deepActive(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

/** The id of the focused message row ('' when focus is elsewhere). */
function focusedId(view: CkChatView): string {
  const el = view.shadowRoot!.activeElement;
  return el instanceof HTMLElement && el.matches('[role=article][data-id]') ? el.dataset.id! : '';
}

async function press(key: string, times = 1): Promise<void> {
  for (let i = 0; i < times; i++) await sendKeys({ press: key });
}

async function shiftPress(key: string): Promise<void> {
  await sendKeys({ down: 'Shift' });
  await sendKeys({ press: key });
  await sendKeys({ up: 'Shift' });
}

/** Tab from the button before the view until the log has focus. */
async function tabIntoLog(view: CkChatView, start: HTMLElement): Promise<void> {
  start.focus();
  for (let i = 0; i < 15 && view.shadowRoot!.activeElement !== log(view) && !focusedId(view); i++) await press('Tab');
  expect(view.shadowRoot!.activeElement === log(view) || focusedId(view) !== '', 'Tab reaches the log').to.equal(true);
}

function conversation(me: string): IncomingMessage[] {
  return [
    { id: 'p1', conversationId: PEER, from: 'bob', own: false, body: 'Lunch at noon?', ts: BASE, state: 'received' },
    { id: 'p2', conversationId: PEER, from: 'bob', own: false, body: 'Menu: https://example.org/menu', ts: BASE + 60_000, state: 'received' },
    { id: 'o1', conversationId: PEER, from: me, own: true, body: 'Sounds good', ts: BASE + 120_000, state: 'delivered' },
    { id: 'p3', conversationId: PEER, from: 'bob', own: false, body: 'See you there', ts: BASE + 180_000, state: 'received' },
  ];
}

function many(count: number) {
  return (): IncomingMessage[] =>
    Array.from({ length: count }, (_, i) => ({ id: `m${i}`, conversationId: PEER, from: 'bob', own: false, body: `message ${i}`, ts: BASE + i * 60_000, state: 'received' as const }));
}

describe('<ck-chat-view> keyboard access to messages', () => {
  it('arrows move one Tab stop from message to message; the focused row is named and ringed', async () => {
    const { view, start } = await setup(conversation);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await eventually(() => focusedId(view) === 'p3', 'the latest message focused');
    // One row is the log's Tab stop.
    expect(rows(view).map((r) => r.tabIndex)).to.deep.equal([-1, -1, -1, 0]);
    expect(log(view).tabIndex).to.equal(-1);
    const p3 = row(view, 'p3')!;
    expect(p3.getAttribute('aria-label')).to.match(/^Bob, .+: See you there$/);
    expect(p3.getAttribute('aria-label')).to.contain(formatMessageTime(BASE + 180_000, 'en'));
    expect(p3.getAttribute('aria-keyshortcuts')).to.equal('Enter ContextMenu Shift+F10 R');
    expect(getComputedStyle(p3).outlineStyle).to.equal('solid');
    expect(parseFloat(getComputedStyle(p3).outlineWidth)).to.be.at.least(2);

    await press('ArrowUp');
    expect(focusedId(view)).to.equal('o1');
    const o1 = row(view, 'o1')!;
    expect(o1.getAttribute('aria-label')).to.match(/^You, .*: Sounds good\. Delivered$/);
    expect(o1.getAttribute('aria-keyshortcuts')).to.equal('Enter ContextMenu Shift+F10 R E');
    // Only the focused row carries a name: the others are read from their content.
    expect(p3.hasAttribute('aria-label')).to.equal(false);
    expect(p3.tabIndex).to.equal(-1);

    await press('Home');
    expect(focusedId(view)).to.equal('p1');
    await press('ArrowUp');
    expect(focusedId(view), 'stays on the first message').to.equal('p1');
    await press('End');
    expect(focusedId(view)).to.equal('p3');
    await press('ArrowDown');
    expect(focusedId(view), 'stays on the latest message').to.equal('p3');
    await press('PageUp');
    expect(focusedId(view), 'a screenful up: all four fit').to.equal('p1');
    await press('PageDown');
    expect(focusedId(view)).to.equal('p3');
  });

  it('Tab walks only the focused message’s controls, Escape returns to the message, Shift+Tab leaves the log', async () => {
    const { view, start } = await setup(conversation);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await press('ArrowUp');
    await press('ArrowUp');
    expect(focusedId(view)).to.equal('p2');
    // The links of other rows are out of the Tab order; this row's link is in it.
    const link = row(view, 'p2')!.querySelector<HTMLAnchorElement>('a[href]')!;
    expect(link.tabIndex).to.equal(0);
    await press('Tab');
    expect(deepActive()).to.equal(link);
    await press('Tab');
    const after = deepActive();
    expect(after && log(view).contains(after), `Tab left the log (focus on ${after?.localName}[part=${after?.getAttribute('part')}])`).to.equal(false);
    await shiftPress('Tab');
    expect(deepActive()).to.equal(link);
    await press('Escape');
    expect(focusedId(view)).to.equal('p2');
    await shiftPress('Tab');
    const before = deepActive();
    expect(before && log(view).contains(before), 'Shift+Tab from the row leaves the log').to.equal(false);
    // Tabbing back in lands on the same message.
    await press('Tab');
    expect(focusedId(view)).to.equal('p2');
  });

  it('Enter, the ContextMenu key and Shift+F10 open the message’s menu at its row; Escape returns focus', async () => {
    const { view, start } = await setup(conversation);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await press('ArrowUp');
    expect(focusedId(view)).to.equal('o1');
    for (const open of [() => press('Enter'), () => press('ContextMenu'), () => shiftPress('F10')]) {
      await open();
      const m = await eventually(() => menu(view), 'the menu');
      const first = m.querySelector('[role^=menuitem]');
      await eventually(() => view.shadowRoot!.activeElement === first, 'the first item focused');
      expect([...m.querySelectorAll<HTMLElement>('[data-action]')].map((b) => b.dataset.action)).to.include.members(['reply', 'edit', 'recall']);
      // At the row: its top edge near the bubble's bottom (or moved up just enough to fit).
      const bubble = row(view, 'o1')!.querySelector('[part=bubble]')!.getBoundingClientRect();
      const box = m.getBoundingClientRect();
      const wrap = part(view, '.log-wrap')!.getBoundingClientRect();
      expect(Math.abs(box.top - (bubble.bottom + 4)) < 2 || Math.abs(box.bottom - wrap.bottom) < 2, `menu at ${box.top}, bubble ends at ${bubble.bottom}`).to.equal(true);
      await press('Escape');
      await eventually(() => menu(view) === null, 'menu closed');
      await eventually(() => focusedId(view) === 'o1', 'focus back on the message');
    }
    // Tab out of the menu also closes it and returns to the message.
    await press('Enter');
    await eventually(() => menu(view), 'the menu');
    await press('Tab');
    await eventually(() => menu(view) === null && focusedId(view) === 'o1', 'closed by Tab, focus on the message');
  });

  it('reacts by keyboard only: the menu’s first item, then the chip is reachable and named', async () => {
    const { view, start, calls } = await setup(conversation);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    expect(focusedId(view)).to.equal('p3');
    await press('Enter');
    await eventually(() => menu(view), 'the menu');
    await press('ArrowRight');
    expect((view.shadowRoot!.activeElement as HTMLElement).dataset.emoji).to.equal('❤️');
    await press('Enter');
    await eventually(() => calls.react.length === 1, 'kit.react called');
    expect(calls.react[0]).to.deep.equal(['p3', '❤️']);
    await eventually(() => menu(view) === null && focusedId(view) === 'p3', 'menu closed, focus back on the message');
    await eventually(() => row(view, 'p3')!.getAttribute('aria-label')?.endsWith('Reactions: ❤️ 1'), 'the reaction in the name');
    // The chip is this row's control: Tab reaches it, and it toggles with Enter.
    await press('Tab');
    const chip = deepActive() as HTMLElement;
    expect(chip.getAttribute('part')).to.equal('reaction');
    expect(chip.getAttribute('aria-pressed')).to.equal('true');
  });

  it('replies with R and edits with E, the composer taking focus; Escape there ends the reply', async () => {
    const { view, start, calls } = await setup(conversation);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await press('r');
    await eventually(() => part(view, '[part=reply-bar]'), 'the reply bar');
    await eventually(() => deepActive()?.getAttribute('part') === 'input', 'the composer focused');
    await sendKeys({ type: 'On my way' });
    await press('Enter');
    await eventually(() => calls.send.length === 1, 'sent');
    expect(calls.send[0]).to.deep.equal([PEER, 'On my way', { replyTo: 'p3' }]);

    // Back to the log (Shift+Tab from the composer), up to the own message, E edits it.
    for (let i = 0; i < 10 && !focusedId(view); i++) await shiftPress('Tab');
    expect(focusedId(view), 'Shift+Tab from the composer returns to the message').to.equal('p3');
    await press('ArrowUp');
    expect(focusedId(view)).to.equal('o1');
    await press('e');
    await eventually(() => part(view, '[part=edit-bar]'), 'the edit bar');
    await eventually(() => (deepActive() as HTMLTextAreaElement | null)?.value === 'Sounds good', 'the text to correct in the composer');
    await press('Escape');
    await eventually(() => part(view, '[part=edit-bar]') === null, 'edit cancelled');
    // E on a peer's message does nothing.
    for (let i = 0; i < 10 && !focusedId(view); i++) await shiftPress('Tab');
    await press('ArrowDown');
    expect(focusedId(view)).to.equal('p3');
    await press('e');
    expect(part(view, '[part=edit-bar]')).to.equal(null);
    expect(focusedId(view)).to.equal('p3');
  });

  it('arrows cross the rendered window both ways, loading the next window as focus reaches its end', async function () {
    this.timeout(90_000);
    const { view, start } = await setup(many(300), 400);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await eventually(() => focusedId(view) === 'm299', 'the latest message focused');
    const firstShown = () => rows(view)[0]!.dataset.id;
    expect(firstShown(), 'the first window starts after m0').to.not.equal('m0');
    let most = 0;
    for (let i = 1; i <= 150; i++) {
      await press('ArrowUp');
      most = Math.max(most, rows(view).length);
      await eventually(() => focusedId(view) === `m${299 - i}`, `m${299 - i} focused after ${i} ArrowUp`, 5000);
    }
    expect(most, 'the window stays bounded').to.be.at.most(160);
    expect(row(view, 'm299'), 'the newest rows left the window').to.equal(null);
    // The focused row is on screen.
    const r = row(view, 'm149')!.getBoundingClientRect();
    const box = log(view).getBoundingClientRect();
    expect(r.top >= box.top && r.bottom <= box.bottom, 'focused row scrolled into view').to.equal(true);
    // Down again past the newest row shown: the next window comes in.
    const lastShown = Number(rows(view).at(-1)!.dataset.id!.slice(1));
    const below = Math.min(299, lastShown + 5);
    for (let i = 149; i < below; i++) await press('ArrowDown');
    await eventually(() => focusedId(view) === `m${below}`, `past m${lastShown}, m${below} focused (focus on ${focusedId(view)})`, 5000);
    // End: the latest message, whichever window is shown.
    for (let i = 0; i < 100; i++) await press('ArrowUp');
    await press('End');
    await eventually(() => focusedId(view) === 'm299', 'End reaches the latest message');
    // Home focuses the first row loaded when it is pressed; reaching the top may then load
    // older rows (the window steps), so compare with the row first at the press.
    const firstAtPress = firstShown();
    await press('Home');
    await eventually(() => focusedId(view) === firstAtPress, `Home: the first loaded message (${firstAtPress})`);
  });

  it('names rich messages by what they are; a voice player’s controls are in the Tab order only on its focused row', async () => {
    const { view, start } = await setup(() => [
      { id: 'v1', conversationId: PEER, from: 'bob', own: false, body: '', ts: BASE, state: 'received', attachment: { url: 'https://example.invalid/v.ogg', mime: 'audio/ogg', voice: true, duration: 7000, name: 'v.ogg', size: 5000 } },
      { id: 'i1', conversationId: PEER, from: 'bob', own: false, body: '', ts: BASE + 1000, state: 'received', attachment: { url: 'https://example.invalid/cat.png', mime: 'image/png', name: 'cat.png', size: 5000 } },
      { id: 'l1', conversationId: PEER, from: 'bob', own: false, body: 'geo:1,2', ts: BASE + 2000, state: 'received', location: { lat: 1, lon: 2 } },
      { id: 'x1', conversationId: PEER, from: 'bob', own: false, body: '', ts: BASE + 3000, state: 'received', retracted: true },
    ]);
    await tabIntoLog(view, start);
    const names: Record<string, string> = {};
    await press('ArrowUp');
    for (const id of ['x1', 'l1', 'i1', 'v1']) {
      await eventually(() => focusedId(view) === id, `${id} focused`);
      names[id] = row(view, id)!.getAttribute('aria-label')!.replace(/^Bob, .*?[AP]M: /, '');
      if (id !== 'v1') await press('ArrowUp');
    }
    expect(names).to.deep.equal({ x1: 'Message recalled', l1: 'Location', i1: 'Image: cat.png', v1: 'Voice message 0:07' });
    // On the voice row, Tab enters the player; from another row it does not.
    await press('Tab');
    expect(deepActive()?.getAttribute('part')).to.equal('play-button');
    await press('Escape');
    expect(focusedId(view)).to.equal('v1');
    await press('ArrowDown');
    await press('ArrowDown');
    expect(focusedId(view)).to.equal('l1');
    await press('Tab');
    expect(deepActive()?.getAttribute('part')).to.equal('map-link');
    await press('Tab');
    const after = deepActive();
    expect(after && (log(view).contains(after) || part(view, '[part=voice]')!.shadowRoot!.contains(after)), 'Tab from the last control leaves the log').to.equal(false);
    // Shift+Tab from the image row (just after the voice row) skips the player too.
    await shiftPress('Tab');
    await shiftPress('Tab');
    expect(focusedId(view)).to.equal('l1');
    await press('ArrowUp');
    expect(focusedId(view)).to.equal('i1');
    await shiftPress('Tab');
    const before = deepActive();
    expect(before?.getAttribute('part'), 'not into the voice player of the row above').to.not.be.oneOf(['play-button', 'progress']);
    expect(before && log(view).contains(before)).to.equal(false);
  });

  it('scrolling away from a focused message never pulls the log back to it', async function () {
    this.timeout(60_000);
    const { view, start } = await setup(many(400), 400);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await eventually(() => focusedId(view) === 'm399', 'the latest message focused');
    const l = log(view);
    // A wheel-like scroll to the very top: the window steps away from the focused row.
    for (let i = 0; i < 300 && rows(view)[0]!.dataset.id !== 'm0'; i++) {
      l.scrollTop = 0;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 10)));
    }
    expect(rows(view)[0]!.dataset.id, 'reached the first message').to.equal('m0');
    expect(row(view, 'm399'), 'the focused row left the window').to.equal(null);
    const reached = l.scrollTop;
    await new Promise((r) => setTimeout(r, 300));
    expect(l.scrollTop, 'the log stays where the reader scrolled').to.equal(reached);
    // Focus stayed in the log (handed to a row that was on screen when the focused one left).
    expect(focusedId(view), 'a row holds focus').to.not.equal('');
  });

  it('a deleted focused message hands focus to its neighbour', async () => {
    const { view, start, kit } = await setup(conversation);
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await press('ArrowUp');
    expect(focusedId(view)).to.equal('o1');
    await kit.db!.messages.delete('o1');
    await eventually(() => focusedId(view) === 'p3', 'the next message focused');
    // Another conversation shown meanwhile: focus stays in the view, on the log, not on a row of the other one.
    await ingestMessages(kit.db!, [{ id: 'c1', conversationId: 'carol@example.com', from: 'carol', own: false, body: 'Hi', ts: BASE, state: 'received' }]);
    view.conversation = 'carol@example.com';
    await eventually(() => row(view, 'c1'), "carol's message shown");
    await eventually(() => view.shadowRoot!.activeElement === log(view), 'the log focused');
    expect(log(view).tabIndex, 'the log is the Tab stop again').to.equal(0);
  });

  it('names the focused row in the reader’s language (zh-CN)', async () => {
    const { view, start } = await setup(conversation, 500, 'zh-CN');
    await tabIntoLog(view, start);
    await press('ArrowUp');
    await press('ArrowUp');
    expect(focusedId(view)).to.equal('o1');
    expect(row(view, 'o1')!.getAttribute('aria-label')).to.match(/^我，.+：Sounds good。已送达$/);
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`a focused row has a visible ring and no axe violations (${theme})`, async () => {
      const { view, start } = await setup((me) => [
        ...conversation(me),
        { id: 'r1', conversationId: PEER, from: 'bob', own: false, body: 'Yes!', ts: BASE + 240_000, state: 'received', reply: { id: 'o1', ref: 'o1', to: me, excerpt: 'Sounds good' } },
      ]);
      view.setAttribute('theme', theme);
      await settle(view);
      await tabIntoLog(view, start);
      await press('ArrowUp');
      await eventually(() => focusedId(view) === 'r1', 'the reply focused');
      const r1 = row(view, 'r1')!;
      expect(r1.getAttribute('aria-label')).to.match(/^Bob, .*: Yes!\. In reply to You$/);
      const style = getComputedStyle(r1);
      expect(style.outlineStyle).to.equal('solid');
      expect(style.outlineColor).to.not.equal(getComputedStyle(log(view)).backgroundColor);
      await expect(view).to.be.accessible();
    });
  }
});

/** Lets the view settle a frame (the theme attribute re-styles). */
async function settle(view: CkChatView): Promise<void> {
  await view.updateComplete;
  await new Promise((r) => requestAnimationFrame(r));
}
