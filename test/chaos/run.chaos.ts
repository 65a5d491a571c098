// The page of `npm run chaos` (scripts/chaos/run.mjs -> web-test-runner.chaos.config.mjs): one
// full chaos run with the parameters the runner passes (CHAOS_SEED, CHAOS_MESSAGES,
// CHAOS_DISCONNECTS; defaults 1,000 messages and 50 disconnects). Progress goes to the
// terminal as it happens; the result goes back to the runner, which prints the metrics line.
// Not matched by `npm test` (*.test.ts): the short version there is test/integration/chaos.test.ts.

import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { explain } from './diagnose.js';
import { runChaos, summarize, type ChaosResult } from './harness.js';

interface Params {
  seed: number;
  messages: number;
  disconnects: number;
  trace: boolean;
  kitDebug: boolean;
}

function say(line: string): Promise<unknown> {
  return executeServerCommand('ck-chaos-log', { line }).catch(() => undefined);
}

describe('chaos: reliable delivery (full run)', () => {
  it('sends every message once, in order, through forced disconnects', async function () {
    const params = await executeServerCommand<Params, object>('ck-chaos-params', {});
    // The runner's timeout is the bound; mocha's per-test one follows the config.
    const budgetMs = Math.max(60_000, Math.min(10 * 60_000, (this.timeout() || 15 * 60_000) - 3 * 60_000));
    // Progress lines reach the terminal in order, without holding up the run.
    let said: Promise<unknown> = Promise.resolve();
    const result: ChaosResult = await runChaos({
      seed: params.seed,
      messages: params.messages,
      disconnects: params.disconnects,
      trace: params.trace,
      kitDebug: params.kitDebug,
      budgetMs,
      log: (line) => {
        said = said.then(() => say(line));
      },
    });
    await said;
    const story = explain(result, 200);
    const report = story ? `${summarize(result)}\n--- diagnosis ---\n${story}` : summarize(result);
    await executeServerCommand('ck-chaos-result', { result: { ...result, summary: report } });
    expect(result.metrics.lost, `lost\n${report}`).to.equal(0);
    expect(result.metrics.duplicated, `duplicated\n${report}`).to.equal(0);
    expect(result.metrics.reordered, `reordered\n${report}`).to.equal(0);
    expect(result.errors, `harness errors\n${report}`).to.deep.equal([]);
  });
});
