// The outbox decides whether an ack will come when it hands a stanza over, not after:
// a socket that closes right after the send turns stream management off, and judging
// then marked an unacknowledged message sent, so nothing ever resent it (found by the
// short chaos run, seed 8660381). The connection here is a stand-in object: this is a
// unit test of ChatModule's bookkeeping; the real-server chaos tests cover the rest.
import { expect } from '@open-wc/testing';
import type { Element } from '@xmpp/client';
import { ChatModule } from '../../src/protocol/chat.js';
import type { Connection } from '../../src/protocol/connection.js';
import { openDatabase } from '../../src/store/open.js';
import { addOutgoing } from '../../src/store/messages.js';
import type { ChatDB } from '../../src/store/schema.js';

type Handler = (stanza: Element) => void;

/** Stream management on until the first send, which "closes the socket" as it resolves. */
function closingConnection() {
  const handlers = new Map<string, Handler[]>();
  const sent: Element[] = [];
  const conn = {
    status: 'online',
    xmpp: { streamManagement: { enabled: true } },
    on(event: string, handler: Handler) {
      handlers.set(event, [...(handlers.get(event) ?? []), handler]);
    },
    async send(stanza: Element) {
      sent.push(stanza);
      conn.xmpp.streamManagement.enabled = false;
      conn.status = 'reconnecting';
    },
    emit(event: string, stanza?: Element) {
      for (const h of handlers.get(event) ?? []) h(stanza as Element);
    },
  };
  return { conn, sent };
}

let db: ChatDB;
beforeEach(async () => {
  db = await openDatabase(`outbox-${crypto.randomUUID()}`, 'memory');
});
afterEach(() => db.close());

describe('outbox: acks under a closing socket', () => {
  it('a message whose socket closed right after the send stays pending and is sent again on the next session', async () => {
    const { conn, sent } = closingConnection();
    const chat = new ChatModule(conn as unknown as Connection, db, { jid: 'alice@example.com', domain: 'example.com' }, { viewing: new Set<string>() });
    const m = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'hello' });
    await chat.drain();
    expect(sent.length).to.equal(1);
    expect((await db.messages.get(m.id))!.state, 'not acknowledged: not sent').to.equal('pending');

    // The resume fails: stream management gives the unacknowledged stanza back, and a new session drains.
    conn.emit('fail', sent[0]);
    conn.status = 'online';
    conn.xmpp.streamManagement.enabled = true;
    conn.emit('session');
    await new Promise((r) => setTimeout(r, 50));
    await chat.drain();
    expect(sent.length, 'sent again').to.equal(2);
    expect(sent[1]!.attrs.id).to.equal(m.id);
  });
});
