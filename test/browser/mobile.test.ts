import { expect, fixture, html } from '@open-wc/testing';
import { setViewport } from '@web/test-runner-commands';
import '../../src/index.js';
import { ChatKit, type CkChat } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { eventually, part, parts } from '../support/kit.js';

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

describe('phone layout (360×740)', () => {
  before(() => setViewport({ width: 360, height: 740 }));
  after(() => setViewport({ width: 800, height: 600 }));

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
