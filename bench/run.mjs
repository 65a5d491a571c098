#!/usr/bin/env node
// `npm run bench`: measures the kit in headless Chromium against a real Prosody and writes
// bench/results.json (also printed). Numbers, not verdicts: see the targets in README.md.
//   node bench/run.mjs            full sizes (1,000 conversations, 100,000 messages, ...)
//   node bench/run.mjs --small    a quick run that checks the bench works (CI)
//   --only=reload,contacts,mam,latency   run only these scenarios (while iterating; not a result)
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import * as esbuild from 'esbuild';
import puppeteer from 'puppeteer-core';
import { startProsody } from '../scripts/prosody.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from '../scripts/chromium.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const small = process.argv.includes('--small');
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const runs = (scenario) => !only || only.includes(scenario);
const SIZES = small
  ? { conversations: 100, big: 2_000, contacts: 500, mam: 500, latency: 10, scrollBudgetMs: 15_000, reloads: 1 }
  : { conversations: 1_000, big: 100_000, contacts: 10_000, mam: 10_000, latency: 100, scrollBudgetMs: 300_000, reloads: 5 };
const MAM_PAGE = 250;
const LATENCY_GAP_MS = 150;
const log = (...a) => console.error('[bench]', ...a);

function build() {
  log('building dist/xmpp-chatkit.js (production, single file)');
  execFileSync('npx', ['vite', 'build', '--mode', 'standalone', '--logLevel', 'error'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const js = readFileSync(path.join(ROOT, 'dist/xmpp-chatkit.js'));
  mkdirSync(path.join(ROOT, 'bench/.build'), { recursive: true });
  // The bare client for the "limit" figures, bundled like the kit bundles it.
  esbuild.buildSync({
    stdin: { contents: "export { client, xml } from '@xmpp/client';", resolveDir: ROOT },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    minify: true,
    outfile: path.join(ROOT, 'bench/.build/raw.js'),
    plugins: [],
    external: [],
    alias: { 'node:dns': path.join(ROOT, 'bench/empty.js') },
    logLevel: 'error',
  });
  // Styles live in the JS (Lit adopted stylesheets): the one file is the whole kit. The memory
  // backend (storage: 'memory', or no usable IndexedDB) is a companion file loaded only then.
  const lazy = readFileSync(path.join(ROOT, 'dist/xmpp-chatkit-memory.js'));
  return {
    bundle_gzip_bytes: gzipSync(js, { level: 9 }).length,
    bundle_raw_bytes: js.length,
    bundle_memory_chunk_gzip_bytes: gzipSync(lazy, { level: 9 }).length,
  };
}

const TYPES = { '.js': 'text/javascript', '.html': 'text/html', '.map': 'application/json', '.json': 'application/json' };
function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const file = path.join(ROOT, decodeURIComponent(url.pathname));
    if (!file.startsWith(ROOT) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const median = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
const pct = (v, p) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
};

async function main() {
  const results = { ...build() };
  const prosody = await startProsody();
  const http = await serve();
  const base = `http://127.0.0.1:${http.address().port}/bench/page.html`;
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    protocolTimeout: 900_000,
    args: [
      ...CHROMIUM_ARGS,
      // Frames as fast as the page can make them: frame times then measure work, not vsync.
      '--disable-frame-rate-limit', '--disable-gpu-vsync',
      '--enable-precise-memory-info', '--js-flags=--expose-gc',
      '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
    ],
  });
  const cfg = { service: prosody.service, domain: prosody.domain, scrollBudgetMs: SIZES.scrollBudgetMs, scrollStepPx: 600 };
  const openPage = async (query = '') => {
    const context = await browser.createBrowserContext();
    const page = await context.newPage();
    await page.setViewport({ width: 1280, height: 800 });
    page.on('pageerror', (e) => log('page error:', e.message));
    await page.goto(`${base}${query}`, { waitUntil: 'load' });
    await page.waitForFunction(() => window.bench?.ready === true);
    return page;
  };
  const call = (page, fn, args) => page.evaluate((f, a) => window.bench[f](a), fn, args);
  try {
    const users = ['reader', 'mamuser', 'mampeer', 'alice', 'bob', 'rawa', 'rawb'].map((u) => ({ username: u, password: `${u}-pw` }));
    await prosody.createUsers(users);
    const user = Object.fromEntries(users.map((u) => [u.username, u]));

    // Reload with a large store, open the large conversation, scroll it end to end.
    if (runs('reload')) {
      log(`seeding ${SIZES.conversations} conversations and ${SIZES.big} messages`);
      const context = await browser.createBrowserContext();
      const seeder = await context.newPage();
      await seeder.goto(base, { waitUntil: 'load' });
      await seeder.waitForFunction(() => window.bench?.ready === true);
      results.seeded = await call(seeder, 'seedStore', { cfg, account: 'reader', conversations: SIZES.conversations, big: SIZES.big });
      const args = { cfg, account: 'reader', password: user.reader.password, big: SIZES.big };
      log('reload, open, scroll');
      // A later visit, not the same instant: let the storage engine settle after the bulk writes.
      await seeder.close();
      await new Promise((r) => setTimeout(r, 3000));
      // One reload is one sample, and this machine's samples swing widely: the list's figure is
      // the median of several reloads (each a new page). The first goes on to open and scroll, so
      // those run on the store as the seeding left it, as they did when there was one reload.
      const reload = async (listOnly) => {
        const page = await context.newPage();
        await page.setViewport({ width: 1280, height: 800 });
        await page.goto(`${base}?auto=reload&args=${encodeURIComponent(JSON.stringify({ ...args, listOnly }))}`, { waitUntil: 'load' });
        const result = await page.evaluate(() => window.benchResult);
        if (result.error) throw new Error(result.error);
        await page.close();
        return result;
      };
      const first = await reload(false);
      const lists = [first.cached_reload_list_ms];
      for (let i = 1; i < SIZES.reloads; i++) lists.push((await reload(true)).cached_reload_list_ms);
      Object.assign(results, first, { cached_reload_list_ms: median(lists), cached_reload_list_runs_ms: lists });
      await context.close();
    }

    if (runs('contacts')) {
      log(`contacts: ${SIZES.contacts}`);
      const contactsPage = await openPage();
      Object.assign(results, await call(contactsPage, 'contacts', { cfg, count: SIZES.contacts }));
      await contactsPage.browserContext().close();
    }

    if (runs('mam')) {
      log(`archive catch-up: ${SIZES.mam}`);
      await prosody.seedArchive({ owner: 'mamuser', peer: 'mampeer', count: 1, start: Math.floor(Date.now() / 1000) - SIZES.mam - 100 });
      const mamPage = await openPage();
      await call(mamPage, 'mamPrime', { cfg, user: user.mamuser, peer: 'mampeer' });
      await prosody.seedArchive({ owner: 'mamuser', peer: 'mampeer', count: SIZES.mam, start: Math.floor(Date.now() / 1000) - SIZES.mam, prefix: 'msg' });
      Object.assign(results, await call(mamPage, 'mamKit', { cfg, user: user.mamuser, peer: 'mampeer', expected: SIZES.mam + 1 }));
      await mamPage.browserContext().close();
      const rawPage = await openPage();
      Object.assign(results, await call(rawPage, 'mamRaw', { cfg, user: user.mamuser, pageSize: MAM_PAGE, expected: SIZES.mam + 1 }));
      await rawPage.browserContext().close();
    }

    if (runs('latency')) {
      log(`latency: ${SIZES.latency} messages each way`);
      const [a, b] = [await openPage(), await openPage()];
      const aliceJid = `alice@${prosody.domain}`;
      const bobJid = `bob@${prosody.domain}`;
      await call(b, 'latencyOpen', { cfg, user: user.bob, peerJid: aliceJid, role: 'receiver' });
      await call(a, 'latencyOpen', { cfg, user: user.alice, peerJid: bobJid, role: 'sender' });
      const kitLat = [];
      const stages = { send: [], wire: [], render: [] };
      // Messages a chat's pace apart, not back to back: each is timed on its own, not queued
      // behind the last one's receipts and markers (the same pause for the bare client).
      const pause = () => new Promise((r) => setTimeout(r, LATENCY_GAP_MS));
      for (let i = 0; i < SIZES.latency; i++) {
        await pause();
        const body = `lat ${i}`;
        const sent = await call(a, 'latencySend', { peerJid: bobJid, body });
        const got = await b.waitForFunction((x) => window.bench.arrivalOf({ body: x }), { polling: 10, timeout: 30_000 }, body);
        const shown = await got.jsonValue();
        kitLat.push(shown - sent);
        // Where the time went: send() until the frame left, the wire (Prosody), the frame until painted.
        const out = (await call(a, 'framesOf', { body })).out;
        const arrived = (await call(b, 'framesOf', { body })).in;
        if (out !== null && arrived !== null) {
          stages.send.push(out - sent);
          stages.wire.push(arrived - out);
          stages.render.push(shown - arrived);
        }
      }
      Object.assign(results, {
        latency_stage_send_p50_ms: median(stages.send),
        latency_stage_wire_p50_ms: median(stages.wire),
        latency_stage_render_p50_ms: median(stages.render),
      });
      await call(a, 'latencyClose', {});
      await call(b, 'latencyClose', {});
      await call(a, 'rawOpen', { cfg, user: user.rawa });
      await call(b, 'rawOpen', { cfg, user: user.rawb });
      const rawLat = [];
      for (let i = 0; i < SIZES.latency; i++) {
        await pause();
        const body = `raw ${i}`;
        const sent = await call(a, 'rawSend', { to: `rawb@${prosody.domain}`, body });
        const got = await b.waitForFunction((x) => window.bench.rawArrivalOf({ body: x }), { polling: 10, timeout: 30_000 }, body);
        rawLat.push((await got.jsonValue()) - sent);
      }
      await call(a, 'rawClose', {});
      await call(b, 'rawClose', {});
      Object.assign(results, {
        latency_p50_ms: median(kitLat),
        latency_p99_ms: pct(kitLat, 99),
        latency_raw_p50_ms: median(rawLat),
      });
    }
  } finally {
    await browser.close().catch(() => {});
    http.close();
    await prosody.stop();
  }
  results.small = small;
  if (only) results.only = only.join(',');
  const round = (v) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10) / 10 : v);
  const out = Object.fromEntries(Object.entries(results).map(([k, v]) => [k, round(v)]));
  // A partial run is for iterating: it never replaces the recorded results.
  if (!only) writeFileSync(path.join(ROOT, 'bench/results.json'), `${JSON.stringify(out, null, 2)}\n`);
  console.log(JSON.stringify(out));
  const required = ['bundle_gzip_bytes', 'cached_reload_list_ms', 'open_conversation_ms', 'history_dom_rows', 'scroll_frame_p95_ms',
    'contacts_first_paint_ms', 'contacts_filter_p95_ms', 'mam_10k_ms', 'mam_10k_raw_ms', 'latency_p50_ms', 'latency_p99_ms',
    'latency_raw_p50_ms', 'heap_mb_100k'];
  const missing = only ? [] : required.filter((k) => typeof out[k] !== 'number' || !Number.isFinite(out[k]));
  if (missing.length) {
    console.error(`[bench] missing or not numbers: ${missing.join(', ')}`);
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
