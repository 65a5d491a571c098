// The password is never stored, and nothing logs credentials (at any level) or message
// bodies (above debug).
import { expect } from '@open-wc/testing';
import '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { createUsers } from '../support/server.js';
import { eventually, openKit, useServer } from '../support/kit.js';

const server = useServer();

type Level = 'log' | 'info' | 'warn' | 'error' | 'debug';

describe('credentials', () => {
  it('the password is in no store, no web storage and no log line; bodies only at debug level', async () => {
    const [alice, bob] = await createUsers(server, 2, 'cred');
    const lines: Array<[Level, string]> = [];
    const originals = new Map<Level, (...a: unknown[]) => void>();
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as Level[]) {
      originals.set(level, console[level]);
      console[level] = (...args: unknown[]) => lines.push([level, args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : typeof a === 'object' ? JSON.stringify(a) : String(a))).join(' ')]);
    }
    (globalThis as { XMPP_CHATKIT_DEBUG?: boolean }).XMPP_CHATKIT_DEBUG = true;
    const secretBody = `secret body ${crypto.randomUUID()}`;
    try {
      const kit = await openKit(server, alice!, { storage: 'indexeddb' });
      const bobKit = await openKit(server, bob!, { storage: 'indexeddb' });
      await kit.send(bob!.jid, secretBody);
      await eventually(async () => (await latestMessages(bobKit.db!, alice!.jid, 10)).length === 1, 'delivered');
      // A refused login too (its error path must not echo the password).
      const wrong = `wrong-${crypto.randomUUID()}`;
      await openKit(server, { ...alice!, password: wrong }).catch(() => undefined);

      const dump: string[] = [];
      for (const k of [kit, bobKit]) for (const table of k.db!.tables) dump.push(JSON.stringify(await table.toArray()));
      for (const storage of [localStorage, sessionStorage]) for (let i = 0; i < storage.length; i++) dump.push(`${storage.key(i)}=${storage.getItem(storage.key(i)!)}`);
      const stored = dump.join('\n');
      expect(stored).to.include(secretBody); // the dump is real
      for (const pw of [alice!.password, bob!.password, wrong]) {
        expect(stored.includes(pw), 'password in a store').to.equal(false);
        expect(lines.filter(([, l]) => l.includes(pw)), 'password in a log line').to.deep.equal([]);
      }
      expect(lines.filter(([level, l]) => level !== 'debug' && l.includes(secretBody)), 'body above debug').to.deep.equal([]);
    } finally {
      (globalThis as { XMPP_CHATKIT_DEBUG?: boolean }).XMPP_CHATKIT_DEBUG = false;
      for (const [level, fn] of originals) console[level] = fn;
    }
  });
});
