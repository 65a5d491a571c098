import { expect } from '@open-wc/testing';
import {
  parseAffiliationNotice,
  parseArchivedGroupMessage,
  parseGroupMessage,
  parseOccupantPresence,
  validateMentions,
  type RoomContext,
} from '../../src/protocol/groupchat.js';
import { buildGroupStanza } from '../../src/protocol/outgoing.js';
import { parseInvite } from '../../src/protocol/invite.js';
import { parseMessage } from '../../src/protocol/message.js';
import { signatureElement, signaturePayload, signaturePayloadFor } from '../../src/protocol/signature.js';
import { stanza } from '../support/stanza.js';
import { hmacHex } from '../support/signing.js';
import { describeSystemEvent } from '../../src/render/system.js';

const self = { jid: 'alice@example.com', domain: 'example.com' };
const ROOM = 'team@conference.example.com';
const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const occupants: Record<string, string> = { alice: 'alice@example.com', bob: 'bob@example.com', mallory: 'mallory@evil.example' };
const ctx: RoomContext = { room: ROOM, self, selfOccupantId: 'occ-alice', occupantJid: (nick) => occupants[nick] };

function group(xml: string) {
  return parseGroupMessage(stanza(xml), ctx, NOW);
}

describe('group messages at the protocol edge', () => {
  it("takes a room message's sender from the room's presence, as a user id", () => {
    const parsed = group(`<message from="${ROOM}/bob" type="groupchat" id="b1"><body>hi all</body>
      <origin-id xmlns="urn:xmpp:sid:0" id="o1"/><stanza-id xmlns="urn:xmpp:sid:0" id="s1" by="${ROOM}"/></message>`);
    expect(parsed?.kind).to.equal('message');
    if (parsed?.kind !== 'message') return;
    expect(parsed.message).to.include({ conversationId: ROOM, conversationType: 'group', from: 'bob', own: false, body: 'hi all', originId: 'o1', stanzaId: 's1', state: 'received' });
    // Another domain's user keeps the bare JID as id.
    const other = group(`<message from="${ROOM}/mallory" type="groupchat"><body>x</body></message>`);
    expect(other?.kind === 'message' && other.message.from).to.equal('mallory@evil.example');
  });

  it('refuses what is not from the room, not groupchat, or from an occupant it does not know', () => {
    expect(group(`<message from="other@conference.example.com/bob" type="groupchat"><body>x</body></message>`)).to.equal(null);
    expect(group(`<message from="${ROOM}/bob" type="chat"><body>x</body></message>`)).to.equal(null);
    expect(group(`<message from="${ROOM}/stranger" type="groupchat"><body>x</body></message>`)).to.equal(null);
    expect(group(`<message from="${ROOM}/bob" type="groupchat"><body>  </body></message>`)).to.equal(null);
  });

  it('trusts only the room for stanza-ids', () => {
    const parsed = group(`<message from="${ROOM}/bob" type="groupchat"><body>x</body><stanza-id xmlns="urn:xmpp:sid:0" id="forged" by="bob@example.com"/></message>`);
    expect(parsed?.kind === 'message' && parsed.message.stanzaId).to.equal(undefined);
  });

  it('recognises our own echo (by occupant id or our JID), keeping our origin-id as its id', () => {
    const echo = group(`<message from="${ROOM}/alice-phone" type="groupchat"><body>mine</body>
      <origin-id xmlns="urn:xmpp:sid:0" id="local-42"/><occupant-id xmlns="urn:xmpp:occupant-id:0" id="occ-alice"/></message>`);
    // A nick the room never presented is refused, whatever occupant id it shows.
    expect(echo).to.equal(null);
    const known = parseGroupMessage(
      stanza(`<message from="${ROOM}/alice" type="groupchat"><body>mine</body><origin-id xmlns="urn:xmpp:sid:0" id="local-42"/>
        <occupant-id xmlns="urn:xmpp:occupant-id:0" id="occ-alice"/></message>`),
      ctx,
      NOW,
    );
    expect(known?.kind === 'message' && [known.message.own, known.message.id, known.message.state]).to.deep.equal([true, 'local-42', 'sent']);
  });

  it('reads the sender of an archived message from the room’s own (last) item, not one the sender wrote', () => {
    const forwarded = stanza(`<forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="2026-01-10T11:00:00Z"/>
      <message xmlns="jabber:client" from="${ROOM}/bob" type="groupchat"><body>old</body>
        <x xmlns="http://jabber.org/protocol/muc#user"><item jid="alice@example.com"/></x>
        <x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" jid="bob@example.com"/></x>
      </message></forwarded>`);
    const parsed = parseArchivedGroupMessage(forwarded, 'arch-1', ctx, NOW);
    expect(parsed?.kind === 'message' && [parsed.message.from, parsed.message.own, parsed.message.stanzaId, parsed.message.ts]).to.deep.equal([
      'bob',
      false,
      'arch-1',
      Date.UTC(2026, 0, 10, 11, 0, 0),
    ]);
  });

  it('reads subjects and room notices', () => {
    expect(group(`<message from="${ROOM}/bob" type="groupchat"><subject>&lt;b&gt;plans&lt;/b&gt;</subject></message>`)).to.deep.equal({
      kind: 'subject',
      subject: '<b>plans</b>',
      actor: 'bob@example.com',
    });
    expect(group(`<message from="${ROOM}" type="groupchat"><subject/></message>`)).to.deep.equal({ kind: 'subject', subject: '' });
    expect(group(`<message from="${ROOM}" type="groupchat"><x xmlns="http://jabber.org/protocol/muc#user"><status code="104"/></x></message>`)).to.deep.equal({
      kind: 'status',
      codes: ['104'],
    });
  });
});

