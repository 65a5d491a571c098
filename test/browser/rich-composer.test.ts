import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import { ChatKit, type ChatKitOptions, type CkChatView } from '../../src/index.js';
import { ChatKitError } from '../../src/kit/errors.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { eventually, part, parts, text } from '../support/kit.js';

const PEER = 'bob@example.com';
const BASE = Date.UTC(2026, 0, 1);

type Call = unknown[];

/** A memory-store kit (no server) with bob's profile, and spies in place of the kit methods the composer calls. */
async function setup(options: Partial<ChatKitOptions> = {}, history: (me: string) => IncomingMessage[] = defaultHistory) {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en', ...options });
  await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
  const me = kit.clientId!;
  await kit.db!.profiles.put({ id: 'bob', name: 'Bob', fetchedAt: Date.now() });
  await kit.db!.profiles.put({ id: 'carol', name: 'Carol', fetchedAt: Date.now() });
  // In small batches: since a912763, one ingest of ~100 messages on a memory store fails (PrematureCommitError).
  const list = history(me);
  for (let i = 0; i < list.length; i += 50) await ingestMessages(kit.db!, list.slice(i, i + 50));
  const calls: Record<string, Call[]> = {};
  const results: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of ['send', 'sendFile', 'sendLocation', 'sendCustom', 'edit', 'recall', 'react', 'uploadLimit', 'cancelUpload', 'setTyping']) {
    calls[name] = [];
    Object.assign(kit, {
      [name]: (...args: unknown[]) => {
        calls[name]!.push(args);
        const fn = results[name];
        if (name === 'setTyping') return fn?.(...args);
        return fn ? Promise.resolve().then(() => fn(...args)) : Promise.resolve(name.startsWith('send') ? 'new-id' : undefined);
      },
    });
  }
  const errors: Error[] = [];
  const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:600px" .kit=${kit} conversation=${PEER} @ck-error=${(e: Event & { error: Error }) => errors.push(e.error)}></ck-chat-view>`);
  await eventually(() => parts(view, '[part=message]').length > 0, 'rows');
  return { kit, me, view, calls, results, errors };
}

function defaultHistory(me: string): IncomingMessage[] {
  return [
    { id: 'p1', conversationId: PEER, from: 'bob', own: false, body: 'Lunch at noon?', ts: BASE, state: 'received' },
    { id: 'o1', conversationId: PEER, from: me, own: true, body: 'My first message', ts: BASE + 1000, state: 'sent' },
    { id: 'o2', conversationId: PEER, from: me, own: true, body: 'My last message', ts: BASE + 2000, state: 'sent' },
  ];
}

const input = (view: CkChatView) => part<HTMLTextAreaElement>(view, '[part=input]')!;
const row = (view: CkChatView, id: string) => part<HTMLElement>(view, `[part~=message][data-id="${id}"]`);

function typeInto(view: CkChatView, value: string): void {
  const area = input(view);
  area.value = value;
  area.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

async function openMenu(view: CkChatView, id: string): Promise<HTMLElement> {
  const bubble = await eventually(() => row(view, id)?.querySelector<HTMLElement>('[part=bubble]'), `bubble ${id}`);
  const r = bubble.getBoundingClientRect();
  bubble.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true, clientX: r.left + 5, clientY: r.top + 5 }));
  return eventually(() => part<HTMLElement>(view, '[part=message-menu]'), 'menu');
}

const menuItem = (menu: HTMLElement, action: string) => menu.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);

function filesTransfer(...files: File[]): DataTransfer {
  const dt = new DataTransfer();
  for (const f of files) dt.items.add(f);
  return dt;
}

