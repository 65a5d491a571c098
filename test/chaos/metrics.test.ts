// The chaos judge (test/chaos/metrics.ts) and plan (schedule.ts) on synthetic data: a judge that
// miscounts would make every chaos run meaningless.

import { expect } from '@open-wc/testing';
import { analyse, countInversions, metricsLine, type LogEntry } from './metrics.js';
import { buildSchedule, KINDS, messageBody, parseBody, type Side } from './schedule.js';

const own = (sender: Side, n: number, state = 'delivered'): LogEntry => ({ own: true, body: messageBody(sender, n, 0, 1), state });
const peer = (sender: Side, n: number): LogEntry => ({ own: false, body: messageBody(sender, n, 0, 1), state: 'received' });

describe('chaos judge', () => {
  it('counts inverted pairs', () => {
    expect(countInversions([])).to.equal(0);
    expect(countInversions([1, 2, 3, 4])).to.equal(0);
    expect(countInversions([2, 1])).to.equal(1);
    expect(countInversions([4, 3, 2, 1])).to.equal(6);
    expect(countInversions([1, 5, 2, 3, 4])).to.equal(3);
    const values = Array.from({ length: 300 }, (_, i) => (i * 7919) % 300);
    let brute = 0;
    for (let i = 0; i < values.length; i++) for (let j = i + 1; j < values.length; j++) if (values[i]! > values[j]!) brute++;
    expect(countInversions(values)).to.equal(brute);
  });

  it('a clean exchange is all zeros; own and peer messages may interleave freely', () => {
    const a = analyse({
      sent: { alice: [1, 2], bob: [1, 2] },
      logs: {
        alice: [own('alice', 1), peer('bob', 1), own('alice', 2), peer('bob', 2)],
        bob: [peer('alice', 1), peer('alice', 2), own('bob', 1), own('bob', 2)],
      },
      disconnects: 3,
    });
    expect(JSON.parse(metricsLine(a.metrics))).to.deep.equal({ sent: 4, received: 4, lost: 0, duplicated: 0, reordered: 0, disconnects: 3 });
    expect(Object.keys(JSON.parse(metricsLine(a.metrics)))).to.deep.equal(['sent', 'received', 'lost', 'duplicated', 'reordered', 'disconnects']);
  });

  it('lost: missing at the receiver, or left pending/failed/missing at the sender, each message once', () => {
    const a = analyse({
      sent: { alice: [1, 2, 3, 4], bob: [] },
      logs: {
        // alice#2 never reached bob; alice#3 reached him but alice's copy is stuck pending;
        // alice#4 is gone from alice's own log.
        alice: [own('alice', 1), own('alice', 2, 'failed'), own('alice', 3, 'pending')],
        bob: [peer('alice', 1), peer('alice', 3), peer('alice', 4)],
      },
      disconnects: 0,
    });
    expect(a.metrics.sent).to.equal(4);
    expect(a.metrics.received).to.equal(3);
    expect(a.metrics.lost).to.equal(3);
    const d = a.directions.find((x) => x.direction === 'alice->bob')!;
    expect(d.missing).to.deep.equal([2]);
    expect(d.stuck).to.deep.equal(['2:failed', '3:pending']);
    expect(d.ownMissing).to.deep.equal([4]);
  });

  it('duplicated counts extra copies in either log; order is judged on first copies', () => {
    const a = analyse({
      sent: { alice: [1, 2], bob: [1] },
      logs: {
        alice: [own('alice', 1), own('alice', 1), own('alice', 2), peer('bob', 1)],
        bob: [peer('alice', 1), peer('alice', 2), peer('alice', 1), peer('alice', 1), own('bob', 1)],
      },
      disconnects: 0,
    });
    expect(a.metrics.duplicated).to.equal(3);
    expect(a.metrics.reordered).to.equal(0);
    expect(a.metrics.lost).to.equal(0);
  });

  it('reordered counts inverted pairs per sender, in both logs', () => {
    const a = analyse({
      sent: { alice: [1, 2, 3], bob: [1, 2] },
      logs: {
        alice: [own('alice', 1), own('alice', 3), own('alice', 2), peer('bob', 1), peer('bob', 2)],
        bob: [peer('alice', 3), peer('alice', 1), peer('alice', 2), own('bob', 2), own('bob', 1)],
      },
      disconnects: 0,
    });
    // alice's log: (3,2) = 1. bob's log: alice (3,1),(3,2) = 2, bob (2,1) = 1.
    expect(a.metrics.reordered).to.equal(4);
    expect(a.logs.find((l) => l.side === 'bob')!.inversionExamples).to.include('alice#3 before alice#1');
  });

  it('flags records that contradict the body or were never sent', () => {
    const a = analyse({
      sent: { alice: [1], bob: [] },
      logs: { alice: [own('alice', 1)], bob: [peer('alice', 1), own('alice', 1), peer('alice', 9), { own: false, body: 'hello', state: 'received' }] },
      disconnects: 0,
    });
    const bob = a.logs.find((l) => l.side === 'bob')!;
    expect(bob.misattributed).to.deep.equal(['alice#1 stored with own=true']);
    expect(bob.phantom).to.deep.equal(['alice#9']);
    expect(bob.foreign).to.deep.equal(['hello']);
  });
});

describe('chaos plan', () => {
  it('is a pure function of the seed', () => {
    expect(buildSchedule(42, 200, 12)).to.deep.equal(buildSchedule(42, 200, 12));
    expect(buildSchedule(42, 200, 12)).to.not.deep.equal(buildSchedule(43, 200, 12));
  });

  it('balances senders, has every kind, and keeps events in order inside the run', () => {
    for (const seed of [1, 2, 3, 99, 123456789]) {
      const s = buildSchedule(seed, 1000, 50);
      expect(s.order.filter((x) => x === 'alice').length).to.equal(500);
      expect(s.events.length).to.equal(50);
      for (const k of KINDS) expect(s.events.some((e) => e.kind === k), `seed ${seed} has ${k}`).to.equal(true);
      for (let i = 1; i < s.events.length; i++) expect(s.events[i]!.at).to.be.greaterThan(s.events[i - 1]!.at);
      for (const e of s.events) {
        expect(e.at).to.be.within(1, 999);
        expect(e.outageSends).to.be.within(1, 6);
      }
    }
    const short = buildSchedule(7, 120, 8);
    for (const k of KINDS) expect(short.events.some((e) => e.kind === k)).to.equal(true);
  });

  it('bodies carry sender and sequence number', () => {
    expect(parseBody(messageBody('bob', 17, 33, 5))).to.deep.equal({ sender: 'bob', n: 17 });
    expect(parseBody('bob#x')).to.equal(null);
  });
});
