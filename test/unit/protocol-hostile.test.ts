// Validation at the protocol edge: forgeries and over-limit stanzas are ignored.
import { expect } from '@open-wc/testing';
import { xml, type Element } from '@xmpp/client';
import { parseMessage } from '../../src/protocol/message.js';
import { stanzaLimitViolation, STANZA_LIMITS } from '../../src/protocol/limits.js';
import { openDatabase } from '../../src/store/open.js';
import { addOutgoing, markDelivered, markReadUpTo, setMessageState } from '../../src/store/messages.js';
import { stanza } from '../support/stanza.js';

const self = { jid: 'alice@example.com', domain: 'example.com' };

function nested(depth: number): Element {
  let el = xml('body', {}, 'deep');
  for (let i = 0; i < depth; i++) el = xml('x', { xmlns: `urn:x:${i}` }, el);
  return xml('message', { from: 'bob@example.com/x', type: 'chat' }, el);
}

describe('stanza limits', () => {
  it('accepts ordinary stanzas, including a MAM result', () => {
    expect(stanzaLimitViolation(stanza(`<message from="bob@example.com/x" type="chat"><body>hi</body></message>`))).to.equal(null);
    expect(
      stanzaLimitViolation(
        stanza(`<message from="alice@example.com"><result xmlns="urn:xmpp:mam:2" id="1" queryid="q"><forwarded xmlns="urn:xmpp:forward:0">
          <delay xmlns="urn:xmpp:delay" stamp="2020-01-01T00:00:00Z"/><message from="bob@example.com/x" type="chat"><body>old</body></message></forwarded></result></message>`),
      ),
    ).to.equal(null);
  });

  it('rejects deep nesting without recursing (100,000 levels)', () => {
    expect(stanzaLimitViolation(nested(STANZA_LIMITS.maxDepth))).to.match(/deeper/);
    expect(stanzaLimitViolation(nested(100_000))).to.match(/deeper/);
    expect(stanzaLimitViolation(nested(STANZA_LIMITS.maxDepth - 3))).to.equal(null);
  });

  it('rejects too many elements, attributes or a huge attribute', () => {
    const wide = xml('message', { type: 'chat' }, ...Array.from({ length: STANZA_LIMITS.maxElements + 1 }, () => xml('x')));
    expect(stanzaLimitViolation(wide)).to.match(/elements/);
    const attrs: Record<string, string> = {};
    for (let i = 0; i <= STANZA_LIMITS.maxAttributes; i++) attrs[`a${i}`] = 'v';
    expect(stanzaLimitViolation(xml('message', attrs))).to.match(/attributes/);
    expect(stanzaLimitViolation(xml('message', { id: 'x'.repeat(STANZA_LIMITS.maxAttributeChars + 1) }))).to.match(/longer/);
  });
});

describe('forgeries at the parse edge', () => {
  it('a room private message is not a 1:1 from the user its nick names', () => {
    // Prosody marks private messages with <x xmlns="muc#user"/>.
    const pm = stanza(`<message from="room@conference.example.com/bob" to="alice@example.com/w" type="chat">
      <body>this is bob, send me the password</body><x xmlns="http://jabber.org/protocol/muc#user"/></message>`);
    expect(parseMessage(pm, self)).to.equal(null);
    // Without the mark it is at most a chat with the room's JID, never with bob.
    const bare = parseMessage(stanza(`<message from="room@conference.example.com/bob" type="chat"><body>hi</body></message>`), self);
    expect(bare?.kind === 'message' && bare.message.from).to.not.equal('bob');
    expect(bare?.kind === 'message' && bare.message.conversationId).to.equal('room@conference.example.com');
  });

  it('a receipt or displayed marker from a third party changes nothing', async () => {
    const db = await openDatabase(`hostile-${crypto.randomUUID()}@example.com`, 'memory');
    try {
      const mine = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'to bob' });
      await setMessageState(db, mine.id, 'sent');
      const receipt = parseMessage(stanza(`<message from="mallory@example.com/x"><received xmlns="urn:xmpp:receipts" id="${mine.id}"/></message>`), self);
      expect(receipt).to.deep.equal({ kind: 'receipt', peer: 'mallory@example.com', id: mine.id });
      expect(await markDelivered(db, 'mallory@example.com', mine.id)).to.equal(false);
      const shown = parseMessage(stanza(`<message from="mallory@example.com/x" type="chat"><displayed xmlns="urn:xmpp:chat-markers:0" id="${mine.id}"/></message>`), self);
      expect(shown?.kind === 'displayed' && shown.peer).to.equal('mallory@example.com');
      expect(await markReadUpTo(db, 'mallory@example.com', mine.id)).to.equal(0);
      expect((await db.messages.get(mine.id))!.state).to.equal('sent');
      // The real peer's receipt does count.
      expect(await markDelivered(db, 'bob@example.com', mine.id)).to.equal(true);
    } finally {
      await db.delete();
    }
  });

  it('a "mediated invitation" sent by a user (full JID) naming someone else as inviter is dropped', () => {
    const forged = stanza(`<message from="mallory@example.com/x" type="normal"><x xmlns="http://jabber.org/protocol/muc#user">
      <invite from="bob@example.com/phone"/></x><body>bob invites you</body></message>`);
    expect(parseMessage(forged, self)).to.equal(null);
    const relayed = stanza(`<message from="room@conference.example.com"><x xmlns="http://jabber.org/protocol/muc#user">
      <invite from="bob@example.com/phone"/></x></message>`);
    const parsed = parseMessage(relayed, self);
    expect(parsed?.kind === 'message' && parsed.message.invite).to.deep.equal({ room: 'room@conference.example.com', inviter: 'bob@example.com' });
  });

  it('a forged carbon or archive result inside a carbon is dropped', () => {
    const nestedCarbon = stanza(`<message from="alice@example.com" type="chat"><received xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
      <message from="alice@example.com/x" type="chat"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
      <message from="alice@example.com/y" to="bob@example.com" type="chat"><body>nested</body></message></forwarded></sent></message>
      </forwarded></received></message>`);
    expect(parseMessage(nestedCarbon, self)).to.equal(null);
    const unsolicited = stanza(`<message from="mallory@example.com/x"><result xmlns="urn:xmpp:mam:2" id="1" queryid="q"><forwarded xmlns="urn:xmpp:forward:0">
      <message from="bob@example.com/x" type="chat"><body>fake</body></message></forwarded></result></message>`);
    expect(parseMessage(unsolicited, self)).to.equal(null);
  });
});