describe('<ck-chat-view> composer: attachments', () => {
  it('sends the files chosen through the attach button', async () => {
    const { view, calls } = await setup();
    const chooser = part<HTMLInputElement>(view, 'input[type=file]')!;
    expect(chooser.multiple).to.equal(true);
    let opened = false;
    chooser.click = () => (opened = true);
    part<HTMLButtonElement>(view, '[part=attach-button]')!.click();
    expect(opened, 'the attach button opens the file chooser').to.equal(true);
    const a = new File(['hello'], 'notes.txt', { type: 'text/plain' });
    const b = new File([new Uint8Array([1, 2, 3])], 'photo.png', { type: 'image/png' });
    chooser.files = filesTransfer(a, b).files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    await eventually(() => calls.sendFile!.length === 2, 'two sendFile calls');
    expect(calls.sendFile![0]![0]).to.equal(PEER);
    expect((calls.sendFile![0]![1] as File).name).to.equal('notes.txt');
    expect((calls.sendFile![1]![1] as File).name).to.equal('photo.png');
    expect(chooser.value, 'the chooser is reset').to.equal('');
  });

  it('shows a drop zone while files are dragged over the view and sends what is dropped', async () => {
    const { view, calls } = await setup();
    const file = new File(['x'.repeat(20)], 'dropped.pdf', { type: 'application/pdf' });
    const dt = filesTransfer(file);
    const log = part(view, '[part=log]')!;
    log.dispatchEvent(new DragEvent('dragenter', { bubbles: true, composed: true, cancelable: true, dataTransfer: dt }));
    const zone = await eventually(() => part(view, '[part=drop-zone]'), 'drop zone');
    expect(zone.getBoundingClientRect().height).to.be.greaterThan(50);
    log.dispatchEvent(new DragEvent('drop', { bubbles: true, composed: true, cancelable: true, dataTransfer: dt }));
    await eventually(() => calls.sendFile!.length === 1, 'sendFile called');
    expect((calls.sendFile![0]![1] as File).name).to.equal('dropped.pdf');
    await eventually(() => part(view, '[part=drop-zone]') === null, 'drop zone gone');
  });

  it('sends a pasted image and keeps pasted text as text', async () => {
    const { view, calls } = await setup();
    const image = new File([new Uint8Array([137, 80, 78, 71])], 'image.png', { type: 'image/png' });
    const paste = new ClipboardEvent('paste', { bubbles: true, composed: true, cancelable: true, clipboardData: filesTransfer(image) });
    input(view).dispatchEvent(paste);
    expect(paste.defaultPrevented).to.equal(true);
    await eventually(() => calls.sendFile!.length === 1, 'sendFile called');
    expect((calls.sendFile![0]![1] as File).type).to.equal('image/png');
    const textOnly = new DataTransfer();
    textOnly.setData('text/plain', 'just words');
    const textPaste = new ClipboardEvent('paste', { bubbles: true, composed: true, cancelable: true, clipboardData: textOnly });
    input(view).dispatchEvent(textPaste);
    expect(textPaste.defaultPrevented).to.equal(false);
    expect(calls.sendFile!.length).to.equal(1);
  });

  it('says a file is too large, with the limit in human units, and fires ck-error', async () => {
    const { view, calls, results, errors } = await setup();
    results.sendFile = () => Promise.reject(new ChatKitError('too-large', 'too large'));
    results.uploadLimit = () => 10 * 1024 * 1024;
    const chooser = part<HTMLInputElement>(view, 'input[type=file]')!;
    chooser.files = filesTransfer(new File(['big'], 'movie.mp4', { type: 'video/mp4' })).files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    const alert = await eventually(() => part(view, '[part=composer-error][role=alert]'), 'inline refusal');
    expect(text(alert)).to.contain('“movie.mp4” is too large: files can be at most 10 MB.');
    expect(calls.uploadLimit!.length).to.equal(1);
    expect(errors.map((e) => (e as ChatKitError).code)).to.deep.equal(['too-large']);
    alert.querySelector('button')!.click();
    await eventually(() => part(view, '[part=composer-error]') === null, 'dismissed');
  });

  it('explains a server without uploads and a vetoed file', async () => {
    const { view, results, errors } = await setup();
    const chooser = part<HTMLInputElement>(view, 'input[type=file]')!;
    results.sendFile = () => Promise.reject(new ChatKitError('unsupported', 'no upload service'));
    chooser.files = filesTransfer(new File(['a'], 'a.txt')).files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    await eventually(() => text(part(view, '[part=composer-error]')).includes('This server does not accept files.'), 'unsupported');
    results.sendFile = () => Promise.reject(new ChatKitError('send-vetoed', 'no'));
    chooser.files = filesTransfer(new File(['b'], 'b.txt')).files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    await eventually(() => text(part(view, '[part=composer-error]')).includes('“b.txt” was not sent: it was refused.'), 'vetoed');
    expect(errors.length).to.equal(2);
  });
});

