import { expect, fixture, html } from '@open-wc/testing';
import type { CkChatView } from '../../src/index.js';
import { allStates, type Theme } from '../support/states.js';
import { conversationOf, seededKit, until } from '../../stories/fixtures.js';
import { ingestMessages } from '../../src/store/messages.js';

// axe-core (through chai-a11y-axe) on every element in every state the stories show, light
// and dark: 0 violations allowed. axe walks open shadow roots, so the inner elements of
// <ck-chat> are checked as well.
const themes: Theme[] = ['light', 'dark'];

describe('accessibility (axe)', () => {
  afterEach(() => document.documentElement.removeAttribute('theme'));

  for (const state of allStates()) {
    for (const theme of themes) {
      it(`${state.name} (${theme}) has no axe violations`, async () => {
        const el = await state.render(theme, 'en');
        await expect(el).to.be.accessible();
      });
    }
  }
});

describe('screen reader announcements', () => {
  it('a new message is announced once: it lands in the one polite log, in no other live region', async () => {
    const kit = await seededKit({ conversations: 1, messagesPer: 4, withFailed: false });
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;flex-direction:column;height:500px" .kit=${kit} .conversation=${conversationOf(0)}></ck-chat-view>`);
    const logs = await until(() => {
      const found = view.shadowRoot!.querySelectorAll('[role=log]');
      return found.length ? found : null;
    });
    expect(logs.length).to.equal(1);
    const log = logs[0]!;
    expect(log.getAttribute('aria-live')).to.equal('polite');
    expect(log.getAttribute('aria-label')).to.equal('Messages');
    await ingestMessages(kit.db!, [
      { id: 'new-1', conversationId: conversationOf(0), from: 'bob', own: false, body: 'Announce me once', ts: Date.now(), state: 'received', stanzaId: 'arc-new-1' },
    ]);
    const row = await until(() => view.shadowRoot!.querySelector('[data-id="new-1"]'));
    expect(log.contains(row)).to.equal(true);
    // Every live region the new row sits in: only the log.
    const regions: Element[] = [];
    for (let el: Element | null = row; el; el = el.parentElement) {
      if (el.hasAttribute('aria-live') || ['log', 'status', 'alert'].includes(el.getAttribute('role') ?? '')) regions.push(el);
    }
    expect(regions).to.deep.equal([log]);
    expect(row.querySelectorAll('[aria-live], [role=status], [role=alert]').length).to.equal(0);
  });
});
