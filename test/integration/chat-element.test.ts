import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import type { CkChat } from '../../src/index.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, openKit, part, parts, text, useServer } from '../support/kit.js';

const server = useServer();

const inner = <T extends Element>(chat: CkChat, tag: string): T => part<T>(chat, tag)!;

describe('<ck-chat>', () => {
  it('starts a chat from the new-chat picker and exchanges messages, keyboard only', async () => {
    const [alice, bob] = await createUsers(server, 2, 'drop');
    await befriend(server, alice!, bob!, { names: { [alice!.username]: 'Alice', [bob!.username]: 'Bob' } });
    const aliceKit = await openKit(server, alice!);
    const bobKit = await openKit(server, bob!);
    const root = await fixture<HTMLDivElement>(html`<div style="display:grid;grid-template-columns:1fr 1fr;height:600px">
      <ck-chat id="a" .kit=${aliceKit}></ck-chat>
      <ck-chat id="b" .kit=${bobKit}></ck-chat>
    </div>`);
    const aliceChat = root.querySelector<CkChat>('#a')!;
    const bobChat = root.querySelector<CkChat>('#b')!;

    part<HTMLButtonElement>(aliceChat, '[part=new-chat-button]')!.focus();
    await sendKeys({ press: 'Enter' });
    const picker = inner<HTMLElement>(aliceChat, 'ck-contact-picker');
    await eventually(() => parts(picker, '[part=item]').length === 1, 'bob in the picker');
    expect(text(part(picker, '[part=item] .name'))).to.equal('Bob');
    await sendKeys({ type: 'bo' });
    await sendKeys({ press: 'Enter' });
    await eventually(() => aliceChat.conversation === bob!.jid, 'conversation opened');
    const aliceView = inner<HTMLElement>(aliceChat, 'ck-chat-view');
    await eventually(() => aliceView.shadowRoot?.activeElement?.getAttribute('part') === 'input', 'composer focused');
    await sendKeys({ type: 'Hi from the drop-in' });
    await sendKeys({ press: 'Enter' });

    const bobList = inner<HTMLElement>(bobChat, 'ck-conversation-list');
    const row = await eventually(() => parts(bobList, '[part=item]')[0], "row in bob's list");
    row.focus();
    await sendKeys({ press: 'Enter' });
    await eventually(() => bobChat.conversation === alice!.jid, 'bob opened it');
    const bobView = inner<HTMLElement>(bobChat, 'ck-chat-view');
    await eventually(() => parts(bobView, '[part=bubble]').map(text).includes('Hi from the drop-in'), 'bob sees the message');
    await eventually(() => part(bobList, '[part=badge]') === null, 'unread cleared');
  });

  it('shows one pane at a time when narrow, with a back button', async () => {
    const [alice, bob] = await createUsers(server, 2, 'narrow');
    const aliceKit = await openKit(server, alice!);
    await aliceKit.send(bob!.jid, 'hello');
    const chat = await fixture<CkChat>(html`<ck-chat style="display:grid;width:400px;height:500px" .kit=${aliceKit}></ck-chat>`);
    await eventually(() => chat.narrow, 'narrow mode');
    const list = inner<HTMLElement>(chat, 'ck-conversation-list');
    const view = inner<HTMLElement>(chat, 'ck-chat-view');
    expect(getComputedStyle(view).display).to.equal('none');
    const row = await eventually(() => parts(list, '[part=item]')[0], 'row');
    row.click();
    await eventually(() => getComputedStyle(view).display !== 'none', 'view shown');
    expect(getComputedStyle(list.parentElement!).display).to.equal('none');
    view.querySelector<HTMLButtonElement>('[slot=header-start]')!.click();
    await eventually(() => getComputedStyle(list.parentElement!).display !== 'none', 'back to the list');
  });
});
