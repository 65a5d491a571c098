import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { action } from 'storybook/actions';
import '../src/index.js';
import { conversationOf, kitLoader, themeOf, type Loaded } from './fixtures.js';

interface Args {
  /** Id of the highlighted conversation. */
  selected: string | null;
}

const meta: Meta<Args> = {
  title: 'Elements/ck-conversation-list',
  component: 'ck-conversation-list',
  args: { selected: null },
  argTypes: {
    selected: { control: 'text', description: 'Id (bare JID) of the highlighted conversation' },
  },
  parameters: { frame: { width: '380px', height: '560px' } },
  loaders: [kitLoader()],
  render: (args, { loaded, globals }) => html`<ck-conversation-list
    style="flex: 1; min-block-size: 0; border: 1px solid rgb(128 128 128 / 0.35); border-radius: 10px"
    theme=${themeOf(globals)}
    .kit=${(loaded as Loaded).kit}
    .selected=${args.selected}
    @ck-select=${action('ck-select')}
  ></ck-conversation-list>`,
};
export default meta;

type Story = StoryObj<Args>;

/** A new account: nothing in the store yet. */
export const Empty: Story = {
  loaders: [kitLoader({ conversations: 0, contacts: 0 })],
};

/** Eight conversations, Latin and Chinese names, unread badges, own previews (the newest one failed). */
export const Populated: Story = {};

/** One row highlighted, as when its conversation is open next to the list. */
export const Selected: Story = {
  args: { selected: conversationOf(1) },
};

/** More rows than fit: the list scrolls; a guest beyond the fixed cast shows its numbered name. */
export const ManyConversations: Story = {
  loaders: [kitLoader({ conversations: 30, messagesPer: 3, contacts: 30 })],
};

/** UI strings and times in Simplified Chinese. */
export const ChineseLocale: Story = {
  globals: { lang: 'zh-CN' },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  args: { selected: conversationOf(2) },
};
