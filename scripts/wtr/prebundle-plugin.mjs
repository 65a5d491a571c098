// Dev-server plugin for @web/test-runner: serves packages that do not load as-is in the
// browser (CommonJS inside, Node built-ins, `browser` field stubs) as ES modules
// pre-bundled once by esbuild and kept in memory.
//
// Why: @web/dev-server does not convert CommonJS. @xmpp/client pulls CJS packages (events,
// ltx helpers, sasl-*), relies on its package.json "browser" field to drop tcp/tls/starttls/
// scram, and leaks `node:dns` through @xmpp/resolve; dexie's ESM wrapper imports its UMD
// build. Vite's dependency optimizer does the same job for the demo and Storybook.
//
// All entries are built in ONE esbuild run with code splitting, so packages that share code
// (e.g. @xmpp/client and @xmpp/xml) share one instance of it (one `Element` class, one Dexie).

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';

const PREFIX = '/__ck_deps__/';

// @xmpp packages that only work in Node: never entries (the browser build stubs them).
const NODE_ONLY = new Set(['@xmpp/tcp', '@xmpp/tls', '@xmpp/starttls', '@xmpp/connection-tcp', '@xmpp/sasl-scram-sha-1']);

/** '@xmpp/client' -> 'xmpp__client' */
function fileNameFor(pkg) {
  return pkg.replace(/^@/, '').replace(/\//g, '__').replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** True when `import 'pkg'` can resolve (some @xmpp packages only have subpath files). */
function hasRootEntry(pkgDir) {
  try {
    const json = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    if (json.exports && (typeof json.exports === 'string' || json.exports['.'] || json.exports.import)) return true;
    const main = json.module || json.main || 'index.js';
    return [main, `${main}.js`, path.join(main, 'index.js')].some((f) => existsSync(path.join(pkgDir, f)));
  } catch {
    return false;
  }
}

/** Expands 'dexie', '@xmpp/*' into installed package names. */
function expandPackages(rootDir, patterns) {
  const out = new Set();
  for (const pattern of patterns) {
    const scoped = pattern.match(/^(@[^/]+)\/\*$/);
    if (scoped) {
      const dir = path.join(rootDir, 'node_modules', scoped[1]);
      if (!existsSync(dir)) continue;
      for (const name of readdirSync(dir)) {
        const pkg = `${scoped[1]}/${name}`;
        if (!NODE_ONLY.has(pkg) && hasRootEntry(path.join(dir, name))) out.add(pkg);
      }
    } else if (hasRootEntry(path.join(rootDir, 'node_modules', pattern))) {
      out.add(pattern);
    } else if (pattern.split('/').length > (pattern.startsWith('@') ? 2 : 1) && existsSync(path.join(rootDir, 'node_modules', pattern.split('/').slice(0, pattern.startsWith('@') ? 2 : 1).join('/')))) {
      // A package subpath as its own entry (react-dom/client, @xmpp/iq/caller.js): import it by that exact name.
      out.add(pattern);
    }
  }
  return [...out].sort();
}

/** esbuild plugin: `node:*` and bare Node built-ins become empty CommonJS modules. */
const stubNodeBuiltins = {
  name: 'ck-stub-node-builtins',
  setup(build) {
    const builtins = /^(node:.*|dns|net|tls|fs|child_process)$/;
    build.onResolve({ filter: builtins }, (args) => ({ path: args.path, namespace: 'ck-node-stub' }));
    // CommonJS so that named imports (`import { Socket } from 'node:net'`) resolve to undefined.
    build.onLoad({ filter: /.*/, namespace: 'ck-node-stub' }, () => ({ contents: 'module.exports = {};', loader: 'js' }));
  },
};

/**
 * @param {{ rootDir?: string, packages?: string[], target?: string }} [options]
 *   packages: bare names or `@scope/*` (default: dexie and every browser-usable @xmpp package)
 */
export function prebundlePlugin({ rootDir = process.cwd(), packages = ['dexie', '@xmpp/*'], target = 'es2022' } = {}) {
  const entries = expandPackages(rootDir, packages);
  const entrySet = new Set(entries);
  /** @type {Promise<Map<string, string>> | null} */
  let built = null;

  function build() {
    built ??= (async () => {
      const started = Date.now();
      const outdir = path.join(rootDir, PREFIX.slice(1, -1));
      const result = await esbuild.build({
        absWorkingDir: rootDir,
        entryPoints: Object.fromEntries(entries.map((pkg) => [fileNameFor(pkg), pkg])),
        bundle: true,
        splitting: true,
        format: 'esm',
        platform: 'browser', // honours package.json "browser" (stubs tcp/tls/starttls/scram)
        target,
        write: false,
        outdir,
        entryNames: '[name]',
        chunkNames: 'chunk-[hash]',
        define: {
          'process.env.NODE_ENV': '"development"',
          global: 'globalThis',
          // Vue's bundler build expects these compile-time flags (the framework demo tests).
          __VUE_OPTIONS_API__: 'true',
          __VUE_PROD_DEVTOOLS__: 'false',
          __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
        },
        legalComments: 'none',
        logLevel: 'silent',
        plugins: [stubNodeBuiltins],
      });
      const files = new Map();
      for (const file of result.outputFiles) {
        files.set(PREFIX + path.relative(outdir, file.path).split(path.sep).join('/'), file.text);
      }
      if (process.env.CK_DEBUG_PREBUNDLE) {
        console.log(`[prebundle] ${entries.join(', ')} -> ${files.size} files in ${Date.now() - started} ms`);
      }
      return files;
    })();
    built.catch(() => {
      built = null; // let a later request retry (and report the error again)
    });
    return built;
  }

  return {
    name: 'ck-prebundle',

    resolveImport({ source, context }) {
      // Imports inside the bundles are relative chunk names: keep them as they are.
      if (context.path.startsWith(PREFIX)) {
        return source.startsWith('./') ? source : undefined;
      }
      if (entrySet.has(source)) return `${PREFIX}${fileNameFor(source)}.js`;
      const pkg = source.startsWith('@') ? source.split('/').slice(0, 2).join('/') : source.split('/')[0];
      if (entrySet.has(pkg) && !source.endsWith('package.json')) {
        throw new Error(
          `Deep import "${source}" of pre-bundled package "${pkg}" is not supported in browser tests: ` +
            `import from "${pkg}" itself (see scripts/wtr/prebundle-plugin.mjs).`,
        );
      }
      return undefined;
    },

    async serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const files = await build();
      const body = files.get(context.path);
      if (body === undefined) return undefined;
      return { body, type: 'js' };
    },
  };
}
