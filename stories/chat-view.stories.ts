import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { action } from 'storybook/actions';
import '../src/index.js';
import { conversationOf, kitLoader, themeOf, type Loaded } from './fixtures.js';

interface Args {
  /** The conversation shown (a bare JID), or null for none. */
  conversation: string | null;
}

const meta: Meta<Args> = {
  title: 'Elements/ck-chat-view',
  component: 'ck-chat-view',
  args: { conversation: conversationOf(0) },
  argTypes: {
    conversation: { control: 'text', description: 'Id (bare JID) of the conversation shown' },
  },
  parameters: { frame: { width: '680px', height: '620px' } },
  loaders: [kitLoader({ messagesPer: 24 })],
  render: (args, { loaded, globals }) => html`<ck-chat-view
    style="flex: 1; min-block-size: 0; border: 1px solid rgb(128 128 128 / 0.35); border-radius: 10px"
    theme=${themeOf(globals)}
    .kit=${(loaded as Loaded).kit}
    .conversation=${args.conversation}
    @ck-error=${action('ck-error')}
    @ck-open-profile=${action('ck-open-profile')}
  ></ck-chat-view>`,
};
export default meta;

type Story = StoryObj<Args>;

/** No conversation set: the `empty` slot's default text. */
export const Empty: Story = {
  args: { conversation: null },
};

/** A contact with no messages yet: header from the roster, an invitation to say hello. */
export const NoMessages: Story = {
  loaders: [kitLoader({ conversations: 0 })],
};

/**
 * Several days of history with day separators, a long message, links and
 * XEP-0393 styling (*bold*, _italic_), and own messages in every delivery state.
 */
export const Populated: Story = {};

/** The outbox up close: read, delivered, sent, pending, and a failed message with Resend / Delete. */
export const DeliveryStates: Story = {
  loaders: [kitLoader({ conversations: 1, messagesPer: 8, withFailed: true })],
};

/** A conversation in Chinese, with Chinese UI strings and day separators. */
export const ChineseLocale: Story = {
  globals: { lang: 'zh-CN' },
  args: { conversation: conversationOf(1) },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
};