describe('<ck-chat-view> message menu', () => {
  it('replies: a reply bar with author and excerpt, Escape closes it, sending passes replyTo', async () => {
    const { view, calls } = await setup();
    let menu = await openMenu(view, 'p1');
    menuItem(menu, 'reply')!.click();
    const bar = await eventually(() => part(view, '[part=reply-bar]'), 'reply bar');
    expect(text(bar)).to.contain('Replying to Bob');
    expect(text(bar)).to.contain('Lunch at noon?');
    await eventually(() => view.shadowRoot!.activeElement === input(view), 'input focused');
    await sendKeys({ press: 'Escape' });
    await eventually(() => part(view, '[part=reply-bar]') === null, 'Escape closed the bar');
    menu = await openMenu(view, 'p1');
    menuItem(menu, 'reply')!.click();
    await eventually(() => part(view, '[part=reply-bar]'), 'reply bar again');
    input(view).focus();
    await sendKeys({ type: 'Yes, noon works' });
    await sendKeys({ press: 'Enter' });
    await eventually(() => calls.send!.length === 1, 'sent');
    expect(calls.send![0]).to.deep.equal([PEER, 'Yes, noon works', { replyTo: 'p1' }]);
    await eventually(() => part(view, '[part=reply-bar]') === null, 'bar closed after sending');
  });

  it('edits an own message from the menu: the text goes to the composer, Enter saves through kit.edit, the draft comes back', async () => {
    const { view, calls } = await setup();
    typeInto(view, 'half-written draft');
    const menu = await openMenu(view, 'o1');
    expect(menuItem(menu, 'edit'), 'edit offered on own text').to.not.equal(null);
    menuItem(menu, 'edit')!.click();
    const bar = await eventually(() => part(view, '[part=edit-bar]'), 'edit bar');
    expect(text(bar)).to.contain('Editing message');
    expect(input(view).value).to.equal('My first message');
    expect(part(view, '[part=send-button]')!.getAttribute('aria-label')).to.equal('Save');
    await eventually(() => view.shadowRoot!.activeElement === input(view), 'input focused');
    await sendKeys({ type: ' (fixed)' });
    await sendKeys({ press: 'Enter' });
    await eventually(() => calls.edit!.length === 1, 'edit called');
    expect(calls.edit![0]).to.deep.equal(['o1', 'My first message (fixed)']);
    expect(calls.send!.length).to.equal(0);
    await eventually(() => part(view, '[part=edit-bar]') === null, 'edit mode over');
    expect(input(view).value).to.equal('half-written draft');
  });

  it('offers no edit for peer messages and Escape cancels an edit without saving', async () => {
    const { view, calls } = await setup();
    const menu = await openMenu(view, 'p1');
    expect(menuItem(menu, 'edit')).to.equal(null);
    expect(menuItem(menu, 'recall')).to.equal(null);
    await sendKeys({ press: 'Escape' });
    await eventually(() => part(view, '[part=message-menu]') === null, 'menu closed');
    input(view).focus();
    await sendKeys({ press: 'ArrowUp' });
    await eventually(() => part(view, '[part=edit-bar]'), 'edit mode');
    await sendKeys({ press: 'Escape' });
    await eventually(() => part(view, '[part=edit-bar]') === null, 'cancelled');
    expect(input(view).value).to.equal('');
    expect(calls.edit!.length).to.equal(0);
  });

  it('ArrowUp in an empty composer edits the last own message', async () => {
    const { view, calls } = await setup();
    input(view).focus();
    await sendKeys({ press: 'ArrowUp' });
    await eventually(() => input(view).value === 'My last message', 'last own message in the composer');
    expect(part(view, '[part=edit-bar]')).to.not.equal(null);
    input(view).select();
    await sendKeys({ type: 'Corrected' });
    await sendKeys({ press: 'Enter' });
    await eventually(() => calls.edit!.length === 1, 'edit called');
    expect(calls.edit![0]).to.deep.equal(['o2', 'Corrected']);
  });

  it('recalls an own message after a confirm step', async () => {
    const { view, calls } = await setup();
    const menu = await openMenu(view, 'o2');
    menuItem(menu, 'recall')!.click();
    const confirm = await eventually(() => menuItem(part(view, '[part=message-menu]')!, 'recall-confirm'), 'confirm item');
    expect(calls.recall!.length, 'nothing recalled before confirming').to.equal(0);
    await eventually(() => view.shadowRoot!.activeElement === confirm, 'confirm focused');
    confirm.click();
    await eventually(() => calls.recall!.length === 1, 'recall called');
    expect(calls.recall![0]).to.deep.equal(['o2']);
    expect(part(view, '[part=message-menu]')).to.equal(null);
  });

  it('reacts from the quick reactions, marks the viewer’s own, and uses the kit’s reaction list', async () => {
    const { view, calls, kit, me } = await setup();
    await kit.db!.messages.update('p1', { reactions: { '😂': [me] } });
    let menu = await openMenu(view, 'p1');
    const quick = [...menu.querySelectorAll<HTMLButtonElement>('[role=menuitemcheckbox]')];
    expect(quick.map((b) => b.textContent!.trim())).to.deep.equal(['👍', '❤️', '😂', '😮', '😢', '🙏']);
    await eventually(() => menu.querySelector('[data-emoji="😂"]')?.getAttribute('aria-checked') === 'true', 'own reaction marked');
    expect(quick[0]!.getAttribute('aria-label')).to.equal('React with 👍');
    quick[0]!.click();
    await eventually(() => calls.react!.length === 1, 'react called');
    expect(calls.react![0]).to.deep.equal(['p1', '👍']);

    const custom = await setup({ reactions: ['🎉', '👀'] });
    menu = await openMenu(custom.view, 'p1');
    expect([...menu.querySelectorAll('[role=menuitemcheckbox]')].map((b) => b.textContent!.trim())).to.deep.equal(['🎉', '👀']);
  });

  it('keyboard: arrows move through every item, reactions included; Escape closes', async () => {
    const { view } = await setup({ messageActions: () => [{ id: 'star', label: 'Star', run: () => undefined }] });
    const menu = await openMenu(view, 'o1');
    const items = [...menu.querySelectorAll<HTMLElement>('[role^=menuitem]')];
    expect(items.map((i) => i.dataset.action ?? i.dataset.emoji)).to.deep.equal(['👍', '❤️', '😂', '😮', '😢', '🙏', 'reply', 'edit', 'copy', 'recall', 'delete', 'star']);
    await eventually(() => view.shadowRoot!.activeElement === items[0], 'first item focused');
    for (let i = 1; i < items.length; i++) {
      await sendKeys({ press: 'ArrowDown' });
      expect(view.shadowRoot!.activeElement).to.equal(items[i]);
    }
    await sendKeys({ press: 'ArrowDown' });
    expect(view.shadowRoot!.activeElement, 'wraps around').to.equal(items[0]);
    await sendKeys({ press: 'ArrowUp' });
    expect(view.shadowRoot!.activeElement).to.equal(items[items.length - 1]);
    await sendKeys({ press: 'Escape' });
    await eventually(() => part(view, '[part=message-menu]') === null, 'closed');
  });

  it('runs an integrator’s item with the message, and reports a failing one as ck-error', async () => {
    const ran: string[] = [];
    const { view, errors } = await setup({
      messageActions: () => [
        { id: 'forward', label: 'Forward <b>now</b>', run: (msg) => void ran.push(msg.id) },
        { id: 'broken', label: 'Broken', run: () => Promise.reject(new Error('integrator failed')) },
      ],
    });
    let menu = await openMenu(view, 'p1');
    const forward = menuItem(menu, 'forward')!;
    expect(forward.textContent!.trim(), 'label as text').to.equal('Forward <b>now</b>');
    expect(forward.querySelector('b')).to.equal(null);
    forward.click();
    await eventually(() => ran.length === 1, 'run called');
    expect(ran).to.deep.equal(['p1']);
    menu = await openMenu(view, 'p1');
    menuItem(menu, 'broken')!.click();
    await eventually(() => errors.some((e) => e.message === 'integrator failed'), 'ck-error');
  });
});

