// `npm run fuzz`: the stanza fuzzer (test/integration/fuzz.test.ts) for a long run.
//   FUZZ_COUNT=5000 FUZZ_SEED=123 npm run fuzz     # seed defaults to the clock; it is printed
import base from './web-test-runner.config.mjs';

const count = Number(process.env.FUZZ_COUNT ?? 3000);
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
console.log(`fuzz: FUZZ_COUNT=${count} FUZZ_SEED=${seed}`);

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  ...base,
  files: ['test/integration/fuzz.test.ts'],
  testFramework: { config: { timeout: Math.max(60_000, count * 200) } },
  testsFinishTimeout: Math.max(10 * 60_000, count * 300),
  testRunnerHtml: (testFramework) =>
    `<html><body><script>window.CK_FUZZ = ${JSON.stringify({ count, seed })};</script><script type="module" src="${testFramework}"></script></body></html>`,
};
