// The chaos run's plan, a pure function of (seed, messages, disconnects): who sends each
// message, the pauses between sends, and where each forced disconnect happens with all its
// parameters. Timing at run time still varies, but the plan itself is reproducible from the
// printed seed (CHAOS_SEED=<seed> CHAOS_MESSAGES=<n> CHAOS_DISCONNECTS=<n> npm run chaos).
import { rng } from '../support/random.js';

export type Side = 'alice' | 'bob';
export const SIDES: readonly Side[] = ['alice', 'bob'];

export function peerOf(side: Side): Side {
  return side === 'alice' ? 'bob' : 'alice';
}

/**
 * - `drop`: a client's WebSocket goes away without an XMPP stream close (abruptly, or after a
 *   "silent" period in which frames in both directions are lost); XEP-0198 should resume.
 * - `restart`: Prosody is stopped gracefully and started again (no session can resume).
 * - `kill`: Prosody is SIGKILLed, stays down a while, then starts again.
 * - `reload`: a kit is closed and a new one opens on the same IndexedDB store.
 * Every kind sends messages during the outage.
 */
export type DisconnectKind = 'drop' | 'restart' | 'kill' | 'reload';
export const KINDS: readonly DisconnectKind[] = ['drop', 'restart', 'kill', 'reload'];

export interface ChaosEvent {
  /** 0-based event number. */
  index: number;
  /** Fired before message number `at` (0-based, global send order) is sent. */
  at: number;
  kind: DisconnectKind;
  /** Kits whose connection is cut: one or both for drop, one for reload, both otherwise. */
  targets: Side[];
  /** drop only: ms during which the socket silently loses frames before it closes (0: abrupt). */
  silentMs: number;
  /** kill only: extra ms the server stays down after the outage sends. */
  downMs: number;
  /** Messages (next in the global order, either side) sent during the outage. */
  outageSends: number;
  /** restart/kill: call kit.reconnectNow() once the server is back (else the kit's backoff runs). */
  reconnectNow: boolean;
}

export interface Schedule {
  seed: number;
  messages: number;
  /** Sender of each message, in global send order (balanced: half each, interleaved at random). */
  order: Side[];
  /** ms to wait after sending each message (mostly 0). */
  pauses: number[];
  events: ChaosEvent[];
}


export function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0]!;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

function int(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

export function buildSchedule(seed: number, messages: number, disconnects: number): Schedule {
  if (!Number.isInteger(messages) || messages < 2) throw new Error(`messages must be an integer >= 2 (got ${messages})`);
  if (!Number.isInteger(disconnects) || disconnects < 0) throw new Error(`disconnects must be an integer >= 0 (got ${disconnects})`);
  if (disconnects > messages - 1) throw new Error(`at most ${messages - 1} disconnects for ${messages} messages`);
  const random = rng(seed);

  const order = shuffle(
    Array.from({ length: messages }, (_, i): Side => (i < Math.ceil(messages / 2) ? 'alice' : 'bob')),
    random,
  );
  // Mostly back-to-back sends (bursts that race each other), some short gaps.
  const pauses = order.map(() => {
    const r = random();
    return r < 0.7 ? 0 : r < 0.9 ? int(random, 1, 10) : int(random, 10, 40);
  });

  // Every kind at least once (when there are enough events), the rest weighted towards drops.
  const kinds: DisconnectKind[] = KINDS.slice(0, Math.min(disconnects, KINDS.length));
  while (kinds.length < disconnects) {
    const r = random();
    kinds.push(r < 0.4 ? 'drop' : r < 0.6 ? 'restart' : r < 0.8 ? 'kill' : 'reload');
  }
  shuffle(kinds, random);

  // Events spread evenly over the messages, jittered within their slot; the outage sends of
  // one event stay inside its slot, so events do not overlap in the plan.
  const slot = messages / (disconnects + 1);
  const events: ChaosEvent[] = kinds.map((kind, index) => {
    const centre = (index + 1) * slot;
    const jitter = Math.floor(slot / 4);
    const at = Math.min(messages - 1, Math.max(1, Math.round(centre) + int(random, -jitter, jitter)));
    const maxSends = Math.max(0, Math.min(6, Math.floor(slot / 2)));
    const who = random();
    const one: Side = random() < 0.5 ? 'alice' : 'bob';
    const targets: Side[] = kind === 'drop' ? (who < 0.25 ? ['alice', 'bob'] : [one]) : kind === 'reload' ? [one] : ['alice', 'bob'];
    return {
      index,
      at,
      kind,
      targets,
      silentMs: kind === 'drop' && random() < 0.5 ? int(random, 100, 800) : 0,
      downMs: kind === 'kill' ? int(random, 0, 800) : 0,
      outageSends: int(random, Math.min(1, maxSends), maxSends),
      reconnectNow: random() < 0.5,
    };
  });
  // Keep positions strictly increasing (jitter can make neighbours meet when slots are small).
  for (let i = 1; i < events.length; i++) {
    if (events[i]!.at <= events[i - 1]!.at) events[i]!.at = events[i - 1]!.at + 1;
  }
  return { seed, messages, order, pauses, events };
}

/** Body of message `n` (1-based, per sender) of `sender`: sender and sequence number first. */
export function messageBody(sender: Side, n: number, global: number, seed: number): string {
  return `${sender}#${n} @${global} seed=${seed}`;
}

export function parseBody(body: string): { sender: Side; n: number } | null {
  const m = /^(alice|bob)#(\d+) /.exec(body);
  return m ? { sender: m[1] as Side, n: Number(m[2]) } : null;
}
