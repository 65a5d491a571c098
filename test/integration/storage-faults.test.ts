// Storage faults: a full disk never loses a user's text, and a browser without usable
// IndexedDB still chats (in memory) and says so.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { ChatKitError, type CkChatView, type CkErrorEvent } from '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { createUsers } from '../support/server.js';
import { eventually, makeKit, openKit, part, useServer } from '../support/kit.js';

const server = useServer();

describe('storage faults', () => {
  it('quota exceeded while sending: send rejects clearly, the composer keeps the text, and it sends once space is back', async () => {
    const [alice, bob] = await createUsers(server, 2, 'quo');
    const kit = await openKit(server, alice!);
    const bobKit = await openKit(server, bob!);
    const errors: Error[] = [];
    kit.addEventListener('ck-error', (e) => errors.push(e.error));
    const table = kit.db!.messages;
    const add = table.add.bind(table);
    let full = true;
    // The seam: the outbox write. A full disk makes IndexedDB throw QuotaExceededError.
    table.add = ((...args: Parameters<typeof add>) => {
      if (full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return add(...args);
    }) as typeof table.add;

    let rejected: unknown;
    await kit.send(bob!.jid, 'first try').catch((e: unknown) => (rejected = e));
    expect(rejected).to.be.instanceOf(ChatKitError);
    expect((rejected as ChatKitError).code).to.equal('storage');
    expect(errors.map((e) => (e as ChatKitError).code)).to.deep.equal(['storage']);
    expect(await latestMessages(kit.db!, bob!.jid, 10)).to.deep.equal([]);

    // Through the composer: the text stays in the input and the view reports the error.
    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${kit} conversation=${bob!.jid}></ck-chat-view>`);
    const viewErrors: CkErrorEvent[] = [];
    view.addEventListener('ck-error', (e) => viewErrors.push(e as CkErrorEvent));
    const input = await eventually(() => part<HTMLTextAreaElement>(view, '[part=input]'), 'input');
    input.value = 'typed while full';
    input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    await view.updateComplete;
    part<HTMLButtonElement>(view, '[part=send-button]')!.click();
    await eventually(() => viewErrors.length === 1, 'view reports the error');
    await view.updateComplete;
    expect(part<HTMLTextAreaElement>(view, '[part=input]')!.value).to.equal('typed while full');

    // Space is freed: the same text sends, once.
    full = false;
    part<HTMLButtonElement>(view, '[part=send-button]')!.click();
    await eventually(async () => (await latestMessages(bobKit.db!, alice!.jid, 10)).map((m) => m.body).join() === 'typed while full', 'bob receives it');
    expect((await latestMessages(kit.db!, bob!.jid, 10)).map((m) => m.body)).to.deep.equal(['typed while full']);
  });

  it('IndexedDB unavailable: the kit falls back to memory storage, says so, and still chats', async () => {
    const [alice, bob] = await createUsers(server, 2, 'idb');
    const original = indexedDB.open;
    indexedDB.open = () => {
      throw new DOMException('IndexedDB is disabled here.', 'SecurityError');
    };
    try {
      const kit = makeKit(server, { storage: 'indexeddb' });
      const errors: Error[] = [];
      kit.addEventListener('ck-error', (e) => errors.push(e.error));
      await kit.open(alice!.username, { password: alice!.password });
      expect(kit.status).to.equal('online');
      expect(errors.map((e) => (e as ChatKitError).code)).to.deep.equal(['storage']);
      expect(kit.storage).to.equal('memory');
      indexedDB.open = original;
      // The view tells the user that nothing will survive a reload.
      const view = await fixture<HTMLElement>(html`<ck-chat-view .kit=${kit} conversation=${bob!.jid}></ck-chat-view>`);
      const notice = await eventually(() => view.shadowRoot?.querySelector<HTMLElement>('[part=banner][data-status=storage]'), 'storage notice');
      expect(notice.textContent).to.match(/kept only until this page closes/);
      const bobKit = await openKit(server, bob!);
      await kit.send(bob!.jid, 'from memory');
      await eventually(async () => (await latestMessages(bobKit.db!, alice!.jid, 10)).length === 1, 'bob receives it');
    } finally {
      indexedDB.open = original;
    }
  });
});
