// Browser side of `npm run bench`: scenarios run against the production single-file build
// (dist/xmpp-chatkit.js) and, for the limits, a bare @xmpp/client (bench/.build/raw.js).
// bench/run.mjs drives them through puppeteer and assembles bench/results.json.
import { ChatKit } from '../dist/xmpp-chatkit.js';

const moduleStartMs = performance.now();
// The bare client is only for the "limit" figures: loaded when they run, not on the reload path.
let client;
let xml;
async function loadRaw() {
  ({ client, xml } = await import('./.build/raw.js'));
}

const stage = document.querySelector('#stage');
const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();
/** A clock comparable across pages of one browser (for latency between two pages). */
const wall = () => performance.timeOrigin + performance.now();

async function until(check, what, timeoutMs = 120_000) {
  const t0 = now();
  for (;;) {
    const v = await check();
    if (v) return v;
    if (now() - t0 > timeoutMs) throw new Error(`bench: timed out waiting for ${what}`);
    await frame();
  }
}

const shadowAll = (el, sel) => [...(el.shadowRoot?.querySelectorAll(sel) ?? [])];

function kitFor(cfg, storage) {
  return new ChatKit({ service: cfg.service, domain: cfg.domain, storage, locale: 'en' });
}

const percentile = (values, p) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : NaN;
};

/** Fills an account's IndexedDB store: `conversations` chats, one of them holding `big` messages. */
async function seedStore({ cfg, account, conversations, big }) {
  const kit = kitFor(cfg, 'indexeddb');
  await kit.openStore(account);
  const db = kit.db;
  const base = Date.UTC(2025, 0, 1);
  let seq = 1;
  const convs = [];
  const bigId = `big@${cfg.domain}`;
  for (let i = 0; i < conversations - 1; i++) {
    const id = `peer${i}@${cfg.domain}`;
    const ts = base + i * 60_000;
    const m = { id: `s${i}`, conversationId: id, from: `peer${i}`, own: false, body: `hello from peer ${i}`, ts, seq: seq++, state: 'received' };
    await db.messages.add(m);
    convs.push({ id, type: 'chat', lastAt: ts, unread: i % 7 === 0 ? 2 : 0, pin: 0, last: { id: m.id, from: m.from, own: false, body: m.body, state: m.state } });
  }
  const chunk = 10_000;
  let last;
  for (let start = 0; start < big; start += chunk) {
    const rows = [];
    for (let i = start; i < Math.min(big, start + chunk); i++) {
      const own = i % 3 === 0;
      rows.push({
        id: `b${i}`,
        conversationId: bigId,
        from: own ? account : 'big',
        own,
        body: i % 10 === 0 ? `message ${i}: a longer line of text that wraps onto a second line in a narrow bubble, to vary row heights` : `message ${i}`,
        ts: base + 1e9 + i * 1000,
        seq: seq++,
        state: own ? 'read' : 'received',
      });
    }
    await db.messages.bulkAdd(rows);
    last = rows[rows.length - 1];
  }
  convs.push({ id: bigId, type: 'chat', lastAt: last.ts, unread: 0, pin: 0, last: { id: last.id, from: last.from, own: last.own, body: last.body, state: last.state } });
  await db.conversations.bulkPut(convs);
  const count = await db.messages.count();
  await kit.close();
  return { conversations: convs.length, messages: count };
}

/**
 * Run on a fresh page load: the time from navigation start until the conversation list has
 * painted from IndexedDB (the server connection opens in parallel and must not delay it).
 */
