#!/usr/bin/env node
// `npm run chaos`: the full reliable-delivery chaos run. Two ChatKit instances (alice, bob) in
// headless Chromium exchange CHAOS_MESSAGES messages (default 1000, half each, interleaved)
// through a real Prosody while CHAOS_DISCONNECTS disconnects (default 50) of every kind are
// forced: dropped sockets (XEP-0198 resumption), graceful server restarts, server kills, kit
// reloads, with sends during every outage. The logic lives in test/chaos/harness.ts (shared
// with the short test in `npm test`, test/integration/chaos.test.ts).
//
// stdout: exactly one line, {"sent":..,"received":..,"lost":..,"duplicated":..,"reordered":..,"disconnects":..}
// stderr: the seed, progress, the test runner's output, a summary, the path of the full report.
// Exit status: 0 only when lost, duplicated and reordered are all 0 and the run was complete
// (every planned disconnect happened, both sides settled, no harness error).
//
// Environment:
//   CHAOS_SEED         uint32 seed of the schedule (default: random; always printed)
//   CHAOS_MESSAGES     messages in total (default 1000)
//   CHAOS_DISCONNECTS  forced disconnects (default 50)
//   CHAOS_TIMEOUT_MS   bound of the browser run (default 900000); the runner kills it after that + 2 min
//   CHAOS_RESULT_FILE  where the full JSON report goes (default: a file in the temp dir)
//   CHAOS_TRACE=0      leave the trace (every WebSocket frame and harness step) out of the report
//   CHAOS_KIT_DEBUG=1  turn on the kit's debug logging in the page

import { spawn, spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const err = (line) => process.stderr.write(`${line}\n`);

function intEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < min) {
    err(`chaos: ${name} must be an integer >= ${min} (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return Number(raw);
}

const seed = process.env.CHAOS_SEED ? intEnv('CHAOS_SEED', 0, 0) : randomInt(0, 2 ** 32 - 1);
if (seed > 0xffffffff) {
  err('chaos: CHAOS_SEED must fit in 32 bits');
  process.exit(2);
}
const messages = intEnv('CHAOS_MESSAGES', 1000, 2);
const disconnects = intEnv('CHAOS_DISCONNECTS', 50, 0);
const timeoutMs = intEnv('CHAOS_TIMEOUT_MS', 15 * 60_000, 60_000);
const resultFile = process.env.CHAOS_RESULT_FILE || path.join(os.tmpdir(), `xmpp-chatkit-chaos-${seed}-${process.pid}.json`);

err(`chaos: seed=${seed} messages=${messages} disconnects=${disconnects}`);
err(`chaos: replay with CHAOS_SEED=${seed} CHAOS_MESSAGES=${messages} CHAOS_DISCONNECTS=${disconnects} npm run chaos`);

// Prosody, Chromium and node_modules, as for `npm test` (quiet unless it has work to do).
const setup = spawnSync('bash', ['scripts/setup.sh'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
if (setup.status !== 0) {
  err('chaos: setup failed');
  process.exit(2);
}

rmSync(resultFile, { force: true });
const started = Date.now();
const wtr = path.join(ROOT, 'node_modules', '.bin', 'web-test-runner');
const child = spawn(wtr, ['--config', 'web-test-runner.chaos.config.mjs'], {
  cwd: ROOT,
  // The runner's own output is progress, not the result: keep stdout for the one JSON line.
  stdio: ['ignore', 2, 2],
  detached: true, // its own process group, so a timeout or Ctrl-C can end all of it
  env: {
    ...process.env,
    CHAOS_SEED: String(seed),
    CHAOS_MESSAGES: String(messages),
    CHAOS_DISCONNECTS: String(disconnects),
    CHAOS_TIMEOUT_MS: String(timeoutMs),
    CHAOS_RESULT_FILE: resultFile,
  },
});

function killGroup(signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* gone */
  }
}
let timedOut = false;
const watchdog = setTimeout(() => {
  timedOut = true;
  err(`chaos: no end after ${timeoutMs + 120_000} ms: stopping the test runner`);
  killGroup('SIGTERM');
  setTimeout(() => killGroup('SIGKILL'), 10_000).unref();
}, timeoutMs + 120_000);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killGroup(signal);
    setTimeout(() => process.exit(130), 10_000).unref();
  });
}

const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
clearTimeout(watchdog);
const seconds = ((Date.now() - started) / 1000).toFixed(1);

if (!existsSync(resultFile)) {
  err(`chaos: no result after ${seconds} s (test runner exit ${code}${timedOut ? ', timed out' : ''}); seed=${seed}`);
  process.exit(2);
}
const result = JSON.parse(readFileSync(resultFile, 'utf8'));
const m = result.metrics;
// The one line on stdout: exactly these keys, in this order.
process.stdout.write(
  `${JSON.stringify({ sent: m.sent, received: m.received, lost: m.lost, duplicated: m.duplicated, reordered: m.reordered, disconnects: m.disconnects })}\n`,
);
err('');
err(result.summary ?? '');
err(`chaos: full report: ${resultFile}`);
const clean = m.lost === 0 && m.duplicated === 0 && m.reordered === 0;
const complete = result.errors.length === 0 && result.settled;
err(
  `chaos: ${clean && complete ? 'PASS' : 'FAIL'} in ${seconds} s (seed ${seed})` +
    (clean ? '' : `: lost ${m.lost}, duplicated ${m.duplicated}, reordered ${m.reordered}`) +
    (complete ? '' : `${clean ? ':' : ';'} the run was not clean (${result.errors.length} harness errors, settled=${result.settled})`),
);
process.exit(clean && complete && code === 0 ? 0 : 1);