describe('<ck-chat-view> typing', () => {
  it('reports typing while there is text, and stops on clearing, sending, blur and leaving', async () => {
    const { view, calls } = await setup();
    typeInto(view, 'h');
    typeInto(view, 'hi');
    expect(calls.setTyping!.filter((c) => c[1] === true).length).to.be.greaterThan(0);
    expect(calls.setTyping!.at(-1)).to.deep.equal([PEER, true]);
    typeInto(view, '');
    expect(calls.setTyping!.at(-1)).to.deep.equal([PEER, false]);
    input(view).focus();
    await sendKeys({ type: 'hello' });
    expect(calls.setTyping!.at(-1)).to.deep.equal([PEER, true]);
    await sendKeys({ press: 'Enter' });
    await eventually(() => calls.send!.length === 1, 'sent');
    expect(calls.setTyping!.at(-1)).to.deep.equal([PEER, false]);
    await sendKeys({ type: 'more' });
    input(view).blur();
    expect(calls.setTyping!.at(-1)).to.deep.equal([PEER, false]);
    input(view).focus();
    await sendKeys({ type: '!' });
    expect(calls.setTyping!.at(-1)).to.deep.equal([PEER, true]);
    view.conversation = 'carol@example.com';
    await view.updateComplete;
    expect(calls.setTyping!.at(-1)).to.deep.equal([PEER, false]);
  });

  it('shows who is typing from the store, and drops a stale notice without a store change', async () => {
    const { view, kit, me } = await setup();
    const line = part(view, '[part=typing]')!;
    expect(line.getAttribute('aria-live')).to.equal('polite');
    expect(text(line)).to.equal('');
    const now = Date.now();
    await kit.db!.typing.bulkPut([
      { key: `${PEER} bob`, conversationId: PEER, userId: 'bob', at: now },
      { key: `${PEER} ${me}`, conversationId: PEER, userId: me, at: now },
      { key: 'other@example.com carol', conversationId: 'other@example.com', userId: 'carol', at: now },
    ]);
    await eventually(() => text(part(view, '[part=typing]')) === 'Bob is typing…', 'Bob is typing');
    await kit.db!.typing.put({ key: `${PEER} carol`, conversationId: PEER, userId: 'carol', at: now + 1 });
    await eventually(() => text(part(view, '[part=typing]')) === 'Bob and Carol are typing…', 'two typing');
    await kit.db!.typing.put({ key: `${PEER} dave`, conversationId: PEER, userId: 'dave', at: now + 2 });
    await eventually(() => text(part(view, '[part=typing]')) === 'Several people are typing…', 'several typing');
    // Notices 29.4 s old: stale in 0.6 s, with no store change to trigger a render.
    await kit.db!.typing.clear();
    await kit.db!.typing.put({ key: `${PEER} bob`, conversationId: PEER, userId: 'bob', at: Date.now() - 29_400 });
    await eventually(() => text(part(view, '[part=typing]')) === 'Bob is typing…', 'nearly stale notice shown');
    await eventually(() => text(part(view, '[part=typing]')) === '', 'stale notice gone', 3000);
  });
});

