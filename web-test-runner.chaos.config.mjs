// @web/test-runner configuration for `npm run chaos` (scripts/chaos/run.mjs starts it): the
// project's configuration (Chromium, esbuild, pre-bundling, Prosody server commands) with the
// one chaos page, a long timeout, and the chaos server commands (scripts/chaos/plugin.mjs).
// Not part of `npm test`, which runs the short version, test/integration/chaos.test.ts.

import base from './web-test-runner.config.mjs';
import { chaosPlugin } from './scripts/chaos/plugin.mjs';

const timeoutMs = Number(process.env.CHAOS_TIMEOUT_MS || 15 * 60_000);

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  ...base,
  files: ['test/chaos/run.chaos.ts'],
  concurrency: 1,
  testsFinishTimeout: timeoutMs + 60_000,
  testFramework: { config: { timeout: timeoutMs } },
  plugins: [...(base.plugins ?? []), chaosPlugin()],
};
