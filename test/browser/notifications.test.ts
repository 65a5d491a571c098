import { expect } from '@open-wc/testing';
import { ingestMessages } from '../../src/store/messages.js';
import { conversationOf, seededKit, until } from '../../stories/fixtures.js';

let hidden = false;
function setHidden(value: boolean): void {
  hidden = value;
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('notifications: unread title badge', () => {
  let title: string;
  before(() => {
    // The test tab is visible: pretend to switch away from it and back.
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
  });
  after(() => {
    delete (document as { visibilityState?: unknown }).visibilityState;
  });
  beforeEach(() => {
    title = document.title = 'Support inbox';
    setHidden(false);
  });

  it('counts unread messages in the title while the tab is hidden and restores it when back', async () => {
    const kit = await seededKit({ conversations: 1, messagesPer: 2, withFailed: false });
    kit.enableNotifications();
    // Let the kit's unread total settle on the seeded store first.
    await new Promise((r) => setTimeout(r, 200));
    const base = kit.totalUnread;
    expect(document.title, 'visible tab').to.equal(title);

    setHidden(true);
    expect(document.title, 'hidden tab').to.equal(base > 0 ? `(${base}) ${title}` : title);
    await ingestMessages(kit.db!, [
      { id: 'n1', conversationId: conversationOf(0), from: 'bob', own: false, body: 'ping', ts: Date.now(), state: 'received', stanzaId: 'arc-n1' },
      { id: 'n2', conversationId: conversationOf(0), from: 'bob', own: false, body: 'ping again', ts: Date.now() + 1, state: 'received', stanzaId: 'arc-n2' },
    ]);
    await until(() => kit.totalUnread === base + 2);
    await until(() => document.title === `(${base + 2}) ${title}`);

    setHidden(false);
    expect(document.title).to.equal(title);
    kit.disableNotifications();
  });

  it('leaves the title alone when the tab is visible, or with title badges off', async () => {
    const kit = await seededKit({ conversations: 1, messagesPer: 2, withFailed: false });
    kit.enableNotifications({ title: false });
    setHidden(true);
    await ingestMessages(kit.db!, [
      { id: 'm1', conversationId: conversationOf(0), from: 'bob', own: false, body: 'hello', ts: Date.now(), state: 'received', stanzaId: 'arc-m1' },
    ]);
    await until(() => kit.totalUnread > 0);
    expect(document.title).to.equal(title);
    kit.disableNotifications();
  });
});