describe('<ck-chat-view> jump to the original', () => {
  it('loads the window around an original far outside the rendered rows, scrolls it into view and highlights it', async () => {
    const history = (me: string): IncomingMessage[] => [
      ...Array.from({ length: 400 }, (_, i): IncomingMessage => ({ id: `m${i}`, conversationId: PEER, from: 'bob', own: false, body: `message ${i}`, ts: BASE + i * 60_000, state: 'received' })),
      { id: 'r1', conversationId: PEER, from: me, own: true, body: 'about that', ts: BASE + 400 * 60_000, state: 'sent', reply: { ref: 'm5', id: 'm5', to: 'bob', excerpt: 'message 5' } },
    ];
    const { view } = await setup({}, history);
    await eventually(() => row(view, 'r1'), 'reply rendered');
    expect(row(view, 'm5'), 'original not rendered at first').to.equal(null);
    const quote = await eventually(() => row(view, 'r1')!.querySelector<HTMLElement>('[part=reply-quote]'), 'reply quote');
    quote.click();
    const target = await eventually(() => row(view, 'm5'), 'original rendered');
    const log = part(view, '[part=log]')!;
    await eventually(() => {
      const r = target.getBoundingClientRect();
      const box = log.getBoundingClientRect();
      return r.top >= box.top && r.bottom <= box.bottom;
    }, 'original scrolled into view');
    expect(target.classList.contains('highlight')).to.equal(true);
    expect(target.getAttribute('aria-current')).to.equal('true');
    expect(parts(view, '[part~=message]').length).to.be.at.most(160);
    await eventually(() => !row(view, 'm5')?.classList.contains('highlight'), 'highlight ends', 4000);
    // Back to the latest, then the public method does the same by local id.
    part<HTMLButtonElement>(view, '[part=jump-button]')!.click();
    await eventually(() => row(view, 'r1') && !row(view, 'm5'), 'back at the latest');
    expect(await view.showMessage('m120')).to.equal(true);
    await eventually(() => row(view, 'm120')?.classList.contains('highlight'), 'm120 highlighted');
  });

  it('says so when the original is not in the store', async () => {
    const history = (me: string): IncomingMessage[] => [
      { id: 'r1', conversationId: PEER, from: me, own: true, body: 'about that', ts: BASE, state: 'sent', reply: { ref: 'gone', to: 'bob', excerpt: 'old' } },
    ];
    const { view } = await setup({}, history);
    const quote = await eventually(() => row(view, 'r1')?.querySelector<HTMLElement>('[part=reply-quote]'), 'reply quote');
    quote.click();
    const notice = await eventually(() => part(view, '[part=notice]'), 'notice');
    expect(text(notice)).to.equal('Original message not available');
    expect(notice.getAttribute('role')).to.equal('status');
  });
});

