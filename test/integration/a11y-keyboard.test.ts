import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import type { ChatKit, CkChat } from '../../src/index.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, openKit, part, parts, text, useServer } from '../support/kit.js';

const server = useServer();

/** The focused element, looking through shadow roots. */
function deepActive(): Element | null {
  let el = document.activeElement;
  while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
  return el;
}

const describeFocus = (): string => {
  const el = deepActive();
  return el ? `${el.localName}[part=${el.getAttribute('part') ?? ''}]` : 'nothing';
};

/** Presses Tab (or Shift+Tab) until `wanted` holds for the focused element, as a keyboard user would. */
async function tabTo(wanted: (el: Element) => boolean, what: string, back = false): Promise<Element> {
  for (let i = 0; i < 25; i++) {
    const el = deepActive();
    if (el && wanted(el)) return el;
    if (back) await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Tab' });
    if (back) await sendKeys({ up: 'Shift' });
  }
  throw new Error(`Tab never reached ${what} (focus is on ${describeFocus()})`);
}

const hasPart = (name: string) => (el: Element) => (el.getAttribute('part') ?? '').split(' ').includes(name);

/** alice's <ck-chat> after a button where a keyboard user's Tab starts, once bob's conversation is listed. */
async function chatWithOneConversation(kit: ChatKit): Promise<{ root: HTMLDivElement; chat: CkChat; list: HTMLElement }> {
  const root = await fixture<HTMLDivElement>(html`<div>
    <button id="start">before the chat</button>
    <ck-chat style="display:grid;width:900px;height:600px" .kit=${kit}></ck-chat>
  </div>`);
  const chat = root.querySelector<CkChat>('ck-chat')!;
  const list = part<HTMLElement>(chat, 'ck-conversation-list')!;
  await eventually(() => parts(list, '[part~=item]').length === 1, "bob's conversation in the list");
  return { root, chat, list };
}

