// @web/test-runner configuration: browser tests in Debian's headless Chromium, TypeScript via
// esbuild, real Prosody servers through server commands.
//
//   npx web-test-runner --config web-test-runner.config.mjs                 # everything
//   npx web-test-runner --config web-test-runner.config.mjs 'test/unit/**/*.test.ts'
//
// Never downloads a browser: puppeteer-core drives /usr/bin/chromium (scripts/setup.sh installs it).

import { defaultReporter } from '@web/test-runner';
import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { prebundlePlugin } from './scripts/wtr/prebundle-plugin.mjs';
import { prosodyPlugin } from './scripts/wtr/prosody-plugin.mjs';
import { summaryReporter } from './scripts/wtr/summary-reporter.mjs';
import { devicePlugin } from './scripts/wtr/device-plugin.mjs';
import { networkPlugin } from './scripts/wtr/network-plugin.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './scripts/chromium.mjs';


const prosody = prosodyPlugin();

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  rootDir: '.',
  files: ['test/**/*.test.ts'],
  nodeResolve: { browser: true, exportConditions: ['browser'] },
  concurrency: 2, // the machine has 2 cores
  concurrentBrowsers: 1,
  testsStartTimeout: 60_000,
  testsFinishTimeout: 10 * 60_000, // per test file
  browserStartTimeout: 60_000,
  testFramework: {
    config: { timeout: 20_000 }, // per mocha test
  },
  browsers: [
    chromeLauncher({
      // Each test file gets its own browser context: its own window (so it is visible and
      // focused like a real user's tab, not a hidden background tab) and its own storage.
      async createPage({ browser }) {
        const context = await browser.createBrowserContext();
        return context.newPage();
      },
      launchOptions: {
        executablePath: CHROMIUM,
        headless: true,
        // Let the test runner handle Ctrl-C (stop browsers, then plugins: Prosody servers)
        // instead of puppeteer exiting the process at once.
        handleSIGINT: false,
        args: [...CHROMIUM_ARGS],
      },
    }),
  ],
  plugins: [
    // The project's tsconfig uses no decorators; esbuild strips types only (no type check:
    // scripts/test.sh runs tsc first).
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    // react, react-dom/client and vue: the framework demos' tests (CommonJS / bundler builds).
    prebundlePlugin({ packages: ['dexie', '@xmpp/*', '@xmpp/iq/caller.js', '@xmpp/iq/callee.js', 'react', 'react-dom/client', 'vue'], target: 'es2022' }),
    prosody,
    devicePlugin(),
    networkPlugin(),
  ],
  reporters: [
    defaultReporter({ reportTestResults: true, reportTestProgress: true }),
    summaryReporter({ onFileFinished: (sessionIds) => prosody.releaseSessions(sessionIds) }),
  ],
};
