import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { transformSync } from 'esbuild';
import { appServer } from './demo/app-server.ts';

const root = import.meta.dirname;
const entry = resolve(root, 'src/index.ts');

/**
 * fake-indexeddb (the memory store) checks key paths with a 9 KB regex of every ES5 identifier
 * character; Unicode property escapes say the same in one line (~2.8 KB gzip less). A newer
 * fake-indexeddb without that regex is left as it is.
 */
function shortKeyPathRegex(): Plugin {
  const longRegex = /\/\^\(\?:\[\$A-Z_a-z[^\n]*\$\/(?=;)/;
  return {
    name: 'ck-short-key-path-regex',
    transform(code, id) {
      if (!id.includes('fake-indexeddb') || !id.endsWith('validateKeyPath.js')) return null;
      return longRegex.test(code) ? code.replace(longRegex, '/^[$_\\p{ID_Start}][$\\u200C\\u200D\\p{ID_Continue}]*$/u') : null;
    },
  };
}

/**
 * Lit styles are CSS in `css` template literals, which JS minifiers leave as they are (comments,
 * indentation): esbuild's CSS minifier shortens each (~9 KB less JS). Only literals without
 * interpolations are touched; the kit's styles have none.
 */
function minifyLitCss(): Plugin {
  return {
    name: 'ck-minify-lit-css',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !code.includes('css`')) return null;
      return code.replace(/\bcss`([^`$\\]*)`/g, (_, body: string) => `css\`${transformSync(body, { loader: 'css', minify: true }).code.trim()}\``);
    },
  };
}

/**
 * The single file's one lazy import (the memory backend) has nothing to preload: Vite's preload
 * helper, which would otherwise wrap it, becomes a plain call.
 */
function noPreloadHelper(): Plugin {
  const helper = '\0vite/preload-helper.js';
  return {
    name: 'ck-no-preload-helper',
    enforce: 'pre',
    resolveId: (id) => (id === helper ? id : null),
    load: (id) => (id === helper ? 'export const __vitePreload = (load) => load();' : null),
  };
}

/**
 * `vite build`: the ESM library for bundlers (dist/index.js, dependencies left as imports).
 * `vite build --mode standalone`: dist/xmpp-chatkit.js, one self-contained, fully minified
 * module for <script type="module"> (built as an app entry, not in lib mode, whose ES output
 * keeps whitespace for the sake of tree-shaking downstream).
 * `vite` (dev): the demo, with a small app server answering fetchProfiles and generateSignature.
 */
export default defineConfig(({ command, mode }) => {
  const standalone = mode === 'standalone';
  const plugins: Plugin[] = command === 'serve' ? [appServer()] : standalone ? [minifyLitCss(), shortKeyPathRegex(), noPreloadHelper()] : [minifyLitCss()];
  return {
    plugins,
    root: command === 'serve' ? resolve(root, 'demo') : root,
    // The kit imports only `xml` (and types) from '@xmpp/client' and assembles its client from
    // the parts (src/protocol/xmpp-client.ts); the package's index would drag in every SASL
    // mechanism and module it wires up, side effects and all.
    // Dexie's ES2018 build: the default entry wraps its ES5 UMD build (~1.3 KB gzip more).
    // `events`: the few EventEmitter methods @xmpp/client and ltx use (src/protocol/node-events.ts).
    resolve: standalone
      ? {
          alias: [
            { find: /^@xmpp\/client$/, replacement: '@xmpp/client-core' },
            { find: /^dexie$/, replacement: resolve(root, 'node_modules/dexie/dist/modern/dexie.mjs') },
            { find: /^events$/, replacement: resolve(root, 'src/protocol/node-events.ts') },
          ],
        }
      : undefined,
    // The XMPP client's parts (src/protocol/xmpp-client.ts), pre-bundled together up front so
    // the demo does not discover them one by one and reload.
    optimizeDeps: {
      include: ['@xmpp/client', '@xmpp/client-core', '@xmpp/websocket', '@xmpp/middleware', '@xmpp/stream-features', '@xmpp/iq/caller.js',
        '@xmpp/iq/callee.js', '@xmpp/sasl', '@xmpp/sasl-plain', '@xmpp/resource-binding', '@xmpp/stream-management'],
    },
    server: { host: '127.0.0.1', port: Number(process.env.CK_DEMO_PORT ?? 5173), strictPort: false, fs: { allow: [root] } },
    build: standalone
      ? {
          target: 'es2022',
          outDir: resolve(root, 'dist'),
          emptyOutDir: false,
          sourcemap: true,
          minify: true,
          modulePreload: false,
          rollupOptions: {
            input: entry,
            preserveEntrySignatures: 'strict',
            // Everything in the one file but the memory backend (storage: 'memory' and the
            // no-IndexedDB fallback), which loads from its companion file only when used.
            output: { format: 'es', entryFileNames: 'xmpp-chatkit.js', chunkFileNames: 'xmpp-chatkit-[name].js' },
          },
        }
      : {
          target: 'es2022',
          outDir: resolve(root, 'dist'),
          emptyOutDir: true,
          sourcemap: true,
          minify: false,
          lib: { entry, formats: ['es'], fileName: () => 'index.js' },
          rollupOptions: {
            external: (id: string) => /^(lit|@lit|@xmpp|dexie|dompurify|fake-indexeddb)(\/|$)/.test(id),
          },
        },
  };
});
