import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import type { ChatKit, CkChatView } from '../../src/index.js';
import type { MessageRecord } from '../../src/store/records.js';
import { befriend, createUsers, type TestUser } from '../support/server.js';
import { eventually, openKit, part, parts, text, useServer } from '../support/kit.js';

const server = useServer();

interface Pair {
  alice: TestUser;
  bob: TestUser;
  aliceKit: ChatKit;
  bobKit: ChatKit;
  /** Alice's view of her chat with Bob, and Bob's of his with Alice, side by side. */
  aliceView: CkChatView;
  bobView: CkChatView;
}

async function pair(prefix: string): Promise<Pair> {
  const [alice, bob] = await createUsers(server, 2, prefix);
  await befriend(server, alice!, bob!, { names: { [alice!.username]: 'Alice', [bob!.username]: 'Bob' } });
  const aliceKit = await openKit(server, alice!);
  const bobKit = await openKit(server, bob!);
  const root = await fixture<HTMLDivElement>(html`<div style="display:grid;grid-template-columns:1fr 1fr;height:640px">
    <ck-chat-view id="a" .kit=${aliceKit} conversation=${bob!.jid}></ck-chat-view>
    <ck-chat-view id="b" .kit=${bobKit} conversation=${alice!.jid}></ck-chat-view>
  </div>`);
  return {
    alice: alice!,
    bob: bob!,
    aliceKit,
    bobKit,
    aliceView: root.querySelector<CkChatView>('#a')!,
    bobView: root.querySelector<CkChatView>('#b')!,
  };
}

const input = (view: CkChatView) => part<HTMLTextAreaElement>(view, '[part=input]')!;
const rowById = (view: CkChatView, id: string) => part<HTMLElement>(view, `[part~=message][data-id="${CSS.escape(id)}"]`);
/** The row whose bubble's text includes `body`. */
const rowWith = (view: CkChatView, body: string) => parts(view, '[part=message]').find((r) => text(r.querySelector('[part=bubble]')).includes(body));

async function typeAndSend(view: CkChatView, value: string): Promise<void> {
  input(view).focus();
  await sendKeys({ type: value });
  await sendKeys({ press: 'Enter' });
}

async function openMenu(view: CkChatView, id: string): Promise<HTMLElement> {
  const bubble = await eventually(() => rowById(view, id)?.querySelector<HTMLElement>('[part=bubble]'), `bubble ${id}`);
  const r = bubble.getBoundingClientRect();
  bubble.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true, clientX: r.left + 5, clientY: r.top + 5 }));
  return eventually(() => part<HTMLElement>(view, '[part=message-menu]'), 'menu');
}

async function ownMessage(kit: ChatKit, body: string): Promise<MessageRecord> {
  return eventually(async () => (await kit.db!.messages.toArray()).find((m) => m.own && m.body === body), `own message "${body}" stored`);
}

/** A small PNG of the given size, drawn on a canvas. */
async function png(width: number, height: number, name: string): Promise<File> {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d')!;
  g.fillStyle = '#2563eb';
  g.fillRect(0, 0, width, height);
  const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), 'image/png'));
  return new File([blob], name, { type: 'image/png' });
}