async function reloadAndOpen({ cfg, account, password, big, listOnly = false }) {
  const kit = kitFor(cfg, 'indexeddb');
  const list = document.createElement('ck-conversation-list');
  list.kit = kit;
  stage.append(list);
  const marks = { open: now() };
  kit.addEventListener('ck-session', () => {
    marks.session ??= now();
    // Diagnostics: when a plain read of the list's index answers (a first screen of keys: reading
    // every record here would load the page being measured), and when frames run.
    kit.db.conversations.orderBy('[pin+lastAt]').reverse().limit(20).primaryKeys().then(() => (marks.read ??= now()));
    requestAnimationFrame(() => (marks.frame ??= now()));
  });
  kit.addEventListener('ck-status', () => (marks[`status_${kit.status}`] ??= now()));
  const opening = kit.open(account, { password }).catch((e) => e);
  await until(() => shadowAll(list, '[part=item]').length > 0, 'list rows');
  await frame();
  const listPaintedMs = now();
  const online = await opening;
  const reloadMarks = Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, Math.round(v)]));
  if (listOnly) {
    await kit.close();
    return { cached_reload_list_ms: listPaintedMs, reload_module_start_ms: moduleStartMs, reload_marks: reloadMarks };
  }

  const view = document.createElement('ck-chat-view');
  view.kit = kit;
  stage.append(view);
  const t0 = now();
  view.conversation = `big@${cfg.domain}`;
  await until(() => shadowAll(view, '[part=message]').length > 0, 'last page');
  await frame();
  const openMs = now() - t0;
  // A long log paints first and numbers its rows (aria-posinset) once a background count ends.
  await until(() => shadowAll(view, '[part=message]').at(-1)?.hasAttribute('aria-posinset'), 'row positions');
  const positionsMs = now() - t0;
  const lastPos = Number(shadowAll(view, '[part=message]').at(-1).getAttribute('aria-posinset'));

  await sleep(300);
  globalThis.gc?.();
  await sleep(100);
  const heapMb = performance.memory ? performance.memory.usedJSHeapSize / 1048576 : NaN;

  // Scroll the whole conversation from the newest message to the oldest, as a fast fling.
  const log = view.shadowRoot.querySelector('[part=log]');
  const frames = [];
  let maxRows = 0;
  let prev = now();
  const started = prev;
  let reachedStart = false;
  let lowest = lastPos;
  while (now() - started < cfg.scrollBudgetMs) {
    log.scrollTop -= cfg.scrollStepPx;
    await frame();
    const t = now();
    frames.push(t - prev);
    prev = t;
    const rows = shadowAll(view, '[part=message]');
    maxRows = Math.max(maxRows, rows.length);
    const first = Number(rows[0]?.getAttribute('aria-posinset'));
    if (first > 0) lowest = Math.min(lowest, first);
    if (rows[0]?.getAttribute('aria-posinset') === '1' && log.scrollTop === 0) {
      reachedStart = true;
      break;
    }
  }
  const result = {
    cached_reload_list_ms: listPaintedMs,
    reload_module_start_ms: moduleStartMs,
    reload_marks: reloadMarks,
    open_conversation_ms: openMs,
    open_last_posinset: lastPos,
    open_positions_ms: positionsMs,
    heap_mb_100k: heapMb,
    history_dom_rows: maxRows,
    scroll_frame_p95_ms: percentile(frames, 95),
    scroll_frames: frames.length,
    scroll_reached_start: reachedStart,
    scroll_messages_covered: lastPos - lowest + 1,
    scroll_seconds: (now() - started) / 1000,
    scroll_step_px: cfg.scrollStepPx,
    connected: online === undefined,
  };
  await kit.close();
  return result;
}