describe('keyboard only', () => {
  it('opens a conversation from the list, sends, and starts a chat from the picker without a mouse', async () => {
    const [alice, bob, carol] = await createUsers(server, 3, 'kbd');
    const names = { [alice!.username]: 'Alice', [bob!.username]: 'Bob', [carol!.username]: 'Carol' };
    await befriend(server, alice!, bob!, { names });
    await befriend(server, alice!, carol!, { names });
    const bobKit = await openKit(server, bob!);
    await bobKit.send(alice!.jid, 'Are you there?');
    const aliceKit = await openKit(server, alice!);

    const { root, chat } = await chatWithOneConversation(aliceKit);

    // The one focus() call: where a keyboard user's Tab starts from.
    root.querySelector<HTMLButtonElement>('#start')!.focus();

    // The new-chat button is labelled, then the list row is the next stop.
    const newChat = await tabTo(hasPart('new-chat-button'), 'the new-chat button');
    expect(newChat.getAttribute('aria-label')).to.equal('New chat');
    // Keyboard focus is visible (the tokens' :focus-visible ring).
    expect(getComputedStyle(newChat).outlineStyle).to.not.equal('none');
    await tabTo(hasPart('item'), 'the conversation row');
    await sendKeys({ press: 'Enter' });
    await eventually(() => chat.conversation === bob!.jid, 'the conversation opened');

    const view = part<HTMLElement>(chat, 'ck-chat-view')!;
    await eventually(() => parts(view, '[part~=bubble]').map(text).includes('Are you there?'), "bob's message shown");
    await tabTo(hasPart('input'), 'the composer');
    await sendKeys({ type: 'Typed without a mouse' });
    await sendKeys({ press: 'Enter' });
    await eventually(
      async () => (await bobKit.db!.messages.where('[conversationId+ts+seq]').between([alice!.jid, -Infinity, -Infinity], [alice!.jid, Infinity, Infinity]).toArray()).some((m) => m.body === 'Typed without a mouse'),
      'bob receives the message',
    );

    // Back to the toolbar, open the picker, arrow to Carol, pick her.
    await tabTo(hasPart('new-chat-button'), 'the new-chat button', true);
    await sendKeys({ press: 'Enter' });
    const picker = part<HTMLElement>(chat, 'ck-contact-picker')!;
    await eventually(() => parts(picker, '[part~=item]').length === 2, 'both contacts in the picker');
    await eventually(() => hasPart('search')(deepActive() ?? document.body), 'the search field focused');
    await sendKeys({ press: 'ArrowDown' });
    await sendKeys({ press: 'ArrowDown' });
    expect(text(part(picker, '.row.active .name'))).to.equal('Carol');
    await sendKeys({ press: 'Enter' });
    await eventually(() => chat.conversation === carol!.jid, `the chat with carol opened (open: ${chat.conversation}, dialog open: ${part<HTMLDialogElement>(chat, 'dialog')!.open}, focus: ${describeFocus()})`);
    await eventually(() => hasPart('input')(deepActive() ?? document.body), 'the composer focused after the pick');

    // Escape dismisses the picker and gives focus back to the button that opened it.
    await tabTo(hasPart('new-chat-button'), 'the new-chat button', true);
    await sendKeys({ press: 'Enter' });
    await eventually(() => part<HTMLDialogElement>(chat, 'dialog')!.open, 'the picker open again');
    await eventually(() => hasPart('search')(deepActive() ?? document.body), 'the search field focused');
    await sendKeys({ press: 'Escape' });
    await eventually(() => !part<HTMLDialogElement>(chat, 'dialog')!.open, 'the picker closed');
    await eventually(() => hasPart('new-chat-button')(deepActive() ?? document.body), 'focus back on the new-chat button');
  });
  it('reacts to and answers a message by keyboard only; bob sees both', async () => {
    const [alice, bob] = await createUsers(server, 2, 'kbdmsg');
    const names = { [alice!.username]: 'Alice', [bob!.username]: 'Bob' };
    await befriend(server, alice!, bob!, { names });
    const bobKit = await openKit(server, bob!);
    const asked = await bobKit.send(alice!.jid, 'Lunch at noon?');
    const aliceKit = await openKit(server, alice!);

    const { root, chat } = await chatWithOneConversation(aliceKit);
    root.querySelector<HTMLButtonElement>('#start')!.focus();
    await tabTo(hasPart('item'), 'the conversation row');
    await sendKeys({ press: 'Enter' });
    const view = part<HTMLElement>(chat, 'ck-chat-view')!;
    await eventually(() => parts(view, '[part~=bubble]').map(text).includes('Lunch at noon?'), "bob's message shown");

    // The log is one Tab stop; ArrowUp puts focus on the latest message, named for screen readers.
    await tabTo(hasPart('log'), 'the message log');
    await sendKeys({ press: 'ArrowUp' });
    const row = await eventually(() => {
      const el = deepActive();
      return el?.getAttribute('role') === 'article' ? el : null;
    }, `a message focused (focus on ${describeFocus()})`);
    expect(row.getAttribute('aria-label')).to.match(/^Bob, .+: Lunch at noon\?$/);
    expect(getComputedStyle(row).outlineStyle).to.not.equal('none');

    // Enter opens its menu on the quick reactions; Enter on the first reacts, focus comes back.
    await sendKeys({ press: 'Enter' });
    await eventually(() => deepActive()?.getAttribute('role') === 'menuitemcheckbox', 'the first quick reaction focused');
    await sendKeys({ press: 'Enter' });
    await eventually(() => deepActive() === row, `focus back on the message (focus on ${describeFocus()})`);
    await eventually(async () => (await bobKit.db!.messages.get(asked))?.reactions?.['👍']?.includes(alice!.username), 'bob sees the reaction');
    await eventually(() => row.getAttribute('aria-label')?.endsWith('Reactions: 👍 1'), 'the reaction in the name');

    // R answers it: the composer takes focus with the reply bar; Enter sends the reply.
    await sendKeys({ press: 'r' });
    await eventually(() => hasPart('input')(deepActive() ?? document.body), 'the composer focused');
    expect(part(view, '[part=reply-bar]')).to.not.equal(null);
    await sendKeys({ type: 'Yes, see you there' });
    await sendKeys({ press: 'Enter' });
    await eventually(
      async () => {
        const all = await bobKit.db!.messages.where('[conversationId+ts+seq]').between([alice!.jid, -Infinity, -Infinity], [alice!.jid, Infinity, Infinity]).toArray();
        return all.some((m) => m.body.endsWith('Yes, see you there') && m.reply?.id === asked);
      },
      'bob receives the reply to his message',
    );
    // Escape from the menu returns focus to the message it was opened on.
    await tabTo((el) => el.getAttribute('role') === 'article', 'a message', true);
    const focused = deepActive()!;
    await sendKeys({ press: 'Enter' });
    await eventually(() => deepActive()?.getAttribute('role')?.startsWith('menuitem'), 'the menu open');
    await sendKeys({ press: 'Escape' });
    await eventually(() => deepActive() === focused, 'focus back on the message after Escape');
  });
});
