// The stand-in for Node's `events` in the single-file build: the behaviour @xmpp/client and
// ltx rely on (their own tests run against the real package).
import { expect } from '@open-wc/testing';
import { EventEmitter } from '../../src/protocol/node-events.js';

describe('EventEmitter stand-in', () => {
  it('calls listeners in order with the arguments and reports whether any ran', () => {
    const e = new EventEmitter();
    const seen: unknown[] = [];
    e.on('x', (a, b) => seen.push(['first', a, b]));
    e.addListener('x', (a) => seen.push(['second', a]));
    e.prependListener('x', () => seen.push(['zeroth']));
    expect(e.emit('x', 1, 2)).to.equal(true);
    expect(e.emit('none')).to.equal(false);
    expect(seen).to.deep.equal([['zeroth'], ['first', 1, 2], ['second', 1]]);
    expect(e.listenerCount('x')).to.equal(3);
  });

  it('runs a once listener once, and removes it by the function it wraps', () => {
    const e = new EventEmitter();
    let n = 0;
    const inc = (): void => void n++;
    e.once('x', inc);
    e.emit('x');
    e.emit('x');
    expect(n).to.equal(1);
    e.once('y', inc);
    expect(e.listeners('y')).to.deep.equal([inc]);
    e.off('y', inc);
    expect(e.emit('y')).to.equal(false);
    expect(e.listenerCount('y')).to.equal(0);
  });

  it('removes a listener during emit without skipping the others', () => {
    const e = new EventEmitter();
    const seen: string[] = [];
    const a = (): void => {
      seen.push('a');
      e.removeListener('x', b);
    };
    const b = (): void => void seen.push('b');
    e.on('x', a).on('x', b);
    e.emit('x');
    e.emit('x');
    expect(seen).to.deep.equal(['a', 'b', 'a']);
  });

  it('throws an unhandled error and hands a handled one to its listener', () => {
    const e = new EventEmitter();
    const boom = new Error('boom');
    expect(() => e.emit('error', boom)).to.throw('boom');
    expect(() => e.emit('error', 'text')).to.throw(/Unhandled error/);
    const got: unknown[] = [];
    e.on('error', (err) => got.push(err));
    e.emit('error', boom);
    expect(got).to.deep.equal([boom]);
  });

  it('clears one event or all, and works as a base class', () => {
    class Parser extends EventEmitter {
      write(text: string): void {
        this.emit('text', text);
      }
    }
    const p = new Parser();
    const seen: unknown[] = [];
    p.on('text', (t) => seen.push(t)).on('end', () => seen.push('end'));
    p.write('hi');
    p.removeAllListeners('text');
    p.write('gone');
    expect(p.eventNames()).to.deep.equal(['end']);
    p.removeAllListeners();
    expect(p.emit('end')).to.equal(false);
    expect(seen).to.deep.equal(['hi']);
    expect(p.setMaxListeners(1)).to.equal(p);
  });
});
