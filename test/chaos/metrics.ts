// The chaos run's judge: from what each side sent and each side's stored log (in log order,
// the index [conversationId+ts+seq]) it computes the numbers the run is graded on. Pure.

import { parseBody, peerOf, SIDES, type Side } from './schedule.js';

/** What the judge needs of a stored message record. */
export interface LogEntry {
  own: boolean;
  body: string;
  state: string;
}

export interface ChaosMetrics {
  /** Messages both sides sent (kit.send resolved), total. */
  sent: number;
  /** Distinct messages of the peer present in each receiver's log, total. */
  received: number;
  /** Sent but never in the receiver's log, or left pending/failed (or missing) in the sender's own log. */
  lost: number;
  /** Extra copies of one logical message (sender + sequence number), in either log. */
  duplicated: number;
  /** Pairs of one sender's messages that appear against that sender's send order, in either log. */
  reordered: number;
  /** Disconnects forced (and observed) during the run. */
  disconnects: number;
}

export interface AnalysisInput {
  /** Sequence numbers each side sent, in send order. */
  sent: Record<Side, readonly number[]>;
  /** Each side's log of its conversation with the other, in log order. */
  logs: Record<Side, readonly LogEntry[]>;
  disconnects: number;
}

const SAMPLE = 20;

export interface DirectionDetails {
  /** `alice->bob`. */
  direction: string;
  sent: number;
  received: number;
  /** Sequence numbers never seen by the receiver. */
  missing: number[];
  /** Own records still pending or failed at the sender (n:state). */
  stuck: string[];
  /** Own records the sender's log does not hold at all. */
  ownMissing: number[];
  lost: number;
}

export interface LogDetails {
  side: Side;
  records: number;
  /** Count per state of own records. */
  ownStates: Record<string, number>;
  /** n (sender) x count, for messages stored more than once. */
  duplicates: string[];
  duplicated: number;
  /** Inverted pairs per sender, and a few examples ("bob#7 before bob#5"). */
  inversions: Record<Side, number>;
  inversionExamples: string[];
  /** Records whose body is not a chaos message, or whose `own` flag contradicts the body. */
  foreign: string[];
  misattributed: string[];
  /** Sequence numbers in this log that the sender never sent. */
  phantom: string[];
}

export interface Analysis {
  metrics: ChaosMetrics;
  directions: DirectionDetails[];
  logs: LogDetails[];
}

/** Inverted pairs in a sequence (i < j with a[i] > a[j]); O(n log n) by merge sort. */
export function countInversions(values: readonly number[]): number {
  const a = [...values];
  const tmp = new Array<number>(a.length);
  let count = 0;
  for (let width = 1; width < a.length; width *= 2) {
    for (let lo = 0; lo < a.length - width; lo += 2 * width) {
      const mid = lo + width;
      const hi = Math.min(lo + 2 * width, a.length);
      let i = lo;
      let j = mid;
      let k = lo;
      while (i < mid && j < hi) {
        if (a[i]! <= a[j]!) tmp[k++] = a[i++]!;
        else {
          count += mid - i;
          tmp[k++] = a[j++]!;
        }
      }
      while (i < mid) tmp[k++] = a[i++]!;
      while (j < hi) tmp[k++] = a[j++]!;
      for (let x = lo; x < hi; x++) a[x] = tmp[x]!;
    }
  }
  return count;
}

/** Adjacent descents, as readable examples of a reordering. */
function descents(values: readonly number[], sender: Side): string[] {
  const out: string[] = [];
  for (let i = 1; i < values.length && out.length < SAMPLE; i++) {
    if (values[i]! < values[i - 1]!) out.push(`${sender}#${values[i - 1]} before ${sender}#${values[i]}`);
  }
  return out;
}

