// The test runner serves dexie and @xmpp/* pre-bundled by esbuild (scripts/wtr/prebundle-plugin.mjs)
// because they do not load as-is in the browser. These tests prove they load and work, and
// that one instance of each is shared (no dual-package hazard between bundles).

import { expect } from '@open-wc/testing';
import Dexie, { liveQuery } from 'dexie';
import { client, jid, xml } from '@xmpp/client';

interface Row {
  id: number;
  text: string;
}

describe('pre-bundled browser dependencies', () => {
  it('dexie opens IndexedDB, stores a row and emits it through liveQuery', async () => {
    const name = `ck-prebundle-${Date.now()}-${Math.random().toString(36).slice(2)}`;
    const db = new Dexie(name);
    db.version(1).stores({ rows: 'id' });
    const rows = db.table<Row, number>('rows');
    try {
      const seen = new Promise<Row[]>((resolve, reject) => {
        const sub = liveQuery(() => rows.toArray()).subscribe({
          next: (value) => {
            if (value.length > 0) {
              sub.unsubscribe();
              resolve(value);
            }
          },
          error: reject,
        });
      });
      await rows.put({ id: 1, text: 'ünïcödé' });
      expect(await seen).to.deep.equal([{ id: 1, text: 'ünïcödé' }]);
      // dexie's ESM wrapper shares one Dexie per page through a global symbol.
      expect((globalThis as Record<symbol, unknown>)[Symbol.for('Dexie')]).to.equal(Dexie);
    } finally {
      // No Dexie.delete(): a liveQuery re-run still in flight can make it report "blocked";
      // the name is unique and the browser profile is a throw-away temp dir.
      db.close();
    }
  });

  it('@xmpp/client builds stanzas and a websocket-only client without Node modules', () => {
    const stanza = xml('message', { to: 'bob@localhost', type: 'chat' }, xml('body', {}, 'hi & <bye>'));
    expect(stanza.toString()).to.equal(
      '<message to="bob@localhost" type="chat"><body>hi &amp; &lt;bye&gt;</body></message>',
    );
    expect(jid('alice@localhost/web').bare().toString()).to.equal('alice@localhost');

    const xmpp = client({ service: 'ws://127.0.0.1:9/xmpp-websocket', domain: 'localhost' });
    // The package.json "browser" field drops tcp/tls/starttls/scram: only the WebSocket
    // transport is registered, and SASL offers no SCRAM (PLAIN is used over ws://127.0.0.1).
    const parts = xmpp as unknown as { transports: unknown[]; tcp?: unknown; tls?: unknown; starttls?: unknown };
    expect(parts.transports).to.have.length(1);
    expect(parts.tcp, 'tcp').to.equal(undefined);
    expect(parts.tls, 'tls').to.equal(undefined);
    expect(parts.starttls, 'starttls').to.equal(undefined);
    expect(xmpp.status).to.equal('offline');
  });
});
