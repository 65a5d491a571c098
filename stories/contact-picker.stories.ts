import { html } from 'lit';
import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { action } from 'storybook/actions';
import '../src/index.js';
import type { CkContactPicker } from '../src/index.js';
import { kitLoader, person, themeOf, until, type Loaded } from './fixtures.js';

interface Args {
  mode: 'single' | 'multiple';
  /** User ids not offered, separated by spaces or commas. */
  exclude: string;
}

const meta: Meta<Args> = {
  title: 'Elements/ck-contact-picker',
  component: 'ck-contact-picker',
  args: { mode: 'single', exclude: '' },
  argTypes: {
    mode: { control: 'inline-radio', options: ['single', 'multiple'] },
    exclude: { control: 'text', description: 'User ids not to offer (space or comma separated)' },
  },
  parameters: { frame: { width: '420px', height: '560px' } },
  loaders: [kitLoader()],
  render: (args, { loaded, globals }) => html`<ck-contact-picker
    style="flex: 1; min-block-size: 0; border: 1px solid rgb(128 128 128 / 0.35); border-radius: 10px"
    theme=${themeOf(globals)}
    .kit=${(loaded as Loaded).kit}
    mode=${args.mode}
    exclude=${args.exclude}
    @ck-pick=${action('ck-pick')}
    @ck-cancel=${action('ck-cancel')}
  ></ck-contact-picker>`,
};
export default meta;

type Story = StoryObj<Args>;

/** An empty roster. */
export const Empty: Story = {
  loaders: [kitLoader({ conversations: 0, contacts: 0 })],
};

/** Single mode: a click or Enter picks one contact. Sorted by name; pending requests included. */
export const Populated: Story = {};

/**
 * Multiple mode: rows toggle and "Start chat" confirms. Two contacts are excluded
 * (`exclude="bob zhangwei"`); the story ticks two others to show the chips.
 */
export const MultipleWithExclude: Story = {
  args: { mode: 'multiple', exclude: `${person(0).id} ${person(1).id}` },
  play: async ({ canvasElement }) => {
    const picker = canvasElement.querySelector<CkContactPicker>('ck-contact-picker');
    const rows = await until(() => {
      const found = picker?.shadowRoot?.querySelectorAll<HTMLElement>('[part~="item"]');
      return found?.length ? found : null;
    });
    rows[0]?.click();
    rows[3]?.click();
  },
};

export const ChineseLocale: Story = {
  globals: { lang: 'zh-CN' },
  args: { mode: 'multiple' },
};

export const Dark: Story = {
  globals: { theme: 'dark' },
};