/** 10,000 contacts in the memory store: the picker's first paint and per-keystroke filtering. */
async function contacts({ cfg, count }) {
  const kit = kitFor(cfg, 'memory');
  await kit.openStore(`contacts-${count}`);
  const first = ['Alice', 'Bob', 'Carol', 'Dave', 'Eve', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', '张', '李', '王', '刘', '陈'];
  const last = ['Smith', 'Jones', 'Brown', 'Lee', 'Wang', 'Garcia', 'Miller', 'Davis', '伟', '娜', '强', '敏'];
  const rows = Array.from({ length: count }, (_, i) => ({
    id: `user${i}`,
    jid: `user${i}@${cfg.domain}`,
    name: `${first[i % first.length]} ${last[(i * 7) % last.length]} ${i}`,
    subscription: 'both',
    groups: [],
  }));
  await kit.db.contacts.bulkPut(rows);
  await kit.db.profiles.bulkPut(rows.map((r) => ({ id: r.id, name: r.name, fetchedAt: Date.now() })));
  const picker = document.createElement('ck-contact-picker');
  picker.kit = kit;
  picker.style.height = '640px';
  const t0 = now();
  stage.append(picker);
  await until(() => shadowAll(picker, '[part=item]').length > 0, 'picker rows');
  await frame();
  const firstPaint = now() - t0;
  const domRows = shadowAll(picker, '[part=item]').length;
  const input = picker.shadowRoot.querySelector('[part=search]');
  const times = [];
  const keys = 'alice smith 12'.split('');
  let text = '';
  for (const step of [...keys, ...keys.map(() => null)]) {
    text = step === null ? text.slice(0, -1) : text + step;
    const t = now();
    input.value = text;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    await picker.updateComplete;
    // Work until the new rows are laid out (waiting for the next frame would add idle time).
    void picker.shadowRoot.querySelector('[part=list]')?.offsetHeight;
    times.push(now() - t);
  }
  picker.remove();
  await kit.close();
  return { contacts_first_paint_ms: firstPaint, contacts_filter_p95_ms: percentile(times, 95), contacts_dom_rows: domRows };
}

/** The kit catches up on `count` archived messages after a session that could not resume. */
async function mamKit({ cfg, user, peer, expected }) {
  const kit = kitFor(cfg, 'indexeddb');
  const list = document.createElement('ck-conversation-list');
  list.kit = kit;
  stage.append(list);
  const t0 = now();
  await kit.open(user.username, { password: user.password });
  const conv = `${peer}@${cfg.domain}`;
  await until(async () => (await kit.db.messages.where('[conversationId+ts+seq]').between([conv, -Infinity, -Infinity], [conv, Infinity, Infinity]).count()) >= expected, 'archive stored', 300_000);
  await until(() => shadowAll(list, '[part=preview]').some((p) => p.textContent.includes(`${expected - 2}`)), 'list shows the newest');
  const ms = now() - t0;
  list.remove();
  await kit.close();
  return { mam_10k_ms: ms };
}

/** Opens a kit once so its store has an archive cursor (the start of the next catch-up). */
async function mamPrime({ cfg, user, peer }) {
  const kit = kitFor(cfg, 'indexeddb');
  await kit.open(user.username, { password: user.password });
  await until(async () => (await kit.db.messages.count()) > 0, 'primed');
  await sleep(500);
  await kit.close();
  return { ok: true };
}

/** The same catch-up with a bare @xmpp/client: log in, page through the archive, nothing stored. */
async function mamRaw({ cfg, user, pageSize, expected }) {
  await loadRaw();
  const x = client({ service: cfg.service, domain: cfg.domain, username: user.username, password: user.password, resource: 'raw' });
  x.reconnect.stop();
  x.on('error', () => {});
  const t0 = now();
  await x.start();
  let got = 0;
  x.on('stanza', (s) => {
    if (s.getChild('result', 'urn:xmpp:mam:2')) got++;
  });
  let after;
  for (;;) {
    const set = xml('set', { xmlns: 'http://jabber.org/protocol/rsm' }, xml('max', {}, String(pageSize)));
    if (after) set.append(xml('after', {}, after));
    const res = await x.iqCaller.request(xml('iq', { type: 'set' }, xml('query', { xmlns: 'urn:xmpp:mam:2', queryid: `q${got}` }, set)), 60_000);
    const fin = res.getChild('fin', 'urn:xmpp:mam:2');
    after = fin?.getChild('set', 'http://jabber.org/protocol/rsm')?.getChildText('last');
    if (fin?.attrs.complete === 'true' || !after) break;
  }
  const ms = now() - t0;
  await x.stop();
  return { mam_10k_raw_ms: ms, mam_raw_messages: got, expected };
}

// ---- latency between two pages -------------------------------------------------------------
let latencyKit;
const arrivals = new Map();
/** Diagnostics: when each `lat ` message left this page's socket and reached the other's. */
const frameOut = new Map();
const frameIn = new Map();
const latencyBody = (data) => (typeof data === 'string' ? /<body>(lat \d+)<\/body>/.exec(data)?.[1] : undefined);
const nativeSend = WebSocket.prototype.send;
WebSocket.prototype.send = function (data) {
  const body = latencyBody(data);
  if (body) frameOut.set(body, wall());
  return nativeSend.call(this, data);
};
// The arrival tap listens before any client does (its listener runs first, at the frame's arrival).
window.WebSocket = class extends WebSocket {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', (e) => {
      const got = latencyBody(e.data);
      if (got && !frameIn.has(got)) frameIn.set(got, wall());
    });
  }
};

