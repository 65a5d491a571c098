import { expect, fixture, html } from '@open-wc/testing';
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import '../../src/index.js';
import { ChatKit, type CkChat } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { eventually, part, parts } from '../support/kit.js';
import { INITIAL } from '../../src/ui/chat-view/message-window.js';

const PEER = 'bob@example.com';

async function kitWithHistory(count: number): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
  await kit.openStore(`m-${crypto.randomUUID().slice(0, 8)}`);
  const base = Date.UTC(2026, 0, 1);
  const rows: IncomingMessage[] = Array.from({ length: count }, (_, i) => ({
    id: `m${i}`, conversationId: PEER, from: 'bob', own: false, body: `message ${i}`, ts: base + i * 60_000, state: 'received',
  }));
  await ingestMessages(kit.db!, rows);
  return kit;
}

describe('phone layout (360×740, touch, device scale 3)', () => {
  before(async () => {
    // As any page made for phones does: lay out at the device's width.
    const meta = document.createElement('meta');
    meta.name = 'viewport';
    meta.content = 'width=device-width, initial-scale=1';
    document.head.append(meta);
    await executeServerCommand('ck-emulate-phone');
  });
  after(async () => {
    await executeServerCommand('ck-emulate-desktop');
  });

  it('is a phone: touch, coarse pointer, device scale 3', () => {
    expect(innerWidth).to.equal(360);
    expect(devicePixelRatio).to.equal(3);
    expect(matchMedia('(pointer: coarse)').matches).to.equal(true);
    expect(navigator.maxTouchPoints).to.be.greaterThan(0);
  });

  it('list → conversation → back with the browser Back action, one pane at a time', async () => {
    const kit = await kitWithHistory(5);
    const chat = await fixture<CkChat>(html`<ck-chat style="display:grid;height:700px" .kit=${kit}></ck-chat>`);
    await eventually(() => chat.narrow, 'narrow');
    const list = part(chat, 'ck-conversation-list')!;
    const view = part(chat, 'ck-chat-view')!;
    const row = await eventually(() => parts(list, '[part=item]')[0], 'row');
    const depth = history.length;
    row.click();
    await eventually(() => getComputedStyle(view).display !== 'none', 'conversation shown');
    expect(getComputedStyle(list.parentElement!).display).to.equal('none');
    expect(history.length).to.equal(depth + 1);
    history.back();
    await eventually(() => chat.conversation === null, 'Back closed the conversation');
    await eventually(() => getComputedStyle(list.parentElement!).display !== 'none', 'list shown again');
  });

  it('keeps the composer visible and the log on the latest message when the visual viewport shrinks', async () => {
    const kit = await kitWithHistory(80);
    const chat = await fixture<CkChat>(html`<ck-chat style="display:grid;height:100vh" .kit=${kit} conversation=${PEER}></ck-chat>`);
    const view = part(chat, 'ck-chat-view')!;
    const log = await eventually(() => part(view, '[part=log]'), 'log');
    await eventually(() => parts(view, '[part=message]').length > 0, 'messages');
    await eventually(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'at the latest');
    // The soft keyboard takes the bottom 340 px.
    await setViewport({ width: 360, height: 400 });
    await eventually(() => {
      const input = part(view, '[part=input]')!.getBoundingClientRect();
      return input.bottom <= (window.visualViewport?.height ?? innerHeight) + 1;
    }, 'composer above the keyboard');
    await eventually(() => log.scrollHeight - log.scrollTop - log.clientHeight < 2, 'still at the latest message');
    await setViewport({ width: 360, height: 740 });
  });

  it('inputs use at least 16 px text (no zoom on focus) and touch targets are at least 44 px', async () => {
    const kit = await kitWithHistory(3);
    const chat = await fixture<CkChat>(html`<ck-chat style="display:grid;height:700px" .kit=${kit} conversation=${PEER}></ck-chat>`);
    const view = part(chat, 'ck-chat-view')!;
    const input = await eventually(() => part(view, '[part=input]'), 'input');
    expect(parseFloat(getComputedStyle(input).fontSize)).to.be.at.least(16);
    const send = part(view, '[part=send-button]')!.getBoundingClientRect();
    expect(Math.min(send.width, send.height)).to.be.at.least(44);
  });
});