function analyseLog(side: Side, log: readonly LogEntry[], sent: AnalysisInput['sent']): LogDetails {
  const details: LogDetails = {
    side,
    records: log.length,
    ownStates: {},
    duplicates: [],
    duplicated: 0,
    inversions: { alice: 0, bob: 0 },
    inversionExamples: [],
    foreign: [],
    misattributed: [],
    phantom: [],
  };
  const sentSets = { alice: new Set(sent.alice), bob: new Set(sent.bob) };
  const copies = new Map<string, number>();
  const firstOrder: Record<Side, number[]> = { alice: [], bob: [] };
  for (const entry of log) {
    if (entry.own) details.ownStates[entry.state] = (details.ownStates[entry.state] ?? 0) + 1;
    const id = parseBody(entry.body);
    if (!id) {
      if (details.foreign.length < SAMPLE) details.foreign.push(entry.body.slice(0, 80));
      continue;
    }
    if (entry.own !== (id.sender === side) && details.misattributed.length < SAMPLE) {
      details.misattributed.push(`${id.sender}#${id.n} stored with own=${entry.own}`);
    }
    if (!sentSets[id.sender].has(id.n) && details.phantom.length < SAMPLE) details.phantom.push(`${id.sender}#${id.n}`);
    const key = `${id.sender}#${id.n}`;
    const seen = copies.get(key) ?? 0;
    copies.set(key, seen + 1);
    // Order is judged on first appearances; later copies are counted as duplicates instead.
    if (seen === 0) firstOrder[id.sender].push(id.n);
  }
  for (const [key, count] of copies) {
    if (count > 1) {
      details.duplicated += count - 1;
      if (details.duplicates.length < SAMPLE) details.duplicates.push(`${key} x${count}`);
    }
  }
  for (const sender of SIDES) {
    details.inversions[sender] = countInversions(firstOrder[sender]);
    if (details.inversions[sender] > 0) details.inversionExamples.push(...descents(firstOrder[sender], sender));
  }
  return details;
}

export function analyse(input: AnalysisInput): Analysis {
  const logs = SIDES.map((side) => analyseLog(side, input.logs[side], input.sent));
  const directions = SIDES.map((sender): DirectionDetails => {
    const receiver = peerOf(sender);
    const atReceiver = new Set<number>();
    for (const entry of input.logs[receiver]) {
      const id = parseBody(entry.body);
      if (id && id.sender === sender && !entry.own) atReceiver.add(id.n);
    }
    const ownState = new Map<number, string>();
    for (const entry of input.logs[sender]) {
      const id = parseBody(entry.body);
      // The best state of any copy (a duplicate is counted elsewhere).
      if (!id || id.sender !== sender || !entry.own) continue;
      const previous = ownState.get(id.n);
      if (previous === undefined || isStuck(previous)) ownState.set(id.n, entry.state);
    }
    const details: DirectionDetails = {
      direction: `${sender}->${receiver}`,
      sent: input.sent[sender].length,
      received: 0,
      missing: [],
      stuck: [],
      ownMissing: [],
      lost: 0,
    };
    for (const n of new Set(input.sent[sender])) {
      const received = atReceiver.has(n);
      const state = ownState.get(n);
      if (received) details.received++;
      else details.missing.push(n);
      if (state === undefined) details.ownMissing.push(n);
      else if (isStuck(state)) details.stuck.push(`${n}:${state}`);
      if (!received || state === undefined || isStuck(state)) details.lost++;
    }
    return details;
  });
  const metrics: ChaosMetrics = {
    sent: input.sent.alice.length + input.sent.bob.length,
    received: directions.reduce((s, d) => s + d.received, 0),
    lost: directions.reduce((s, d) => s + d.lost, 0),
    duplicated: logs.reduce((s, l) => s + l.duplicated, 0),
    reordered: logs.reduce((s, l) => s + l.inversions.alice + l.inversions.bob, 0),
    disconnects: input.disconnects,
  };
  return { metrics, directions, logs };
}

function isStuck(state: string): boolean {
  return state === 'pending' || state === 'failed';
}

/** The one JSON line the run prints: exactly these keys, in this order. */
export function metricsLine(m: ChaosMetrics): string {
  return JSON.stringify({
    sent: m.sent,
    received: m.received,
    lost: m.lost,
    duplicated: m.duplicated,
    reordered: m.reordered,
    disconnects: m.disconnects,
  });
}