describe('mentions (XEP-0372)', () => {
  it('counts mention offsets in code points, on the wire and in the record', () => {
    const body = '👋🏽 @Alice and @Bob';
    const cp = (sub: string) => [...body.slice(0, body.indexOf(sub))].length;
    // 👋🏽 is two code points (four UTF-16 units).
    const mentions = [
      { begin: cp('@Alice'), end: cp('@Alice') + 6, uri: 'xmpp:alice@example.com' },
      { begin: cp('@Bob'), end: [...body].length, uri: 'xmpp:bob@example.com' },
    ];
    expect(mentions.map((m) => [...body].slice(m.begin, m.end).join(''))).to.deep.equal(['@Alice', '@Bob']);
    const record = { id: 'm1', conversationId: ROOM, from: 'alice', own: true, body, mentions, ts: 1, seq: 1, state: 'pending' as const };
    const out = buildGroupStanza(record, ROOM, { domain: 'example.com' });
    const refs = out.getChildren('reference', 'urn:xmpp:reference:0').map((r) => [r.attrs.begin, r.attrs.end]);
    expect(refs).to.deep.equal([
      ['3', '9'],
      ['14', '18'],
    ]);
    out.attrs.from = `${ROOM}/bob`;
    const parsed = parseGroupMessage(out, ctx, NOW);
    expect(parsed?.kind === 'message' && parsed.message.mentions).to.deep.equal(mentions);
    expect(parsed?.kind === 'message' && parsed.message.mentioned).to.equal(true);
  });

  it('drops references outside the body or to something that is not a user', () => {
    const parsed = group(`<message from="${ROOM}/bob" type="groupchat"><body>hey</body>
      <reference xmlns="urn:xmpp:reference:0" type="mention" begin="0" end="40" uri="xmpp:alice@example.com"/>
      <reference xmlns="urn:xmpp:reference:0" type="mention" begin="0" end="3" uri="https://example.com/"/>
      <reference xmlns="urn:xmpp:reference:0" type="data" begin="0" end="3" uri="xmpp:alice@example.com"/></message>`);
    expect(parsed?.kind === 'message' && parsed.message.mentions).to.equal(undefined);
  });

  it('validates what a caller passes to send', () => {
    expect(validateMentions('hi @Bob', [{ begin: 3, end: 7, uri: 'xmpp:Bob@Example.com' }])).to.deep.equal([{ begin: 3, end: 7, uri: 'xmpp:bob@example.com' }]);
    // Four UTF-16 units, two code points: end 3 is past the text.
    expect(() => validateMentions('😀😀', [{ begin: 1, end: 3, uri: 'xmpp:bob@example.com' }])).to.throw(/offsets/);
    expect(validateMentions('😀😀', [{ begin: 1, end: 2, uri: 'xmpp:bob@example.com' }]).length).to.equal(1);
    expect(() => validateMentions('hi', [{ begin: 0, end: 1, uri: 'javascript:alert(1)' }])).to.throw(/bare JID/);
  });
});

