// Every element in every state the stories show, rendered from seeded memory stores (no
// network). Shared by the axe checks and the zh-CN text scan.
import { fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../src/index.js';
import { CkStatusEvent, type ChatKit, type CkChat, type CkContactPicker, type ConnectionStatus } from '../../src/index.js';
import { replaceRoomMembers, updateMember } from '../../src/store/members.js';
import { conversationOf, DOMAIN, person, seededKit, until, type SeedOptions } from '../../stories/fixtures.js';

export type Theme = 'light' | 'dark';

export interface State {
  /** "element: state", for test names. */
  name: string;
  /** Renders the state and resolves with the root element once its content is painted. */
  render(theme: Theme, locale: string): Promise<HTMLElement>;
}

const ROOM = `team@conference.${DOMAIN}`;

/** Pretends the kit is in `status` (the banner reads `kit.status`): no server needed. */
export function fakeStatus(kit: ChatKit, status: ConnectionStatus): void {
  Object.defineProperty(kit, 'status', { configurable: true, get: () => status });
  kit.dispatchEvent(new CkStatusEvent(status));
}

const shadow = (el: Element | null | undefined, selector: string): Element | null => el?.shadowRoot?.querySelector(selector) ?? null;

async function mount(template: TemplateResult, ready: (el: HTMLElement) => unknown): Promise<HTMLElement> {
  const el = await fixture<HTMLElement>(template);
  await until(() => ready(el));
  // A frame more: live queries settle and the virtual lists measure.
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return el;
}

const seed = (locale: string, options: SeedOptions = {}) => seededKit({ locale, ...options });
const box = 'display:grid;width:900px;height:600px';

async function groupKit(locale: string, standing: 'owner' | 'member'): Promise<ChatKit> {
  const kit = await seededKit({ locale, conversations: 0 });
  const self = kit.clientId!;
  const others = Array.from({ length: 5 }, (_, i) => person(i));
  await replaceRoomMembers(kit.db!, ROOM, [
    { userId: self, jid: `${self}@${DOMAIN}`, affiliation: standing },
    ...others.map((p, i) => ({
      userId: p.id,
      jid: `${p.id}@${DOMAIN}`,
      affiliation: i === 0 && standing === 'member' ? ('owner' as const) : i === 1 ? ('admin' as const) : ('member' as const),
    })),
  ]);
  const first = others[0]!;
  await updateMember(kit.db!, ROOM, { userId: first.id, jid: `${first.id}@${DOMAIN}`, affiliation: standing === 'member' ? 'owner' : 'member', online: true, role: 'participant' });
  return kit;
}

function listStates(): State[] {
  const state = (name: string, options: SeedOptions, selected: string | null, ready: (el: HTMLElement) => unknown): State => ({
    name: `ck-conversation-list: ${name}`,
    async render(theme, locale) {
      const kit = await seed(locale, options);
      return mount(html`<ck-conversation-list style="display:block;height:560px" theme=${theme} .kit=${kit} .selected=${selected}></ck-conversation-list>`, ready);
    },
  });
  return [
    state('empty', { conversations: 0, contacts: 0 }, null, (el) => shadow(el, '.empty')),
    state('populated', {}, null, (el) => shadow(el, '[part~=item]')),
    state('selected', {}, conversationOf(1), (el) => shadow(el, '[aria-selected=true]')),
  ];
}

function viewStates(): State[] {
  const state = (name: string, options: SeedOptions, conversation: string | null, ready: (el: HTMLElement) => unknown, status?: ConnectionStatus): State => ({
    name: `ck-chat-view: ${name}`,
    async render(theme, locale) {
      const kit = await seed(locale, options);
      if (status) fakeStatus(kit, status);
      return mount(html`<ck-chat-view style="display:flex;flex-direction:column;height:600px" theme=${theme} .kit=${kit} .conversation=${conversation}></ck-chat-view>`, ready);
    },
  });
  const withMessages = (el: HTMLElement) => shadow(el, '[part~=bubble]');
  return [
    state('empty', {}, null, (el) => shadow(el, '.empty')),
    state('no messages', { conversations: 0 }, conversationOf(0), (el) => shadow(el, '.log .empty')),
    state('populated', { messagesPer: 24 }, conversationOf(0), withMessages),
    state('delivery states', { conversations: 1, messagesPer: 8 }, conversationOf(0), (el) => shadow(el, '.failure')),
    state('group unread', {}, conversationOf(5), withMessages),
    state('connecting', { conversations: 1 }, conversationOf(0), (el) => shadow(el, '[part=banner]'), 'connecting'),
    state('reconnecting', { conversations: 1 }, conversationOf(0), (el) => shadow(el, '[part=banner] button'), 'reconnecting'),
    state('conflict', { conversations: 1 }, conversationOf(0), (el) => shadow(el, '[part=banner]'), 'conflict'),
  ];
}

function pickerStates(): State[] {
  const state = (name: string, options: SeedOptions, mode: 'single' | 'multiple', exclude: string, ready: (el: HTMLElement) => unknown, play?: (el: CkContactPicker) => Promise<void>): State => ({
    name: `ck-contact-picker: ${name}`,
    async render(theme, locale) {
      const kit = await seed(locale, options);
      const el = await mount(
        html`<ck-contact-picker style="display:flex;flex-direction:column;height:560px" theme=${theme} .kit=${kit} mode=${mode} exclude=${exclude}></ck-contact-picker>`,
        ready,
      );
      await play?.(el as CkContactPicker);
      return el;
    },
  });
  return [
    state('empty', { conversations: 0, contacts: 0 }, 'single', '', (el) => shadow(el, '.empty')),
    state('populated', {}, 'single', '', (el) => shadow(el, '[part~=item]')),
    state('multiple with exclude', {}, 'multiple', `${person(0).id} ${person(1).id}`, (el) => shadow(el, '[part~=item]'), async (el) => {
      const rows = el.shadowRoot!.querySelectorAll<HTMLElement>('[part~=item]');
      rows[0]?.click();
      rows[3]?.click();
      await until(() => el.shadowRoot!.querySelectorAll('[part~=chip]').length === 2);
    }),
  ];
}

function memberStates(): State[] {
  return (['member', 'owner'] as const).map((standing) => ({
    name: `ck-members: as ${standing}`,
    async render(theme, locale) {
      const kit = await groupKit(locale, standing);
      return mount(html`<ck-members theme=${theme} .kit=${kit} conversation=${ROOM}></ck-members>`, (el) => shadow(el, '[part~=item]'));
    },
  }));
}

function chatStates(): State[] {
  const state = (name: string, options: SeedOptions, conversation: string | null, style: string, ready: (el: CkChat) => unknown, play?: (el: CkChat) => Promise<void>): State => ({
    name: `ck-chat: ${name}`,
    async render(theme, locale) {
      const kit = await seed(locale, options);
      const el = await mount(html`<ck-chat style=${style} theme=${theme} .kit=${kit} .conversation=${conversation}></ck-chat>`, (e) => ready(e as CkChat));
      await play?.(el as CkChat);
      return el;
    },
  });
  const list = (el: CkChat) => shadow(el, 'ck-conversation-list');
  return [
    state('empty', { conversations: 0, contacts: 0 }, null, box, (el) => shadow(list(el), '.empty')),
    state('populated', { messagesPer: 16 }, null, box, (el) => shadow(list(el), '[part~=item]')),
    state('conversation open', { messagesPer: 16 }, conversationOf(0), box, (el) => shadow(shadow(el, 'ck-chat-view'), '[part~=bubble]')),
    state('new chat', {}, null, box, (el) => shadow(list(el), '[part~=item]'), async (el) => {
      el.openPicker();
      await until(() => shadow(shadow(el, 'ck-contact-picker'), '[part~=item]'));
    }),
    state('narrow', {}, conversationOf(1), 'display:grid;width:380px;height:600px', (el) => el.narrow && shadow(shadow(el, 'ck-chat-view'), '[part~=bubble]')),
  ];
}

/** All of them, in story order. */
export function allStates(): State[] {
  return [...listStates(), ...viewStates(), ...pickerStates(), ...memberStates(), ...chatStates()];
}
