import { html } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { Decorator, Preview } from '@storybook/web-components-vite';
import type { ChatKit } from '../src/index.js';

/** Page colors behind the elements, matching their light and dark defaults. */
const PAGE = {
  light: { background: '#f8fafc', color: '#111827' },
  dark: { background: '#030712', color: '#f9fafb' },
} as const;

export interface FrameParameters {
  /** CSS height of the box the story renders in (default 560px). */
  height?: string;
  /** CSS width of that box (default 100%). */
  width?: string;
}

/**
 * Every story renders in a fixed-size box so the elements' own layout (scrolling
 * log, list, composer at the bottom) is visible; the page color follows the theme.
 */
const frame: Decorator = (story, { globals, parameters }) => {
  const theme = globals.theme === 'dark' ? 'dark' : 'light';
  const size = (parameters.frame ?? {}) as FrameParameters;
  document.documentElement.lang = String(globals.lang ?? 'en');
  document.body.style.background = PAGE[theme].background;
  return html`<div
    class="ck-story-frame"
    data-theme=${theme}
    style=${styleMap({
      ...PAGE[theme],
      blockSize: size.height ?? '560px',
      inlineSize: size.width ?? '100%',
      maxInlineSize: '100%',
      display: 'flex',
      flexDirection: 'column',
      boxSizing: 'border-box',
    })}
  >
    ${story()}
  </div>`;
};

const preview: Preview = {
  globalTypes: {
    theme: {
      description: 'Color theme, set as theme="light|dark" on the elements',
      toolbar: {
        title: 'Theme',
        icon: 'mirror',
        items: [
          { value: 'light', title: 'Light', icon: 'sun' },
          { value: 'dark', title: 'Dark', icon: 'moon' },
        ],
        dynamicTitle: true,
      },
    },
    lang: {
      description: 'The kit’s locale (UI strings and dates)',
      toolbar: {
        title: 'Language',
        icon: 'globe',
        items: [
          { value: 'en', title: 'English (en)' },
          { value: 'zh-CN', title: '简体中文 (zh-CN)' },
        ],
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'light', lang: 'en' },
  parameters: {
    layout: 'padded',
    controls: { expanded: true },
    // The stories carry their own page color (see `frame`); the backgrounds tool is not needed.
    backgrounds: { disable: true },
  },
  decorators: [frame],
  // Each render seeds a new kit (loaders run again when a global changes): close the old one.
  beforeEach: ({ loaded }) => {
    const kit = (loaded as { kit?: ChatKit }).kit;
    return () => void kit?.close();
  },
};

export default preview;
