// The chaos harness, shared by `npm run chaos` (test/chaos/run.chaos.ts, 1,000 messages and 50
// disconnects by default) and the short test in `npm test` (test/integration/chaos.test.ts).
//
// Two ChatKit instances (alice and bob, IndexedDB stores) in this page talk through a real
// Prosody while the harness forces disconnects of every kind (see DisconnectKind in
// schedule.ts) and keeps sending during the outages. At the end it waits (bounded) until both
// sides have settled and judges each side's stored log (metrics.ts). Only the kit's public API
// is used: new ChatKit / open / openStore / send / close / reconnectNow / status / ck-status / db.

import { ChatKit } from '../../src/index.js';
import {
  befriend,
  createUsers,
  killServer,
  restartServer,
  startServer,
  stopServer,
  type ServerHandle,
  type TestUser,
} from '../support/server.js';
import { analyse, type Analysis, type ChaosMetrics, type LogEntry } from './metrics.js';
import {
  buildSchedule,
  KINDS,
  messageBody,
  SIDES,
  type ChaosEvent,
  type DisconnectKind,
  type Schedule,
  type Side,
} from './schedule.js';
import { SocketControl, taggedService, type SocketCounts } from './sockets.js';

export interface ChaosOptions {
  seed: number;
  messages: number;
  disconnects: number;
  /** Progress lines (one per event and phase). */
  log?: (line: string) => void;
  /** Longest wait for the cut kits to be online again after one disconnect (default 45 s). */
  recoverTimeoutMs?: number;
  /** Longest wait at the end for both sides to settle (default 60 s). */
  settleTimeoutMs?: number;
  /** Time without any change in either store that counts as settled (default 2 s). */
  quietMs?: number;
  /** Past this, no further disconnects are forced (an error is reported) (default 8 min). */
  budgetMs?: number;
  /** Sets globalThis.XMPP_CHATKIT_DEBUG for the run (the kit's debug lines in the console). */
  kitDebug?: boolean;
  /** Records every WebSocket frame and harness step in `result.trace` (for diagnosis). */
  trace?: boolean;
}

export interface EventReport extends ChaosEvent {
  /** Message number (global) at which it really fired. */
  firedAt: number;
  /** Every cut kit was seen leaving `online` (and, when `recovered`, back). */
  happened: boolean;
  recovered: boolean;
  ms: number;
  notes: string[];
}

export interface ChaosResult {
  metrics: ChaosMetrics;
  seed: number;
  messages: number;
  disconnectsPlanned: number;
  /** Disconnects that happened, per kind. */
  kinds: Record<DisconnectKind, number>;
  events: EventReport[];
  /** How the kits' connections came back (from the WebSocket frames). */
  sockets: Record<Side, SocketCounts>;
  analysis: Analysis;
  /** Anything that went wrong besides the metrics (timeouts, anomalies); empty on a clean run. */
  errors: string[];
  /** Both sides online, nothing pending, everything delivered, and quiet. */
  settled: boolean;
  timings: { setupMs: number; sendMs: number; settleMs: number; totalMs: number };
  /** With `trace`: frames and steps, oldest first. */
  trace?: string[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `check` until true or `timeoutMs`; resolves whether it became true. */
async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 25): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (performance.now() >= deadline) return false;
    await sleep(pollMs);
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/** One user and the kit currently signed in as them (a "reload" replaces the kit). */
class Party {
  kit!: ChatKit;
  /** ck-status events other than `online`, over every kit of this party. */
  downs = 0;
  /** Recent statuses with times (for error messages). */
  readonly trail: string[] = [];

  constructor(
    readonly name: Side,
    readonly user: TestUser,
    readonly peer: TestUser,
    private readonly server: ServerHandle,
    private readonly started: number,
    private readonly onError: (message: string) => void,
    private readonly note: (line: string) => void,
  ) {}

  get conversationId(): string {
    return this.peer.jid;
  }

  makeKit(): ChatKit {
    const kit = new ChatKit({
      service: taggedService(this.server.service, this.name),
      domain: this.server.domain,
      storage: 'indexeddb',
      locale: 'en',
    });
    kit.addEventListener('ck-status', (e) => {
      if (e.status !== 'online') this.downs++;
      this.trail.push(`${((performance.now() - this.started) / 1000).toFixed(1)}s:${e.status}`);
      this.note(`status ${e.status}${kit === this.kit ? '' : ' (replaced kit)'}`);
      if (this.trail.length > 12) this.trail.shift();
    });
    return kit;
  }

  /** Signs in with a new kit; resolves when online (bounded). */
  async open(timeoutMs: number): Promise<void> {
    this.kit = this.makeKit();
    await withTimeout(this.kit.open(this.user.username, { password: this.user.password }), timeoutMs, `${this.name} signing in`);
  }

