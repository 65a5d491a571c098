import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { action } from 'storybook/actions';
import '../src/index.js';
import type { CkChat } from '../src/index.js';
import { conversationOf, kitLoader, themeOf, type Loaded } from './fixtures.js';

interface Args {
  /** The open conversation (a bare JID), or null. */
  conversation: string | null;
  /** Below this width (px) one pane shows at a time. */
  breakpoint: number;
}

const meta: Meta<Args> = {
  title: 'Elements/ck-chat',
  component: 'ck-chat',
  args: { conversation: null, breakpoint: 600 },
  argTypes: {
    conversation: { control: 'text', description: 'Id (bare JID) of the open conversation' },
    breakpoint: { control: { type: 'number', min: 0, step: 20 } },
  },
  parameters: { frame: { width: '1000px', height: '640px' } },
  loaders: [kitLoader({ messagesPer: 16 })],
  render: (args, { loaded, globals }) => html`<ck-chat
    style="flex: 1; min-block-size: 0"
    theme=${themeOf(globals)}
    .kit=${(loaded as Loaded).kit}
    .conversation=${args.conversation}
    .breakpoint=${args.breakpoint}
    @ck-select=${action('ck-select')}
    @ck-error=${action('ck-error')}
  ></ck-chat>`,
};
export default meta;

type Story = StoryObj<Args>;

/** A new account: no conversations, no contacts. */
export const Empty: Story = {
  loaders: [kitLoader({ conversations: 0, contacts: 0 })],
};

/** The list filled, no conversation chosen yet. */
export const Populated: Story = {};

/** A conversation open next to the list. */
export const ConversationOpen: Story = {
  args: { conversation: conversationOf(0) },
};

/** The "New chat" picker (the + button), opened by the story. */
export const NewChat: Story = {
  play: async ({ canvasElement }) => {
    const chat = canvasElement.querySelector<CkChat>('ck-chat');
    await chat?.updateComplete;
    chat?.openPicker();
  },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
  args: { conversation: conversationOf(0) },
};

export const ChineseLocale: Story = {
  globals: { lang: 'zh-CN' },
  args: { conversation: conversationOf(2) },
};

/** Narrower than the breakpoint: one pane at a time, with a back button in the view. */
export const Narrow: Story = {
  parameters: { frame: { width: '380px', height: '640px' } },
  args: { conversation: conversationOf(1) },
};