describe('rich messages through <ck-chat-view>', () => {
  it('alice edits, reacts, replies and recalls through the menu; bob’s view shows each', async function () {
    this.timeout(60_000);
    const { aliceKit, bobKit, alice, aliceView, bobView } = await pair('richui');

    // Edit: the menu's Edit puts the text in the composer; Enter saves it.
    await typeAndSend(aliceView, 'See you at 5');
    const first = await ownMessage(aliceKit, 'See you at 5');
    await eventually(() => rowWith(bobView, 'See you at 5'), 'bob sees the message');
    let menu = await openMenu(aliceView, first.id);
    menu.querySelector<HTMLButtonElement>('[data-action=edit]')!.click();
    await eventually(() => part(aliceView, '[part=edit-bar]'), 'edit mode');
    await eventually(() => aliceView.shadowRoot!.activeElement === input(aliceView), 'composer focused');
    input(aliceView).select();
    await sendKeys({ type: 'See you at 6' });
    await sendKeys({ press: 'Enter' });
    const edited = await eventually(() => rowWith(bobView, 'See you at 6'), 'bob sees the correction');
    expect(edited.querySelector('[part=edited]'), 'edited label').to.not.equal(null);
    expect(rowWith(bobView, 'See you at 5')).to.equal(undefined);

    // React: alice's quick reaction on bob's message shows as a chip in bob's view.
    await bobKit.send(alice.jid, 'Bring snacks?');
    const bobsRow = await eventually(() => rowWith(aliceView, 'Bring snacks?'), 'alice sees bob’s message');
    menu = await openMenu(aliceView, bobsRow.dataset.id!);
    menu.querySelector<HTMLButtonElement>('[data-emoji="👍"]')!.click();
    await eventually(() => {
      const row = rowWith(bobView, 'Bring snacks?');
      return row && [...row.querySelectorAll('[part~=reaction]')].some((chip) => text(chip).includes('👍'));
    }, 'reaction chip on bob’s message');

    // Reply: the reply bar, then the answer carries a quote of the original.
    menu = await openMenu(aliceView, bobsRow.dataset.id!);
    menu.querySelector<HTMLButtonElement>('[data-action=reply]')!.click();
    await eventually(() => part(aliceView, '[part=reply-bar]'), 'reply bar');
    await typeAndSend(aliceView, 'Chips and fruit');
    const answer = await eventually(() => rowWith(bobView, 'Chips and fruit'), 'bob sees the reply');
    const quote = await eventually(() => answer.querySelector('[part=reply-quote]'), 'reply quote');
    expect(text(quote)).to.contain('Bring snacks?');
    expect(text(answer.querySelector('[part=bubble]'))).to.not.contain('> Bring snacks?');

    // Recall: Recall, then the confirm item.
    await typeAndSend(aliceView, 'wrong chat, sorry');
    const oops = await ownMessage(aliceKit, 'wrong chat, sorry');
    await eventually(() => rowWith(bobView, 'wrong chat, sorry'), 'bob sees the slip');
    menu = await openMenu(aliceView, oops.id);
    menu.querySelector<HTMLButtonElement>('[data-action=recall]')!.click();
    const confirm = await eventually(() => part<HTMLButtonElement>(aliceView, '[part=message-menu] [data-action=recall-confirm]'), 'confirm');
    confirm.click();
    await eventually(() => parts(bobView, '[part=recalled]').length === 1, 'bob sees the recall');
    expect(rowWith(bobView, 'wrong chat, sorry')).to.equal(undefined);
    expect(text(parts(bobView, '[part=recalled]')[0])).to.equal('This message was recalled');
  });

  it('bob sees “Alice is typing…” while alice types, and not after she sends or clears the text', async function () {
    this.timeout(30_000);
    const { aliceKit, bob, aliceView, bobView } = await pair('richtype');
    // Chat states are not stored for later (no-store): bob must be available to hear them.
    await eventually(async () => (await aliceKit.db!.presence.get(bob.username))?.show === 'online', 'bob online as alice sees him');
    const typing = () => text(part(bobView, '[part=typing]'));
    await eventually(() => part(bobView, '[part=typing]'), 'typing line');
    expect(typing()).to.equal('');
    input(aliceView).focus();
    await sendKeys({ type: 'Hello the' });
    await eventually(() => typing() === 'Alice is typing…', 'bob sees alice typing');
    await sendKeys({ type: 're' });
    await sendKeys({ press: 'Enter' });
    await eventually(() => rowWith(bobView, 'Hello there'), 'message arrived');
    await eventually(() => typing() === '', 'typing line cleared after the message');
    await sendKeys({ type: 'Another' });
    await eventually(() => typing() === 'Alice is typing…', 'typing again');
    input(aliceView).select();
    await sendKeys({ press: 'Backspace' });
    await eventually(() => typing() === '', 'cleared input ends typing');
  });

  it('an image attached through the attach input shows in bob’s view as a thumbnail with its shape reserved', async function () {
    this.timeout(60_000);
    const { aliceKit, aliceView, bobView } = await pair('richimg');
    const chooser = part<HTMLInputElement>(aliceView, 'input[type=file]')!;
    const dt = new DataTransfer();
    dt.items.add(await png(160, 90, 'sunset.png'));
    chooser.files = dt.files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    const sent = await eventually(
      async () => (await aliceKit.db!.messages.toArray()).find((m) => m.own && m.attachment?.name === 'sunset.png' && m.attachment.url && !m.upload),
      'upload finished',
      30_000,
    );
    const url = sent.attachment!.url;
    expect(url).to.match(/^https?:\/\//);
    const img = await eventually(
      () => parts(bobView, '[part=image] img').find((i) => i.getAttribute('src') === url) as HTMLImageElement | undefined,
      'bob’s thumbnail',
      20_000,
    );
    expect(img.alt).to.equal('sunset.png');
    const thumb = img.closest<HTMLElement>('[part=image]')!;
    expect(getComputedStyle(thumb).aspectRatio.replace(/\s/g, '')).to.equal('160/90');
    await eventually(() => img.complete && img.naturalWidth === 160, 'image loaded from the server', 10_000);
  });
});
