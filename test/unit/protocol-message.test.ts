import { expect } from '@open-wc/testing';
import { delayStamp, parseMessage, MAX_BODY_CHARS } from '../../src/protocol/message.js';
import { buildChatStanza } from '../../src/protocol/outgoing.js';
import { stanza } from '../support/stanza.js';

const self = { jid: 'alice@example.com', domain: 'example.com' };
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);

describe('parseMessage', () => {
  it('turns a live chat message into a peer record', () => {
    const parsed = parseMessage(
      stanza(`<message from="Bob@Example.com/phone" to="alice@example.com/web" type="chat" id="x1">
        <body>hi alice</body>
        <origin-id xmlns="urn:xmpp:sid:0" id="o-1"/>
        <stanza-id xmlns="urn:xmpp:sid:0" id="s-1" by="alice@example.com"/>
      </message>`),
      self,
      NOW,
    );
    expect(parsed?.kind).to.equal('message');
    if (parsed?.kind !== 'message') return;
    const m = parsed.message;
    expect(m.conversationId).to.equal('bob@example.com');
    expect(m.from).to.equal('bob');
    expect(m.own).to.equal(false);
    expect(m.body).to.equal('hi alice');
    expect(m.originId).to.equal('o-1');
    expect(m.stanzaId).to.equal('s-1');
    expect(m.state).to.equal('received');
    expect(m.ts).to.equal(NOW);
  });

  it('ignores a stanza-id stamped by anyone but our own archive', () => {
    const parsed = parseMessage(
      stanza(`<message from="bob@example.com/x" type="chat"><body>b</body>
        <stanza-id xmlns="urn:xmpp:sid:0" id="forged" by="bob@example.com"/></message>`),
      self,
      NOW,
    );
    expect(parsed?.kind === 'message' && parsed.message.stanzaId).to.equal(undefined);
  });

  it('uses the delay stamp of offline messages but never a future one', () => {
    const past = parseMessage(
      stanza(`<message from="bob@example.com/x" type="chat"><body>b</body>
        <delay xmlns="urn:xmpp:delay" from="example.com" stamp="2026-01-09T08:00:00Z"/></message>`),
      self,
      NOW,
    );
    expect(past?.kind === 'message' && past.message.ts).to.equal(Date.UTC(2026, 0, 9, 8));
    const future = stanza(`<message><delay xmlns="urn:xmpp:delay" stamp="2099-01-01T00:00:00Z"/></message>`);
    expect(delayStamp(future, NOW)).to.equal(NOW);
    expect(delayStamp(stanza(`<message><delay xmlns="urn:xmpp:delay" stamp="garbage"/></message>`), NOW)).to.equal(undefined);
  });

  it('accepts carbons from our own account, as own or peer messages', () => {
    const sent = parseMessage(
      stanza(`<message from="alice@example.com" to="alice@example.com/web" type="chat">
        <sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
          <message from="alice@example.com/phone" to="bob@example.com" type="chat"><body>from my phone</body>
            <origin-id xmlns="urn:xmpp:sid:0" id="phone-1"/></message>
        </forwarded></sent></message>`),
      self,
      NOW,
    );
    expect(sent?.kind).to.equal('message');
    if (sent?.kind !== 'message') return;
    expect(sent.message.own).to.equal(true);
    expect(sent.message.conversationId).to.equal('bob@example.com');
    expect(sent.message.from).to.equal('alice');
    expect(sent.message.id).to.equal('phone-1');
    expect(sent.message.state).to.equal('sent');

    const received = parseMessage(
      stanza(`<message from="alice@example.com" type="chat">
        <received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
          <message from="carol@example.com/x" to="alice@example.com/phone" type="chat"><body>to phone</body></message>
        </forwarded></received></message>`),
      self,
      NOW,
    );
    expect(received?.kind === 'message' && received.message.from).to.equal('carol');
  });

  it('drops a carbon forged by anyone else', () => {
    const forged = stanza(`<message from="mallory@evil.com/x" type="chat">
      <sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
        <message from="alice@example.com/phone" to="bob@example.com" type="chat"><body>I owe mallory money</body></message>
      </forwarded></sent></message>`);
    expect(parseMessage(forged, self, NOW)).to.equal(null);
  });

  it('drops messages without a body, groupchat, from ourselves or with a bad sender', () => {
    expect(parseMessage(stanza(`<message from="bob@example.com/x" type="chat"><markable xmlns="urn:xmpp:chat-markers:0"/></message>`), self)).to.equal(null);
    // A bare chat state is no message row: only a typing signal (XEP-0085).
    const state = parseMessage(stanza(`<message from="bob@example.com/x" type="chat"><active xmlns="http://jabber.org/protocol/chatstates"/></message>`), self);
    expect(state?.kind === 'message' && [state.message.body, state.message.typing]).to.deep.equal(['', false]);
    expect(parseMessage(stanza(`<message from="bob@example.com/x" type="chat"><body>   </body></message>`), self)).to.equal(null);
    expect(parseMessage(stanza(`<message from="room@muc.example.com/bob" type="groupchat"><body>x</body></message>`), self)).to.equal(null);
    expect(parseMessage(stanza(`<message from="alice@example.com/phone" type="chat"><body>x</body></message>`), self)).to.equal(null);
    expect(parseMessage(stanza(`<message type="chat"><body>x</body></message>`), self)).to.equal(null);
    expect(parseMessage(stanza(`<iq type="get"/>`), self)).to.equal(null);
  });

  it('caps huge bodies', () => {
    const big = 'x'.repeat(MAX_BODY_CHARS + 5000);
    const parsed = parseMessage(stanza(`<message from="bob@example.com/x" type="chat"><body>${big}</body></message>`), self);
    expect(parsed?.kind === 'message' && parsed.message.body.length).to.equal(MAX_BODY_CHARS);
  });

  it('reports an error bounce for the message id it names', () => {
    const parsed = parseMessage(
      stanza(`<message from="bob@example.com" type="error" id="m-9"><error type="cancel">
        <service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></message>`),
      self,
    );
    expect(parsed).to.deep.equal({ kind: 'error', id: 'm-9', reason: 'service-unavailable' });
  });
});

describe('buildChatStanza', () => {
  it('carries the id as origin-id and asks for a receipt', () => {
    const record = { id: 'abc', conversationId: 'bob@example.com', from: 'alice', own: true, body: 'a <b> & c', ts: 1, seq: 1, state: 'pending' as const };
    const el = buildChatStanza(record, { domain: 'example.com' });
    expect(el.attrs.type).to.equal('chat');
    expect(el.getChildText('body')).to.equal('a <b> & c');
    expect(el.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id).to.equal('abc');
    expect(el.getChild('request', 'urn:xmpp:receipts')).to.not.equal(undefined);
    expect(el.toString()).to.contain('a &lt;b&gt; &amp; c');
  });
});
