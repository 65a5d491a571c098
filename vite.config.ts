import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { appServer } from './demo/app-server.ts';

const root = import.meta.dirname;
const entry = resolve(root, 'src/index.ts');

/**
 * `vite build`: the ESM library for bundlers (dist/index.js, dependencies left as imports).
 * `vite build --mode standalone`: dist/xmpp-chatkit.js, one self-contained, fully minified
 * module for <script type="module"> (built as an app entry, not in lib mode, whose ES output
 * keeps whitespace for the sake of tree-shaking downstream).
 * `vite` (dev): the demo, with a small app server answering fetchProfiles and generateSignature.
 */
export default defineConfig(({ command, mode }) => {
  const standalone = mode === 'standalone';
  const plugins: Plugin[] = command === 'serve' ? [appServer()] : [];
  return {
    plugins,
    root: command === 'serve' ? resolve(root, 'demo') : root,
    server: { host: '127.0.0.1', port: Number(process.env.CK_DEMO_PORT ?? 5173), strictPort: false, fs: { allow: [root] } },
    build: standalone
      ? {
          target: 'es2022',
          outDir: resolve(root, 'dist'),
          emptyOutDir: false,
          sourcemap: true,
          minify: true,
          rollupOptions: {
            input: entry,
            preserveEntrySignatures: 'strict',
            output: { format: 'es', entryFileNames: 'xmpp-chatkit.js', codeSplitting: false },
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