describe('<ck-chat-view> image viewer', () => {
  it('opens an image full view (dialog, alt, download link); Escape closes and focus returns to the thumbnail', async () => {
    // Images load from http(s) only: one of the repository's screenshots, served by the test server.
    const src = new URL('/docs/screenshots/phone-light.png', location.href).href;
    const history = (): IncomingMessage[] => [
      {
        id: 'img',
        conversationId: PEER,
        from: 'bob',
        own: false,
        body: src,
        ts: BASE,
        state: 'received',
        attachment: { url: src, name: 'holiday <photo>.png', size: 68_000, mime: 'image/png', width: 360, height: 740 },
      },
    ];
    const { view } = await setup({}, history);
    const thumb = await eventually(() => row(view, 'img')?.querySelector<HTMLButtonElement>('[part=image]'), 'thumbnail');
    thumb.focus();
    thumb.click();
    const viewer = await eventually(() => part(view, '[part=image-viewer]'), 'viewer');
    expect(viewer.getAttribute('role')).to.equal('dialog');
    expect(viewer.getAttribute('aria-modal')).to.equal('true');
    expect(viewer.querySelector('img')!.getAttribute('alt')).to.equal('holiday <photo>.png');
    const download = viewer.querySelector<HTMLAnchorElement>('[part=image-download]')!;
    expect(download.href).to.equal(src);
    expect(download.rel).to.equal('noopener noreferrer');
    await eventually(() => view.shadowRoot!.activeElement?.getAttribute('part') === 'image-close', 'close button focused');
    await sendKeys({ press: 'Escape' });
    await eventually(() => part(view, '[part=image-viewer]') === null, 'closed');
    await eventually(() => view.shadowRoot!.activeElement === row(view, 'img')?.querySelector('[part=image]'), 'focus back on the thumbnail');
    row(view, 'img')!.querySelector<HTMLButtonElement>('[part=image]')!.click();
    const again = await eventually(() => part(view, '[part=image-viewer]'), 'viewer again');
    again.querySelector('img')!.dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    await eventually(() => part(view, '[part=image-viewer]') === null, 'a click closes it');
  });
});

