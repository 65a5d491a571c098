import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { action } from 'storybook/actions';
import '../src/index.js';
import type { ChatKit } from '../src/index.js';
import { themeOf } from './fixtures.js';
import { RICH_PEER, richKit, richMessages } from './rich-fixtures.js';

/** A real picture, bundled by Vite (an http(s) URL in dev and in the static build). */
const photo = new URL('../docs/screenshots/phone-light.png', import.meta.url).href;

interface Loaded {
  kit: ChatKit;
}

const meta: Meta = {
  title: 'Rich messages/Bubbles',
  component: 'ck-chat-view',
  parameters: { frame: { width: '480px', height: '900px' } },
  loaders: [async ({ globals }) => ({ kit: await richKit(richMessages(RICH_PEER, photo), String(globals.lang ?? 'en')) })],
  render: (_args, { loaded, globals }) => html`<ck-chat-view
    style="flex: 1; min-block-size: 0; border: 1px solid rgb(128 128 128 / 0.35); border-radius: 10px"
    theme=${themeOf(globals)}
    .kit=${(loaded as Loaded).kit}
    conversation=${RICH_PEER}
    @ck-error=${action('ck-error')}
  ></ck-chat-view>`,
};
export default meta;

type Story = StoryObj;

/**
 * One of each: image (box reserved from its declared size), file card, voice player, an
 * upload at 42 % with Cancel, location, a custom type (its fallback text until the app
 * registers it), an edited message, recalls (peer's and own), a reply and reactions.
 */
export const EveryKind: Story = {};

/** The same log with Chinese UI strings and number formats. */
export const ChineseLocale: Story = {
  globals: { lang: 'zh-CN' },
};

/** The conversation list: one conversation ending in each kind, with its preview line. */
export const ListPreviews: Story = {
  parameters: { frame: { width: '380px', height: '620px' } },
  loaders: [
    async ({ globals }) => {
      const kinds = ['image', 'file', 'voice', 'location', 'recalled-peer', 'custom', 'reactions'];
      const all = richMessages(RICH_PEER, photo);
      const records = kinds.map((id, i) => ({ ...all.find((m) => m.id === id)!, conversationId: `${id}@example.com`, ts: Date.now() - i * 600_000 }));
      return { kit: await richKit(records, String(globals.lang ?? 'en')) };
    },
  ],
  render: (_args, { loaded, globals }) => html`<ck-conversation-list
    style="flex: 1; min-block-size: 0; border: 1px solid rgb(128 128 128 / 0.35); border-radius: 10px"
    theme=${themeOf(globals)}
    .kit=${(loaded as Loaded).kit}
    @ck-select=${action('ck-select')}
  ></ck-conversation-list>`,
};
