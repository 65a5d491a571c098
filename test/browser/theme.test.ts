import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { ChatKit, type CkChat, type CkConversationList } from '../../src/index.js';

const bg = (el: Element): string => getComputedStyle(el).backgroundColor;
const WHITE = 'rgb(255, 255, 255)';
const DARK = 'rgb(17, 24, 39)';

async function kit(): Promise<ChatKit> {
  const k = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory' });
  await k.openStore(`t-${crypto.randomUUID().slice(0, 8)}`);
  return k;
}

describe('themes', () => {
  afterEach(() => document.documentElement.removeAttribute('theme'));

  it('theme="dark" on an element makes it dark; "light" keeps it light', async () => {
    const k = await kit();
    const dark = await fixture<CkConversationList>(html`<ck-conversation-list theme="dark" .kit=${k}></ck-conversation-list>`);
    expect(bg(dark)).to.equal(DARK);
    const light = await fixture<CkConversationList>(html`<ck-conversation-list theme="light" .kit=${k}></ck-conversation-list>`);
    expect(bg(light)).to.equal(WHITE);
  });

  it('theme on <html> applies to every element, live', async () => {
    const k = await kit();
    const list = await fixture<CkConversationList>(html`<ck-conversation-list .kit=${k}></ck-conversation-list>`);
    document.documentElement.setAttribute('theme', 'dark');
    await new Promise((r) => setTimeout(r, 0));
    await list.updateComplete;
    expect(bg(list)).to.equal(DARK);
    document.documentElement.setAttribute('theme', 'light');
    await new Promise((r) => setTimeout(r, 0));
    await list.updateComplete;
    expect(bg(list)).to.equal(WHITE);
  });

  it('<ck-chat theme="dark"> makes the list, view and picker inside it dark', async () => {
    const k = await kit();
    const chat = await fixture<CkChat>(html`<ck-chat theme="dark" .kit=${k} style="height:400px"></ck-chat>`);
    for (const tag of ['ck-conversation-list', 'ck-chat-view', 'ck-contact-picker']) {
      const inner = chat.shadowRoot!.querySelector(tag)!;
      await (inner as CkConversationList).updateComplete;
      expect(bg(inner), tag).to.equal(DARK);
    }
  });

  it('tokens override the defaults', async () => {
    const k = await kit();
    const list = await fixture<CkConversationList>(
      html`<ck-conversation-list style="--ck-color-background: rgb(1, 2, 3)" .kit=${k}></ck-conversation-list>`,
    );
    expect(bg(list)).to.equal('rgb(1, 2, 3)');
  });
});