describe('invitations and other MUC traffic in the 1:1 pipeline', () => {
  it('parses a direct invitation (XEP-0249) into a system line of the group, not a chat', () => {
    const parsed = parseMessage(
      stanza(`<message from="bob@example.com/phone" to="alice@example.com" id="i1"><x xmlns="jabber:x:conference" jid="Team@Conference.Example.com"/>
        <origin-id xmlns="urn:xmpp:sid:0" id="inv-1"/></message>`),
      self,
      NOW,
    );
    expect(parsed?.kind).to.equal('message');
    if (parsed?.kind !== 'message') return;
    expect(parsed.message).to.include({ conversationId: ROOM, conversationType: 'group', kind: 'system', from: 'bob', originId: 'inv-1' });
    expect(parsed.message.invite).to.deep.equal({ room: ROOM, inviter: 'bob@example.com' });
    expect(parsed.message.system).to.deep.equal({ event: 'invited', actor: 'bob', target: 'alice' });
  });

  it('parses a mediated invitation (from the room, naming the inviter)', () => {
    expect(
      parseInvite(
        stanza(`<message from="${ROOM}" to="alice@example.com"><x xmlns="http://jabber.org/protocol/muc#user"><invite from="bob@example.com/x"><reason>join us</reason></invite></x>
          <x xmlns="jabber:x:conference" jid="${ROOM}"/><body>bob invited you</body></message>`),
      ),
    ).to.deep.equal({ room: ROOM, inviter: 'bob@example.com', reason: 'join us' });
  });

  it('keeps private MUC messages, own invitations and room notices out of the 1:1 log', () => {
    expect(parseMessage(stanza(`<message from="${ROOM}/bob" type="chat"><body>psst</body><x xmlns="http://jabber.org/protocol/muc#user"/></message>`), self, NOW)).to.equal(null);
    expect(
      parseMessage(
        stanza(`<message from="alice@example.com" type="chat"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
          <message from="alice@example.com/web" to="bob@example.com"><x xmlns="jabber:x:conference" jid="${ROOM}"/></message></forwarded></sent></message>`),
        self,
        NOW,
      ),
    ).to.equal(null);
    expect(parseInvite(stanza(`<message from="bob@example.com"><x xmlns="jabber:x:conference" jid="not a jid"/></message>`))).to.equal(null);
  });

  it('reads occupant presence and affiliation notices', () => {
    const p = parseOccupantPresence(
      stanza(`<presence from="${ROOM}/carol" type="unavailable"><x xmlns="http://jabber.org/protocol/muc#user">
        <item affiliation="none" role="none" jid="carol@example.com/r"><actor nick="alice" jid="alice@example.com/web"/></item><status code="321"/></x></presence>`),
      ROOM,
    );
    expect(p && [p.nick, p.available, p.jid, p.affiliation, p.actorNick, p.actorJid, [...p.codes]]).to.deep.equal([
      'carol',
      false,
      'carol@example.com',
      'none',
      'alice',
      'alice@example.com',
      ['321'],
    ]);
    expect(parseAffiliationNotice(stanza(`<message from="${ROOM}"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" jid="dave@example.com"/></x></message>`), ROOM)).to.deep.equal({
      jid: 'dave@example.com',
      affiliation: 'member',
    });
    // From an occupant, or with a body: not the room's notice.
    expect(parseAffiliationNotice(stanza(`<message from="${ROOM}/bob"><x xmlns="http://jabber.org/protocol/muc#user"><item affiliation="member" jid="dave@example.com"/></x></message>`), ROOM)).to.equal(null);
  });
});

describe('signatures', () => {
  it('signs one canonical text: fields by line, members sorted and deduplicated', async () => {
    const text = signaturePayload({ action: 'kick', actor: 'alice@example.com', room: ROOM, members: ['carol@example.com', 'bob@example.com', 'carol@example.com'], timestamp: 1700000000000, nonce: 'n-12345678' });
    expect(text).to.equal(`kick\nalice@example.com\n${ROOM}\nbob@example.com carol@example.com\n1700000000000\nn-12345678`);
    expect(signaturePayloadFor({ action: 'kick', clientId: 'alice', conversationId: ROOM, memberIds: ['bob', 'carol@example.com'] }, { timestamp: 1700000000000, nonce: 'n-12345678' }, 'example.com')).to.equal(
      `kick\nalice@example.com\n${ROOM}\nbob@example.com carol@example.com\n1700000000000\nn-12345678`,
    );
    // Same as `printf 'data' | openssl dgst -sha256 -hmac key`.
    expect(await hmacHex('key', 'data')).to.equal('5031fe3d989c6d1537a013fa6e739da23463fdaec3b70137d828e36ace221bd0');
    const el = signatureElement({ action: 'kick', members: ['bob@example.com'], signature: 'ab', timestamp: 1.5e12, nonce: 'n-12345678' });
    expect(el.toString()).to.equal('<signature xmlns="urn:xmpp-chatkit:signature:0" action="kick" timestamp="1500000000000" nonce="n-12345678" members="bob@example.com">ab</signature>');
  });
});

describe('system lines', () => {
  it('read as sentences in the locale, with display names', () => {
    const names: Record<string, string> = { alice: 'Alice', bob: 'Bob' };
    const say = (e: Parameters<typeof describeSystemEvent>[0], locale = 'en') => describeSystemEvent(e, locale, (id) => names[id] ?? id);
    expect(say({ event: 'joined', actor: 'alice', target: 'bob' })).to.equal('Alice added Bob');
    expect(say({ event: 'joined', target: 'bob' })).to.equal('Bob joined');
    expect(say({ event: 'kicked', actor: 'alice', target: 'bob' })).to.equal('Alice removed Bob');
    expect(say({ event: 'left', actor: 'bob', target: 'bob' })).to.equal('Bob left');
    expect(say({ event: 'renamed', name: '<b>T</b>' })).to.equal('The group was renamed to “<b>T</b>”');
    expect(say({ event: 'created', actor: 'alice', name: 'Team' })).to.equal('Alice created the group “Team”');
    expect(say({ event: 'kicked', actor: 'alice', target: 'bob' }, 'zh-CN')).to.equal('Alice 将 Bob 移出了群聊');
  });
});
