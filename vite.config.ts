import { defineConfig, type Plugin } from 'vite';
import { resolve } from 'node:path';
import { appServer } from './demo/app-server.ts';

const root = import.meta.dirname;

/**
 * `vite build`: the ESM library for bundlers (dist/index.js, dependencies left as imports).
 * `vite build --mode standalone`: dist/xmpp-chatkit.js, one self-contained module for <script type="module">.
 * `vite` (dev): the demo, with a small app server answering fetchProfiles and generateSignature.
 */
export default defineConfig(({ command, mode }) => {
  const standalone = mode === 'standalone';
  const plugins: Plugin[] = command === 'serve' ? [appServer()] : [];
  return {
    plugins,
    root: command === 'serve' ? resolve(root, 'demo') : root,
    server: { host: '127.0.0.1', port: Number(process.env.CK_DEMO_PORT ?? 5173), strictPort: false, fs: { allow: [root] } },
    build: {
      target: 'es2022',
      outDir: resolve(root, 'dist'),
      emptyOutDir: !standalone,
      sourcemap: true,
      minify: standalone,
      lib: {
        entry: resolve(root, 'src/index.ts'),
        formats: ['es'],
        fileName: () => (standalone ? 'xmpp-chatkit.js' : 'index.js'),
      },
      rollupOptions: standalone
        ? { output: { codeSplitting: false } }
        : { external: (id: string) => /^(lit|@lit|@xmpp|dexie|dompurify|date-fns|fake-indexeddb)(\/|$)/.test(id) },
    },
  };
});