async function latencyOpen({ cfg, user, peerJid, role }) {
  // The default storage: what an integrator's users get.
  latencyKit = kitFor(cfg, 'indexeddb');
  await latencyKit.open(user.username, { password: user.password });
  if (role === 'receiver') {
    const view = document.createElement('ck-chat-view');
    view.kit = latencyKit;
    view.conversation = peerJid;
    stage.append(view);
    const seen = new Set();
    const observer = new MutationObserver(() => {
      for (const b of shadowAll(view, '[part=bubble]')) {
        const text = b.textContent.trim();
        if (text.startsWith('lat ') && !seen.has(text)) {
          seen.add(text);
          arrivals.set(text, wall());
        }
      }
    });
    await until(() => view.shadowRoot?.querySelector('[part=log]'), 'log');
    observer.observe(view.shadowRoot, { childList: true, subtree: true, characterData: true });
  }
  return { ok: true };
}

async function latencySend({ peerJid, body }) {
  const t = wall();
  await latencyKit.send(peerJid, body);
  return t;
}

const arrivalOf = ({ body }) => arrivals.get(body) ?? null;
const framesOf = ({ body }) => ({ out: frameOut.get(body) ?? null, in: frameIn.get(body) ?? null });

async function latencyClose() {
  await latencyKit?.close();
  return { ok: true };
}

let raw;
const rawArrivals = new Map();
async function rawOpen({ cfg, user }) {
  await loadRaw();
  raw = client({ service: cfg.service, domain: cfg.domain, username: user.username, password: user.password, resource: 'rawlat' });
  raw.reconnect.stop();
  raw.on('error', () => {});
  raw.on('stanza', (s) => {
    const body = s.is('message') ? s.getChildText('body') : null;
    if (body?.startsWith('raw ')) rawArrivals.set(body, wall());
  });
  await raw.start();
  await raw.send(xml('presence'));
  return { ok: true };
}
async function rawSend({ to, body }) {
  const t = wall();
  await raw.send(xml('message', { to, type: 'chat', id: crypto.randomUUID() }, xml('body', {}, body)));
  return t;
}
const rawArrivalOf = ({ body }) => rawArrivals.get(body) ?? null;
async function rawClose() {
  await raw?.stop();
  return { ok: true };
}

window.bench = {
  seedStore,
  reloadAndOpen,
  contacts,
  mamKit,
  mamPrime,
  mamRaw,
  latencyOpen,
  latencySend,
  arrivalOf,
  framesOf,
  latencyClose,
  rawOpen,
  rawSend,
  rawArrivalOf,
  rawClose,
  ready: true,
};

// A reload measurement starts at module evaluation, not when the driver gets around to it.
const params = new URLSearchParams(location.search);
if (params.get('auto') === 'reload') {
  window.benchResult = reloadAndOpen(JSON.parse(params.get('args'))).catch((e) => ({ error: String(e?.stack ?? e) }));
}