describe('<ck-chat-view> voice messages', () => {
  it('records with the microphone (click to start, click to send) and sends a voice file', async function () {
    this.timeout(15_000);
    const { view, calls } = await setup();
    const mic = await eventually(() => part<HTMLButtonElement>(view, '[part=voice-button]'), 'mic button');
    expect(mic.getAttribute('aria-pressed')).to.equal('false');
    mic.click();
    await eventually(() => part(view, '[part=recording]'), 'recording indicator');
    expect(part(view, '[part=voice-button]')!.getAttribute('aria-pressed')).to.equal('true');
    // The elapsed time counts from when the microphone started.
    await eventually(() => /Recording 0:0[1-2]/.test(text(part(view, '[part=recording]'))), 'a second recorded', 5000);
    part<HTMLButtonElement>(view, '[part=voice-button]')!.click();
    await eventually(() => calls.sendFile!.length === 1, 'voice message sent');
    const [id, blob, options] = calls.sendFile![0] as [string, Blob, { voice: boolean; duration: number; name: string }];
    expect(id).to.equal(PEER);
    expect(blob.size).to.be.greaterThan(0);
    expect(blob.type).to.match(/^audio\//);
    expect(options.voice).to.equal(true);
    expect(options.duration).to.be.greaterThan(500);
    expect(options.name).to.match(/^voice-\d{8}-\d{6}\.webm$/);
    expect(part(view, '[part=recording]')).to.equal(null);
  });

  it('a cancelled recording sends nothing', async () => {
    const { view, calls } = await setup();
    part<HTMLButtonElement>(view, '[part=voice-button]')!.click();
    const cancel = await eventually(() => part<HTMLButtonElement>(view, '[part=voice-cancel]'), 'cancel button');
    await new Promise((r) => setTimeout(r, 600));
    cancel.click();
    await eventually(() => part(view, '[part=recording]') === null, 'recording over');
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.sendFile!.length).to.equal(0);
    expect(part(view, '[part=input]')!.hidden).to.equal(false);
  });
});

describe('<ck-chat-view> voice messages: press and hold', () => {
  const press = (el: Element, type: string) =>
    el.dispatchEvent(new PointerEvent(type, { pointerType: 'touch', pointerId: 3, button: 0, bubbles: true, composed: true, cancelable: true }));

  it('records while the mic button is held and sends on release', async function () {
    this.timeout(15_000);
    const { view, calls } = await setup();
    const mic = part<HTMLButtonElement>(view, '[part=voice-button]')!;
    press(mic, 'pointerdown');
    await eventually(() => /Recording 0:01/.test(text(part(view, '[part=recording]'))), 'a second recorded', 5000);
    expect(text(part(view, '[part=recording]'))).to.contain('Release to send');
    press(part(view, '[part=voice-button]')!, 'pointerup');
    // The click that ends a press is part of it: it must not start another recording.
    part<HTMLButtonElement>(view, '[part=voice-button]')!.click();
    await eventually(() => calls.sendFile!.length === 1, 'sent on release');
    const options = calls.sendFile![0]![2] as { voice: boolean; duration: number };
    expect(options.voice).to.equal(true);
    expect(options.duration).to.be.greaterThan(900);
    expect(part(view, '[part=recording]')).to.equal(null);
  });

  it('sliding off the held button cancels the recording', async () => {
    const { view, calls } = await setup();
    const mic = part<HTMLButtonElement>(view, '[part=voice-button]')!;
    press(mic, 'pointerdown');
    await eventually(() => part(view, '[part=recording]'), 'recording');
    await new Promise((r) => setTimeout(r, 700));
    press(part(view, '[part=voice-button]')!, 'pointerleave');
    await eventually(() => part(view, '[part=recording]') === null, 'cancelled');
    await new Promise((r) => setTimeout(r, 300));
    expect(calls.sendFile!.length).to.equal(0);
  });

  it('says so clearly when the microphone is refused', async () => {
    const { view, calls, errors } = await setup();
    const devices = navigator.mediaDevices;
    const original = devices.getUserMedia;
    devices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      part<HTMLButtonElement>(view, '[part=voice-button]')!.click();
      const alert = await eventually(() => part(view, '[part=composer-error][role=alert]'), 'refusal shown');
      expect(text(alert)).to.contain('Microphone access was denied.');
      expect(part(view, '[part=recording]')).to.equal(null);
      expect(calls.sendFile!.length).to.equal(0);
      expect(errors.map((e) => e.name)).to.deep.equal(['NotAllowedError']);
    } finally {
      devices.getUserMedia = original;
    }
  });
});