describe('tablet and desktop width', () => {
  it('shows list and conversation side by side at 1024 px', async () => {
    await setViewport({ width: 1024, height: 700 });
    try {
      const kit = await kitWithHistory(3);
      const chat = await fixture<CkChat>(html`<ck-chat style="display:grid;width:100%;height:600px" .kit=${kit} conversation=${PEER}></ck-chat>`);
      const view = part(chat, 'ck-chat-view')!;
      const list = part(chat, 'ck-conversation-list')!;
      await eventually(() => parts(view, '[part=message]').length === 3, 'messages');
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      expect(chat.narrow).to.equal(false);
      expect(getComputedStyle(list.parentElement!).display).to.not.equal('none');
      expect(getComputedStyle(view).display).to.not.equal('none');
      expect(list.getBoundingClientRect().right).to.be.at.most(view.getBoundingClientRect().left + 1);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });
});

describe('touch gestures', () => {
  const touch = (el: Element, type: string, x: number, y: number) =>
    el.dispatchEvent(new PointerEvent(type, { pointerType: 'touch', clientX: x, clientY: y, bubbles: true, composed: true, pointerId: 7 }));

  it('a long press on a message opens its menu (reactions, reply, copy, delete); Delete removes it', async () => {
    const kit = await kitWithHistory(3);
    const chat = await fixture<CkChat>(html`<ck-chat style="display:grid;height:700px" .kit=${kit} conversation=${PEER}></ck-chat>`);
    const view = part(chat, 'ck-chat-view')!;
    const bubble = await eventually(() => parts(view, '[part=bubble]')[2], 'bubble');
    const r = bubble.getBoundingClientRect();
    touch(bubble, 'pointerdown', r.left + 5, r.top + 5);
    await new Promise((res) => setTimeout(res, 650));
    touch(bubble, 'pointerup', r.left + 5, r.top + 5);
    const menu = await eventually(() => part(view, '[part=message-menu]'), 'menu');
    expect([...menu.querySelectorAll('[role=menuitem]')].map((b) => b.textContent!.trim())).to.deep.equal(['Reply', 'Copy', 'Delete']);
    expect(menu.querySelectorAll('[role=menuitemcheckbox]').length).to.equal(6);
    menu.querySelector<HTMLButtonElement>('[data-action=delete]')!.click();
    await eventually(async () => (await kit.db!.messages.count()) === 2, 'deleted');
  });

  it('a short touch does not open the menu; a pull down at the top loads older messages', async () => {
    const kit = await kitWithHistory(200);
    const chat = await fixture<CkChat>(html`<ck-chat style="display:grid;height:700px" .kit=${kit} conversation=${PEER}></ck-chat>`);
    const view = part(chat, 'ck-chat-view')!;
    const log = await eventually(() => part(view, '[part=log]'), 'log');
    await eventually(() => parts(view, '[part=message]').length === INITIAL, 'newest page');
    const bubble = parts(view, '[part=bubble]')[0]!;
    touch(bubble, 'pointerdown', 10, 10);
    await new Promise((res) => setTimeout(res, 100));
    touch(bubble, 'pointerup', 10, 10);
    await new Promise((res) => setTimeout(res, 600));
    expect(part(view, '[part=message-menu]')).to.equal(null);
    const first = Number(parts(view, '[part=message]')[0]!.getAttribute('aria-posinset'));
    log.scrollTop = 0;
    touch(log, 'pointerdown', 100, 100);
    touch(log, 'pointermove', 100, 200);
    touch(log, 'pointerup', 100, 200);
    await eventually(() => Number(parts(view, '[part=message]')[0]!.getAttribute('aria-posinset')) < first, 'older messages shown');
  });
});

describe('conversation row actions', () => {
  const touch = (el: Element, type: string, x: number, y: number) =>
    el.dispatchEvent(new PointerEvent(type, { pointerType: 'touch', clientX: x, clientY: y, bubbles: true, composed: true, pointerId: 9 }));

  it('a swipe to the left reveals pin, mute and delete; pin moves the row to the top', async () => {
    const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
    await kit.openStore(`s-${crypto.randomUUID().slice(0, 8)}`);
    await ingestMessages(kit.db!, [0, 1, 2].map((i) => ({
      id: `x${i}`, conversationId: `p${i}@example.com`, from: `p${i}`, own: false, body: `hi ${i}`, ts: Date.UTC(2026, 0, 1) + i * 1000, state: 'received' as const,
    })));
    const list = await fixture<HTMLElement>(html`<ck-conversation-list style="height:400px" .kit=${kit}></ck-conversation-list>`);
    const rows = () => parts(list, '[part=item]');
    await eventually(() => rows().length === 3, 'rows');
    const last = rows()[2]!;
    expect(last.dataset.id).to.equal('p0@example.com');
    touch(last, 'pointerdown', 300, 10);
    touch(last, 'pointermove', 240, 12);
    touch(last, 'pointerup', 240, 12);
    const bar = await eventually(() => part(list, '[part=row-actions]'), 'actions');
    expect([...bar.querySelectorAll('button')].map((b) => b.textContent!.trim())).to.deep.equal(['Pin', 'Mute', 'Delete']);
    bar.querySelector('button')!.click();
    await eventually(() => rows()[0]?.dataset.id === 'p0@example.com', 'pinned to the top');
    rows()[1]!.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true }));
    const again = await eventually(() => part(list, '[part=row-actions]'), 'actions by right click');
    again.querySelectorAll('button')[2]!.click();
    await eventually(() => rows().length === 2, 'deleted from the list');
  });
});
