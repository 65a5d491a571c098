import { defineConfig } from 'vite';

/**
 * Vite config for Storybook only (see main.ts). Kept apart from the root
 * vite.config.ts, whose dev server runs the demo and its app server.
 */
export default defineConfig({
  optimizeDeps: {
    // Pre-bundled once, as the demo does: dexie's ESM wrapper imports its UMD build, @xmpp/client
    // is CommonJS, and fake-indexeddb (memory storage) is imported lazily, so the optimizer
    // would only find it late and reload the page.
    include: ['dexie', 'fake-indexeddb', '@xmpp/client', 'dompurify'],
    // lit is plain ESM: served as is, every importer (the elements, the stories and Storybook's
    // renderer, which the optimizer skips) shares one copy in `storybook dev`.
    exclude: ['lit', 'lit-html', 'lit-element', '@lit/reactive-element'],
  },
  // Storybook's builder takes only build.target from here (other build options: main.ts viteFinal).
  build: { target: 'es2022' },
});
