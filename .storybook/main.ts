import { fileURLToPath } from 'node:url';
import { mergeConfig } from 'vite';
import type { StorybookConfig } from '@storybook/web-components-vite';

/**
 * Storybook for the ck-* elements. The stories run on an in-memory store seeded by
 * stories/fixtures.ts, so neither the build nor the stories touch the network.
 *
 * The root vite.config.ts is deliberately not used: it serves the demo (root `demo/`)
 * and loads demo/app-server.ts. `.storybook/vite.config.ts` is the whole Vite config here.
 */
const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: [],
  framework: {
    name: '@storybook/web-components-vite',
    options: {
      builder: { viteConfigPath: fileURLToPath(new URL('./vite.config.ts', import.meta.url)) },
    },
  },
  core: {
    disableTelemetry: true,
    disableWhatsNewNotifications: true,
  },
  async viteFinal(config) {
    // Guard: the demo's app server must never end up in Storybook.
    const names = (config.plugins ?? []).flat(3).map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : ''));
    if (names.includes('xmpp-chatkit-demo-app-server')) {
      throw new Error('Storybook picked up the demo app server; check framework.options.builder.viteConfigPath.');
    }
    // The builder keeps only build.target from the Vite config file; the rest goes here.
    // The preview bundles Storybook's runtime with lit, dexie and fake-indexeddb: ~0.9 MB is expected.
    return mergeConfig(config, { build: { chunkSizeWarningLimit: 1500 } });
  },
};

export default config;