  /**
   * A page reload: the kit is closed, a new one paints from the same store (sends work at once,
   * queued), then signs in. `whileOffline` runs between the two. Does not wait for online.
   */
  async reload(whileOffline: () => Promise<void>): Promise<void> {
    await this.kit.close();
    const kit = this.makeKit();
    this.kit = kit;
    await kit.openStore(this.user.username);
    await whileOffline();
    kit.open(this.user.username, { password: this.user.password }).catch((err: unknown) => {
      if (this.kit === kit) this.onError(`${this.name}: open after reload failed: ${errorText(err)}`);
    });
  }

  /** This side's log of the conversation, in log order (the index [conversationId+ts+seq]). */
  async log(): Promise<{ entries: LogEntry[]; stray: number }> {
    const db = this.kit.db;
    if (!db) return { entries: [], stray: 0 };
    const c = this.conversationId;
    const rows = await db.messages
      .where('[conversationId+ts+seq]')
      .between([c, -Infinity, -Infinity], [c, Infinity, Infinity])
      .toArray();
    const total = await db.messages.count();
    return { entries: rows.map((r) => ({ own: r.own, body: r.body, state: r.state })), stray: total - rows.length };
  }

  describe(): string {
    return `${this.name} status=${this.kit.status} trail=[${this.trail.join(' ')}]`;
  }
}

function describeEvent(e: ChaosEvent): string {
  const parts = [`${e.kind}`, `targets=${e.targets.join('+')}`, `outageSends=${e.outageSends}`];
  if (e.kind === 'drop') parts.push(e.silentMs > 0 ? `silent=${e.silentMs}ms` : 'abrupt');
  if (e.kind === 'kill') parts.push(`down=+${e.downMs}ms`);
  if (e.kind === 'kill' || e.kind === 'restart') parts.push(e.reconnectNow ? 'reconnectNow' : 'backoff');
  return parts.join(' ');
}

export async function runChaos(options: ChaosOptions): Promise<ChaosResult> {
  const { seed, messages, disconnects } = options;
  const sockets = new SocketControl({ trace: options.trace ?? false });
  const log = (line: string): void => {
    sockets.note('harness', line);
    options.log?.(line);
  };
  const recoverTimeoutMs = options.recoverTimeoutMs ?? 45_000;
  const settleTimeoutMs = options.settleTimeoutMs ?? 60_000;
  const quietMs = options.quietMs ?? 2_000;
  const budgetMs = options.budgetMs ?? 8 * 60_000;
  const schedule: Schedule = buildSchedule(seed, messages, disconnects);
  const t0 = performance.now();
  const since = () => `${((performance.now() - t0) / 1000).toFixed(1)}s`;
  const errors: string[] = [];
  const error = (message: string) => {
    errors.push(message);
    log(`ERROR ${message}`);
  };
  const debugBefore = (globalThis as { XMPP_CHATKIT_DEBUG?: boolean }).XMPP_CHATKIT_DEBUG;
  if (options.kitDebug) (globalThis as { XMPP_CHATKIT_DEBUG?: boolean }).XMPP_CHATKIT_DEBUG = true;

  sockets.install();
  let server: ServerHandle | undefined;
  let parties: Record<Side, Party> | undefined;
  try {
    server = await startServer();
    const srv = server;
    const [alice, bob] = await createUsers(srv, 2, 'chaos');
    await befriend(srv, alice!, bob!);
    const p: Record<Side, Party> = {
      alice: new Party('alice', alice!, bob!, srv, t0, error, (line) => sockets.note('alice', line)),
      bob: new Party('bob', bob!, alice!, srv, t0, error, (line) => sockets.note('bob', line)),
    };
    parties = p;
    await Promise.all(SIDES.map((s) => p[s].open(30_000)));
    const setupMs = performance.now() - t0;
    log(`${since()} setup done: ${alice!.username} and ${bob!.username} online on ${srv.service}`);

    // ---- sending, with disconnects -------------------------------------------------------
    const counters: Record<Side, number> = { alice: 0, bob: 0 };
    const sent: Record<Side, number[]> = { alice: [], bob: [] };
    let next = 0;
    const sendNext = async (): Promise<void> => {
      const g = next++;
      const sender = schedule.order[g]!;
      const n = ++counters[sender];
      sockets.note('harness', `send ${sender}#${n} (status ${p[sender].kit.status})`);
      try {
        await p[sender].kit.send(p[sender].conversationId, messageBody(sender, n, g, seed));
        sent[sender].push(n);
      } catch (err) {
        error(`${sender}#${n}: kit.send threw ${errorText(err)} (${p[sender].describe()})`);
      }
      const pause = schedule.pauses[g] ?? 0;
      if (pause > 0) await sleep(pause);
    };
    const sendUpTo = async (limit: number): Promise<void> => {
      while (next < Math.min(limit, messages)) await sendNext();
    };

    const forceDisconnect = async (e: ChaosEvent): Promise<EventReport> => {
      const started = performance.now();
      const firedAt = next;
      const before: Record<Side, number> = { alice: p.alice.downs, bob: p.bob.downs };
      const notes: string[] = [];
      try {
        switch (e.kind) {
          case 'drop': {
            for (const t of e.targets) {
              const ok = e.silentMs > 0 ? sockets.silence(t) : sockets.drop(t);
              if (!ok) notes.push(`${t}: no open socket to cut`);
            }
            const silentUntil = performance.now() + e.silentMs;
            await sendUpTo(next + e.outageSends);
            if (e.silentMs > 0) {
              await sleep(Math.max(0, silentUntil - performance.now()));
              for (const t of e.targets) if (!sockets.drop(t)) notes.push(`${t}: silenced socket already gone`);
            }
            break;
          }
          case 'restart': {
            const restarting = restartServer(srv);
            await sendUpTo(next + e.outageSends);
            await restarting;
            break;
          }
          case 'kill': {
            await killServer(srv);
            await sendUpTo(next + e.outageSends);
            await sleep(e.downMs);
            await restartServer(srv);
            break;
          }
          case 'reload': {
            await p[e.targets[0]!].reload(() => sendUpTo(next + e.outageSends));
            break;
          }
        }
        if (e.reconnectNow && (e.kind === 'restart' || e.kind === 'kill')) for (const s of SIDES) p[s].kit.reconnectNow();
      } catch (err) {
        error(`disconnect ${e.index + 1} (${e.kind}): ${errorText(err)}`);
      }
      const recovered = await waitFor(
        () => e.targets.every((t) => p[t].downs > before[t] && p[t].kit.status === 'online'),
        recoverTimeoutMs,
      );
      const happened = e.targets.every((t) => p[t].downs > before[t]);
      if (!recovered) {
        error(
          `disconnect ${e.index + 1} (${describeEvent(e)}, at message ${firedAt}): ` +
            `${happened ? 'not back online' : 'never went offline'} within ${recoverTimeoutMs} ms: ` +
            e.targets.map((t) => p[t].describe()).join('; '),
        );
      }
      const ms = Math.round(performance.now() - started);
      log(`${since()} disconnect ${e.index + 1}/${schedule.events.length} at message ${firedAt}: ${describeEvent(e)} -> ${recovered ? 'back' : 'NOT BACK'} in ${ms} ms${notes.length ? ` (${notes.join('; ')})` : ''}`);
      return { ...e, targets: [...e.targets], firedAt, happened, recovered, ms, notes };
    };

    const reports: EventReport[] = [];
    const sendStarted = performance.now();
    for (const event of schedule.events) {
      await sendUpTo(event.at);
      if (performance.now() - t0 > budgetMs) {
        error(`time budget of ${budgetMs} ms spent: disconnects ${event.index + 1}..${schedule.events.length} not forced`);
        break;
      }
      reports.push(await forceDisconnect(event));
    }
    await sendUpTo(messages);
    const sendMs = performance.now() - sendStarted;
    log(`${since()} all ${messages} messages handed to the kits; settling`);

    // ---- settling ------------------------------------------------------------------------
    const settleStarted = performance.now();
    let settled = false;
    let signature = '';
    let quietSince = performance.now();
    let logs: Record<Side, LogEntry[]> = { alice: [], bob: [] };
    let stray: Record<Side, number> = { alice: 0, bob: 0 };
    for (;;) {
      const [a, b] = await Promise.all([p.alice.log(), p.bob.log()]);
      logs = { alice: a.entries, bob: b.entries };
      stray = { alice: a.stray, bob: b.stray };
      const current = analyse({ sent, logs, disconnects: 0 });
      const online = SIDES.every((s) => p[s].kit.status === 'online');
      const sig = JSON.stringify([online, current.logs.map((l) => [l.records, l.ownStates])]);
      if (sig !== signature) {
        signature = sig;
        quietSince = performance.now();
      }
      const quiet = performance.now() - quietSince;
      const pending = current.logs.some((l) => (l.ownStates.pending ?? 0) > 0);
      if (online && current.metrics.lost === 0 && quiet >= quietMs) {
        settled = true;
        break;
      }
      // Nothing pending and nothing moving for long: waiting more cannot change the outcome.
      if (online && !pending && quiet >= Math.max(10_000, quietMs * 5)) break;
      if (performance.now() - settleStarted > settleTimeoutMs) break;
      await sleep(250);
    }
    const settleMs = performance.now() - settleStarted;
    if (!settled) {
      error(`not settled after ${Math.round(settleMs)} ms: ${SIDES.map((s) => p[s].describe()).join('; ')}`);
    }

    // ---- judging -------------------------------------------------------------------------
    const happened = reports.filter((r) => r.happened);
    const analysis = analyse({ sent, logs, disconnects: happened.length });
    const kinds = Object.fromEntries(KINDS.map((k) => [k, happened.filter((r) => r.kind === k).length])) as Record<DisconnectKind, number>;
    if (happened.length < schedule.events.length) {
      error(`${schedule.events.length - happened.length} of ${schedule.events.length} planned disconnects did not happen`);
    }
    for (const l of analysis.logs) {
      if (l.misattributed.length) error(`${l.side}'s log: own flag contradicts the sender: ${l.misattributed.join(', ')}`);
      if (l.phantom.length) error(`${l.side}'s log: messages never sent: ${l.phantom.join(', ')}`);
      if (l.foreign.length) error(`${l.side}'s log: records that are no chaos message: ${l.foreign.join(' | ')}`);
    }
    for (const s of SIDES) if (stray[s] > 0) error(`${s}'s store: ${stray[s]} message records outside the conversation`);

    const totalMs = performance.now() - t0;
    return {
      metrics: analysis.metrics,
      seed,
      messages,
      disconnectsPlanned: schedule.events.length,
      kinds,
      events: reports,
      sockets: { alice: sockets.counts('alice'), bob: sockets.counts('bob') },
      analysis,
      errors,
      settled,
      timings: { setupMs: Math.round(setupMs), sendMs: Math.round(sendMs), settleMs: Math.round(settleMs), totalMs: Math.round(totalMs) },
      ...(sockets.trace ? { trace: sockets.trace } : {}),
    };
  } finally {
    if (parties) {
      const ps = parties;
      await Promise.all(
        SIDES.map(async (s) => {
          const kit = ps[s].kit;
          const db = kit.db;
          await withTimeout(kit.close(), 10_000, `closing ${s}`).catch(() => undefined);
          await db?.delete().catch(() => undefined);
        }),
      );
    }
    if (server) await stopServer(server).catch(() => undefined);
    sockets.uninstall();
    (globalThis as { XMPP_CHATKIT_DEBUG?: boolean }).XMPP_CHATKIT_DEBUG = debugBefore;
  }
}

/** A one-paragraph account of a result, for logs and assertion messages. */
export function summarize(r: ChaosResult): string {
  const lines = [
    `seed=${r.seed} messages=${r.messages} disconnects=${r.metrics.disconnects}/${r.disconnectsPlanned} ` +
      `(${KINDS.map((k) => `${k} ${r.kinds[k]}`).join(', ')}) settled=${r.settled} ` +
      `time=${(r.timings.totalMs / 1000).toFixed(1)}s (setup ${(r.timings.setupMs / 1000).toFixed(1)}s, send ${(r.timings.sendMs / 1000).toFixed(1)}s, settle ${(r.timings.settleMs / 1000).toFixed(1)}s)`,
    `reproduce: CHAOS_SEED=${r.seed} CHAOS_MESSAGES=${r.messages} CHAOS_DISCONNECTS=${r.disconnectsPlanned} npm run chaos`,
  ];
  for (const s of SIDES) {
    const c = r.sockets[s];
    lines.push(
      `${s} connections: sockets ${c.sockets}, new sessions ${c.enabled}, resume requests ${c.resumeRequests}, resumed ${c.resumed}, ` +
        `resume refused ${c.resumeFailed}, stream errors ${JSON.stringify(c.streamErrors)}, drops ${c.drops} (close unanswered ${c.unansweredCloses}), ` +
        `frames silenced in/out ${c.silencedIn}/${c.silencedOut}`,
    );
  }
  for (const d of r.analysis.directions) {
    lines.push(
      `${d.direction}: sent ${d.sent}, received ${d.received}, lost ${d.lost}` +
        (d.missing.length ? `; missing at receiver: ${d.missing.slice(0, 20).join(',')}${d.missing.length > 20 ? '…' : ''}` : '') +
        (d.stuck.length ? `; stuck at sender: ${d.stuck.slice(0, 20).join(',')}${d.stuck.length > 20 ? '…' : ''}` : '') +
        (d.ownMissing.length ? `; gone from sender's log: ${d.ownMissing.slice(0, 20).join(',')}` : ''),
    );
  }
  for (const l of r.analysis.logs) {
    lines.push(
      `${l.side}'s log: ${l.records} records, own states ${JSON.stringify(l.ownStates)}, duplicated ${l.duplicated}` +
        (l.duplicates.length ? ` (${l.duplicates.join(', ')})` : '') +
        `, reordered pairs alice ${l.inversions.alice} bob ${l.inversions.bob}` +
        (l.inversionExamples.length ? ` (${l.inversionExamples.slice(0, 10).join('; ')})` : ''),
    );
  }
  for (const e of r.errors) lines.push(`error: ${e}`);
  return lines.join('\n');
}
