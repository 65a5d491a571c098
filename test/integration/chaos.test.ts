// Reliable delivery under chaos, short version (the full run is `npm run chaos`): alice and bob
// exchange 120 messages through a real Prosody while 8 disconnects of every kind are forced
// (dropped sockets, graceful restarts, kills, reloads, with sends during each outage). Nothing
// may be lost, duplicated or reordered. The seed is random per run and printed; a failure names
// the command that replays the same schedule.

import { expect } from '@open-wc/testing';
import { explain } from '../chaos/diagnose.js';
import { runChaos, summarize, type ChaosResult } from '../chaos/harness.js';
import { metricsLine } from '../chaos/metrics.js';
import { KINDS, randomSeed } from '../chaos/schedule.js';

const MESSAGES = 120;
const DISCONNECTS = 8;

describe('reliable delivery under chaos (short)', () => {
  it(`${MESSAGES} messages both ways through ${DISCONNECTS} disconnects of every kind: none lost, duplicated or reordered`, async function () {
    this.timeout(200_000);
    const seed = randomSeed();
    const lines: string[] = [];
    let result: ChaosResult;
    try {
      result = await runChaos({
        seed,
        messages: MESSAGES,
        disconnects: DISCONNECTS,
        recoverTimeoutMs: 30_000,
        settleTimeoutMs: 30_000,
        budgetMs: 110_000,
        trace: true,
        log: (line) => lines.push(line),
      });
    } catch (err) {
      console.log(`chaos (short) seed=${seed} crashed; progress:\n${lines.join('\n')}`);
      throw err;
    }
    const report = `${metricsLine(result.metrics)}\n${summarize(result)}`;
    console.log(`chaos (short): ${report}`);
    const story = explain(result);
    if (story) console.log(`chaos (short) diagnosis:\n${story}`);
    const context = `\n${report}\n--- progress ---\n${lines.join('\n')}`;

    expect(result.metrics.sent, `all messages handed to the kits${context}`).to.equal(MESSAGES);
    expect(result.metrics.lost, `lost${context}`).to.equal(0);
    expect(result.metrics.duplicated, `duplicated${context}`).to.equal(0);
    expect(result.metrics.reordered, `reordered${context}`).to.equal(0);
    expect(result.metrics.received, `received${context}`).to.equal(MESSAGES);
    // The disconnects really happened: every planned one was seen, every kind at least once.
    expect(result.metrics.disconnects, `disconnects${context}`).to.equal(DISCONNECTS);
    for (const kind of KINDS) expect(result.kinds[kind], `${kind} disconnects${context}`).to.be.greaterThan(0);
    // Dropped sockets came back by XEP-0198 resumption; restarts and kills by new sessions.
    const resumed = result.sockets.alice.resumed + result.sockets.bob.resumed;
    expect(resumed, `sessions resumed${context}`).to.be.greaterThan(0);
    expect(result.errors, `harness errors${context}`).to.deep.equal([]);
    expect(result.settled, `settled${context}`).to.equal(true);
  });
});
