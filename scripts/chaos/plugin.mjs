// @web/test-runner plugin for `npm run chaos`: server commands between the chaos page
// (test/chaos/run.chaos.ts) and the Node runner (scripts/chaos/run.mjs).
//
//   ck-chaos-params {}              -> {seed, messages, disconnects, trace, kitDebug}   (from CHAOS_* env)
//   ck-chaos-log    {line}          -> {ok}   progress line, written to stderr at once
//   ck-chaos-result {result}        -> {ok, file}   the run's full result, written as JSON to
//                                      CHAOS_RESULT_FILE (the runner prints the metrics line)

import { writeFileSync } from 'node:fs';

function intFromEnv(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min} (got ${raw})`);
  return value;
}

export function chaosPlugin() {
  const commands = {
    'ck-chaos-params'() {
      const seed = Number(process.env.CHAOS_SEED);
      if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
        throw new Error('CHAOS_SEED (a uint32) must be set: run through `npm run chaos` (scripts/chaos/run.mjs)');
      }
      return {
        seed,
        messages: intFromEnv('CHAOS_MESSAGES', 1000, 2),
        disconnects: intFromEnv('CHAOS_DISCONNECTS', 50, 0),
        trace: process.env.CHAOS_TRACE !== '0',
        kitDebug: process.env.CHAOS_KIT_DEBUG === '1',
      };
    },
    'ck-chaos-log'(payload) {
      const line = payload && typeof payload.line === 'string' ? payload.line : String(payload);
      process.stderr.write(`chaos: ${line}\n`);
      return { ok: true };
    },
    'ck-chaos-result'(payload) {
      const file = process.env.CHAOS_RESULT_FILE;
      if (!file) throw new Error('CHAOS_RESULT_FILE is not set');
      writeFileSync(file, JSON.stringify(payload?.result ?? null));
      return { ok: true, file };
    },
  };
  return {
    name: 'ck-chaos',
    async executeCommand({ command, payload }) {
      const handler = commands[command];
      if (!handler) return undefined;
      return handler(payload);
    },
  };
}