describe('<ck-chat-view> location', () => {
  function stubPosition(fn: (ok: PositionCallback, fail: PositionErrorCallback) => void): () => void {
    const geo = navigator.geolocation;
    const original = geo.getCurrentPosition;
    geo.getCurrentPosition = (ok, fail) => fn(ok, fail!);
    return () => (geo.getCurrentPosition = original);
  }

  it('shares the device position (answering the reply being written)', async () => {
    const { view, calls } = await setup();
    const restore = stubPosition((ok) => ok({ coords: { latitude: 48.8584, longitude: 2.2945, accuracy: 35.4 } } as GeolocationPosition));
    try {
      const menu = await openMenu(view, 'p1');
      menuItem(menu, 'reply')!.click();
      await eventually(() => part(view, '[part=reply-bar]'), 'reply bar');
      part<HTMLButtonElement>(view, '[part=location-button]')!.click();
      await eventually(() => calls.sendLocation!.length === 1, 'sendLocation called');
      expect(calls.sendLocation![0]).to.deep.equal([PEER, { lat: 48.8584, lon: 2.2945, accuracy: 35 }, { replyTo: 'p1' }]);
      await eventually(() => part(view, '[part=reply-bar]') === null, 'reply used');
    } finally {
      restore();
    }
  });

  it('explains a refused location', async () => {
    const { view, calls } = await setup();
    const restore = stubPosition((_ok, fail) => fail({ code: 1, message: 'User denied Geolocation' } as GeolocationPositionError));
    try {
      part<HTMLButtonElement>(view, '[part=location-button]')!.click();
      const alert = await eventually(() => part(view, '[part=composer-error][role=alert]'), 'refusal shown');
      expect(text(alert)).to.contain('Location access was denied.');
      expect(calls.sendLocation!.length).to.equal(0);
    } finally {
      restore();
    }
  });
});

describe('<ck-chat-view> custom message types', () => {
  it('adds a composer button per type with a composer; its data is sent with sendCustom', async () => {
    const { view, kit, calls } = await setup();
    kit.messageTypes.register<string>({
      type: 'card',
      parse: () => undefined,
      serialize: (data) => ({ name: 'card', xmlns: 'urn:example:card', attrs: {}, text: data, children: [] }),
      render: (data) => html`<b>${data}</b>`,
      preview: (data) => `Card ${data}`,
      fallback: (data) => `Card ${data}`,
      composer: { label: 'Share a card', create: ({ conversationId }) => `for ${conversationId}` },
    });
    view.requestUpdate();
    const button = await eventually(() => part<HTMLButtonElement>(view, '[part=custom-button][data-type=card]'), 'custom button');
    expect(button.getAttribute('aria-label')).to.equal('Share a card');
    button.click();
    await eventually(() => calls.sendCustom!.length === 1, 'sendCustom called');
    expect(calls.sendCustom![0]).to.deep.equal([PEER, 'card', `for ${PEER}`, {}]);
  });
});

describe('<ck-chat-view> rich composer accessibility (axe)', () => {
  it('the open menu, the reply bar with a refusal, the typing line and the image viewer have no violations', async function () {
    this.timeout(30_000);
    const src = new URL('/docs/screenshots/phone-light.png', location.href).href;
    const { view, kit, results } = await setup({ messageActions: () => [{ id: 'star', label: 'Star', run: () => undefined }] }, (me) => [
      ...defaultHistory(me),
      { id: 'img', conversationId: PEER, from: 'bob', own: false, body: src, ts: BASE + 3000, state: 'received', attachment: { url: src, name: 'phone.png', size: 1000, mime: 'image/png', width: 360, height: 740 } },
    ]);
    await kit.db!.typing.put({ key: `${PEER} bob`, conversationId: PEER, userId: 'bob', at: Date.now() });
    await eventually(() => text(part(view, '[part=typing]')) === 'Bob is typing…', 'typing line');
    await openMenu(view, 'o1');
    await expect(view).to.be.accessible();
    menuItem(part(view, '[part=message-menu]')!, 'reply')!.click();
    await eventually(() => part(view, '[part=reply-bar]'), 'reply bar');
    results.sendFile = () => Promise.reject(new ChatKitError('unsupported', 'no upload service'));
    const chooser = part<HTMLInputElement>(view, 'input[type=file]')!;
    chooser.files = filesTransfer(new File(['a'], 'a.txt')).files;
    chooser.dispatchEvent(new Event('change', { bubbles: true }));
    await eventually(() => part(view, '[part=composer-error]'), 'refusal');
    await expect(view).to.be.accessible();
    (await eventually(() => row(view, 'img')?.querySelector<HTMLButtonElement>('[part=image]'), 'thumbnail')).click();
    await eventually(() => part(view, '[part=image-viewer]'), 'viewer');
    await expect(view).to.be.accessible();
  });
});
