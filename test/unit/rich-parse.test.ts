// Rich messages at the protocol edge: every element of docs/rich-messages.md read from
// 1:1 live, carbon and archive stanzas and from group live and archive stanzas.
import { expect } from '@open-wc/testing';
import { xml, type Element } from '@xmpp/client';
import { parseArchived, parseMessage, type ParsedMessage, type Self } from '../../src/protocol/message.js';
import { parseArchivedGroupMessage, parseGroupMessage, type ParsedGroupMessage, type RoomContext } from '../../src/protocol/groupchat.js';
import { parseGeoUri, applyIncomingFilter, MAX_REACTIONS } from '../../src/protocol/rich.js';
import type { PayloadElement } from '../../src/protocol/payload.js';
import type { IncomingMessage } from '../../src/store/messages.js';
import { stanza } from '../support/stanza.js';
import { rng } from '../support/random.js';
import { HOSTILE } from '../fixtures/hostile-strings.js';

const NOW = Date.UTC(2026, 0, 10, 12, 0, 0);
const ROOM = 'team@conference.example.com';
const CARD_NS = 'urn:example:card';

/** A custom type the way the kit's registry recognises one: first element it parses. */
const recognise = (elements: readonly PayloadElement[]) => {
  const card = elements.find((e) => e.name === 'card' && e.xmlns === CARD_NS);
  return card ? { type: 'card', data: { name: card.attrs.name ?? '' } } : undefined;
};
const self: Self = { jid: 'alice@example.com', domain: 'example.com', recognise };
const occupants: Record<string, string> = { alice: 'alice@example.com', bob: 'bob@example.com' };
const ctx: RoomContext = { room: ROOM, self, selfOccupantId: 'occ-alice', occupantJid: (nick) => occupants[nick] };

function msg(parsed: ParsedMessage | ParsedGroupMessage | null): IncomingMessage {
  if (parsed?.kind !== 'message') throw new Error(`expected a message, got ${JSON.stringify(parsed)}`);
  return parsed.message;
}

const chat = (inner: string, attrs = 'from="bob@example.com/phone" to="alice@example.com/web" type="chat" id="b-1"') =>
  msg(parseMessage(stanza(`<message ${attrs}>${inner}</message>`), self, NOW));
const carbon = (inner: string, sent: boolean) =>
  msg(
    parseMessage(
      stanza(`<message from="alice@example.com" to="alice@example.com/web" type="chat">
        <${sent ? 'sent' : 'received'} xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
          <message ${sent ? 'from="alice@example.com/phone" to="bob@example.com"' : 'from="bob@example.com/x" to="alice@example.com/phone"'} type="chat" id="c-1">${inner}</message>
        </forwarded></${sent ? 'sent' : 'received'}></message>`),
      self,
      NOW,
    ),
  );
const archived = (inner: string, from = 'bob@example.com/x') =>
  parseArchived(
    stanza(`<forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="2026-01-09T08:00:00Z"/>
      <message from="${from}" to="alice@example.com" type="chat" id="a-1">${inner}</message></forwarded>`),
    'arch-1',
    self,
    NOW,
  );
const group = (inner: string, nick = 'bob', extra = '') =>
  parseGroupMessage(stanza(`<message from="${ROOM}/${nick}" type="groupchat" id="g-1" ${extra}>${inner}</message>`), ctx, NOW);
const groupArchived = (inner: string, nick = 'bob') =>
  parseArchivedGroupMessage(
    stanza(`<forwarded xmlns="urn:xmpp:forward:0"><delay xmlns="urn:xmpp:delay" stamp="2026-01-09T08:00:00Z"/>
      <message from="${ROOM}/${nick}" type="groupchat" id="g-2">${inner}</message></forwarded>`),
    'room-arch-1',
    ctx,
    NOW,
  );

const URL1 = 'https://upload.example.com/abc/photo%20one.jpg';
const ATTACHMENT = `<body>${URL1}</body><x xmlns="jabber:x:oob"><url>${URL1}</url></x>
  <file xmlns="urn:xmpp:file:metadata:0"><media-type>image/jpeg</media-type><name>photo.jpg</name><size>2097152</size>
  <width>1600</width><height>1200</height></file>`;

describe('rich parse: attachments', () => {
  it('reads the URL and metadata in 1:1 live, carbons, archive, group live and group archive', () => {
    const expected = { url: URL1, name: 'photo.jpg', size: 2097152, mime: 'image/jpeg', width: 1600, height: 1200 };
    for (const m of [chat(ATTACHMENT), carbon(ATTACHMENT, true), carbon(ATTACHMENT, false), msg(archived(ATTACHMENT)), msg(group(ATTACHMENT)), msg(groupArchived(ATTACHMENT))]) {
      expect(m.attachment).to.deep.equal(expected);
      expect(m.body).to.equal(URL1);
    }
  });

  it('falls back to the decoded last path segment, size 0, a guessed type; voice and length', () => {
    const m = chat(`<body>${URL1}</body><x xmlns="jabber:x:oob"><url>${URL1}</url></x>`);
    expect(m.attachment).to.deep.equal({ url: URL1, name: 'photo one.jpg', size: 0, mime: 'image/jpeg' });
    const voice = chat(`<body>https://u.example.com/v/rec.ogg</body><x xmlns="jabber:x:oob"><url>https://u.example.com/v/rec.ogg</url></x>
      <file xmlns="urn:xmpp:file:metadata:0"><media-type>audio/ogg</media-type><size>5000</size><length>4200</length></file>
      <voice xmlns="urn:xmpp-chatkit:0"/>`);
    expect(voice.attachment).to.deep.equal({ url: 'https://u.example.com/v/rec.ogg', name: 'rec.ogg', size: 5000, mime: 'audio/ogg', duration: 4200, voice: true });
  });

  it('ignores non-http URLs (the body stays text) and caps hostile metadata', () => {
    const js = chat(`<body>javascript:alert(1)</body><x xmlns="jabber:x:oob"><url>javascript:alert(1)</url></x>`);
    expect(js.attachment).to.equal(undefined);
    expect(js.body).to.equal('javascript:alert(1)');
    const hostile = chat(`<body>see</body><x xmlns="jabber:x:oob"><url>https://u.example.com/f</url></x>
      <file xmlns="urn:xmpp:file:metadata:0"><media-type>text/html; evil</media-type><name>${'n'.repeat(400)}</name>
      <size>-5</size><width>99999</width><height>1e3</height><length>NaN</length></file>`);
    expect(hostile.attachment!.name.length).to.equal(255);
    expect(hostile.attachment).to.include({ size: 0, mime: 'application/octet-stream', url: 'https://u.example.com/f' });
    expect(hostile.attachment).to.not.have.any.keys('width', 'height', 'duration');
    expect(hostile.body).to.equal('see');
    // A caption rides in the metadata's <desc>: it becomes the body (the UI shows it under the file).
    const captioned = chat(`<body>${URL1}</body><x xmlns="jabber:x:oob"><url>${URL1}</url></x>
      <file xmlns="urn:xmpp:file:metadata:0"><desc>our trip</desc></file>`);
    expect([captioned.body, captioned.attachment?.url]).to.deep.equal(['our trip', URL1]);
    // A bodiless XEP-0066 message reads as its URL.
    expect(chat(`<x xmlns="jabber:x:oob"><url>https://u.example.com/a.png</url></x>`)).to.include({ body: 'https://u.example.com/a.png' });
  });
});

describe('rich parse: locations', () => {
  it('reads a geo: URI body with its uncertainty, in 1:1 and groups', () => {
    expect(chat(`<body>geo:48.8584,2.2945;u=35</body>`).location).to.deep.equal({ lat: 48.8584, lon: 2.2945, accuracy: 35 });
    expect(msg(group(`<body>geo:-33.86,151.2,12</body>`)).location).to.deep.equal({ lat: -33.86, lon: 151.2 });
    expect(msg(groupArchived(`<body>geo:1,2</body>`)).location).to.deep.equal({ lat: 1, lon: 2 });
  });

  it('refuses out-of-range or malformed coordinates (the body stays text)', () => {
    for (const bad of ['geo:91,0', 'geo:0,181', 'geo:abc,1', 'geo:1', 'see geo:1,2', 'geo:1,2;crs=moon', 'geo:1e5,2']) expect(parseGeoUri(bad), bad).to.equal(undefined);
    const text = chat(`<body>geo:95,10</body>`);
    expect([text.body, text.location]).to.deep.equal(['geo:95,10', undefined]);
  });
});

describe('rich parse: replies', () => {
  const REPLY = `<body>&gt; the original text
yes, agreed</body><reply xmlns="urn:xmpp:reply:0" to="bob@example.com/phone" id="orig-1"/>
  <fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:reply:0"><body start="0" end="20"/></fallback>`;

  it('strips the fallback quote by code points and keeps it as the excerpt', () => {
    const m = chat(REPLY);
    expect(m.body).to.equal('yes, agreed');
    expect(m.reply).to.deep.equal({ ref: 'orig-1', to: 'bob', excerpt: 'the original text' });
    // The same from the archive and as a carbon of our own reply.
    expect(msg(archived(REPLY))).to.deep.include({ body: 'yes, agreed', reply: { ref: 'orig-1', to: 'bob', excerpt: 'the original text' } });
    expect(carbon(REPLY, true).body).to.equal('yes, agreed');
  });

  it('counts code points, not UTF-16 units, and accepts a range without the line break', () => {
    const m = chat(`<body>&gt; 👋🏽 hi
ok</body><reply xmlns="urn:xmpp:reply:0" id="r"/><fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:reply:0"><body start="0" end="7"/></fallback>`);
    expect(m.body).to.equal('ok');
    expect(m.reply).to.deep.equal({ ref: 'r', excerpt: '👋🏽 hi' });
  });

  it('keeps the body whole on a bad range, and drops a reply that is only a quote', () => {
    for (const range of ['start="5" end="2"', 'start="0" end="999"', 'start="-1" end="3"', 'start="a" end="3"']) {
      const m = chat(`<body>&gt; q
answer</body><reply xmlns="urn:xmpp:reply:0" id="r"/><fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:reply:0"><body ${range}/></fallback>`);
      expect(m.body, range).to.equal('> q\nanswer');
      expect(m.reply, range).to.deep.equal({ ref: 'r' });
    }
    expect(
      parseMessage(
        stanza(`<message from="bob@example.com/x" type="chat"><body>&gt; q</body><reply xmlns="urn:xmpp:reply:0" id="r"/>
          <fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:reply:0"><body start="0" end="3"/></fallback></message>`),
        self,
        NOW,
      ),
    ).to.equal(null);
  });

  it('in groups, names the author through the room and moves mentions after the quote', () => {
    const m = msg(
      group(`<body>&gt; hello
@alice yes</body><reply xmlns="urn:xmpp:reply:0" to="${ROOM}/alice" id="room-s-9"/>
        <fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:reply:0"><body start="0" end="8"/></fallback>
        <reference xmlns="urn:xmpp:reference:0" type="mention" begin="8" end="14" uri="xmpp:alice@example.com"/>`),
    );
    expect(m.body).to.equal('@alice yes');
    expect(m.reply).to.deep.equal({ ref: 'room-s-9', to: 'alice', excerpt: 'hello' });
    expect(m.mentions).to.deep.equal([{ begin: 0, end: 6, uri: 'xmpp:alice@example.com' }]);
    expect(m.mentioned).to.equal(true);
    // An occupant the room never named leaves `to` unset.
    expect(msg(group(`<body>x</body><reply xmlns="urn:xmpp:reply:0" to="${ROOM}/ghost" id="s"/>`)).reply).to.deep.equal({ ref: 's' });
  });
});

describe('rich parse: custom types', () => {
  it('offers unknown elements to the recogniser; the body stays as fallback', () => {
    const m = chat(`<body>Card: Bob</body><card xmlns="${CARD_NS}" name="Bob"/><markable xmlns="urn:xmpp:chat-markers:0"/>`);
    expect(m.custom).to.deep.equal({ type: 'card', data: { name: 'Bob' } });
    expect(m.body).to.equal('Card: Bob');
    expect(msg(group(`<body>Card</body><card xmlns="${CARD_NS}" name="B"/>`)).custom).to.deep.equal({ type: 'card', data: { name: 'B' } });
    // Without a body it is still a message.
    expect(chat(`<card xmlns="${CARD_NS}" name="C"/><body/>`).custom).to.deep.equal({ type: 'card', data: { name: 'C' } });
  });

  it('skips more than 32 unknown elements, and survives a recogniser that throws', () => {
    const noise = Array.from({ length: 33 }, (_, i) => `<n${i} xmlns="urn:noise:${i}"/>`).join('');
    expect(chat(`<body>x</body><card xmlns="${CARD_NS}" name="B"/>${noise}`).custom).to.equal(undefined);
    const throwing: Self = { ...self, recognise: () => { throw new Error('boom'); } };
    const parsed = parseMessage(stanza(`<message from="bob@example.com/x" type="chat"><body>x</body><card xmlns="${CARD_NS}"/></message>`), throwing, NOW);
    expect([msg(parsed).body, msg(parsed).custom]).to.deep.equal(['x', undefined]);
  });
});

describe('rich parse: changes', () => {
  it('reads corrections, both retraction forms and reactions as changes, not messages', () => {
    const c = chat(`<body>fixed</body><replace xmlns="urn:xmpp:message-correct:0" id="b-0"/>`);
    expect(c.change).to.deep.equal({ ref: 'b-0', change: { kind: 'correct', body: 'fixed' } });
    const r = chat(`<retract xmlns="urn:xmpp:message-retract:1" id="b-0"/><fallback xmlns="urn:xmpp:fallback:0" for="urn:xmpp:message-retract:1"/>
      <body>This person attempted to retract a previous message, but it's unsupported by your client.</body>`);
    expect(r.change).to.deep.equal({ ref: 'b-0', change: { kind: 'retract' } });
    const old = chat(`<apply-to xmlns="urn:xmpp:fasten:0" id="b-0"><retract xmlns="urn:xmpp:message-retract:0"/></apply-to><body>fallback</body>`);
    expect(old.change).to.deep.equal({ ref: 'b-0', change: { kind: 'retract' } });
    const react = chat(`<reactions xmlns="urn:xmpp:reactions:0" id="b-0"><reaction>👍</reaction><reaction>👍</reaction><reaction>❤️</reaction></reactions>`);
    expect(react.change).to.deep.equal({ ref: 'b-0', change: { kind: 'react', emojis: ['👍', '❤️'] } });
    const none = chat(`<reactions xmlns="urn:xmpp:reactions:0" id="b-0"/>`);
    expect(none.change).to.deep.equal({ ref: 'b-0', change: { kind: 'react', emojis: [] } });
    for (const m of [c, r, old, react]) expect(m.body).to.equal('');
  });

  it('carries changes from carbons, the archive and groups', () => {
    expect(carbon(`<body>fix</body><replace xmlns="urn:xmpp:message-correct:0" id="x"/>`, true)).to.deep.include({ own: true, from: 'alice', change: { ref: 'x', change: { kind: 'correct', body: 'fix' } } });
    expect(msg(archived(`<retract xmlns="urn:xmpp:message-retract:1" id="x"/>`))).to.deep.include({ stanzaId: 'arch-1', change: { ref: 'x', change: { kind: 'retract' } } });
    expect(msg(group(`<reactions xmlns="urn:xmpp:reactions:0" id="room-s"><reaction>🎉</reaction></reactions>`))).to.deep.include({ from: 'bob', change: { ref: 'room-s', change: { kind: 'react', emojis: ['🎉'] } } });
    expect(msg(groupArchived(`<body>new</body><replace xmlns="urn:xmpp:message-correct:0" id="g-0"/>`)).change).to.deep.equal({ ref: 'g-0', change: { kind: 'correct', body: 'new' } });
  });

  it('caps reaction sets and drops malformed changes (their fallback bodies too)', () => {
    const many = Array.from({ length: 30 }, (_, i) => `<reaction>e${i}</reaction>`).join('') + `<reaction>${'x'.repeat(33)}</reaction>`;
    const m = chat(`<reactions xmlns="urn:xmpp:reactions:0" id="x">${many}</reactions>`);
    expect(m.change?.change.kind === 'react' && m.change.change.emojis.length).to.equal(MAX_REACTIONS);
    const drop = (inner: string) => parseMessage(stanza(`<message from="bob@example.com/x" type="chat">${inner}</message>`), self, NOW);
    expect(drop(`<body>fallback</body><retract xmlns="urn:xmpp:message-retract:1"/>`)).to.equal(null);
    expect(drop(`<body>x</body><replace xmlns="urn:xmpp:message-correct:0" id="${'i'.repeat(300)}"/>`)).to.equal(null);
    expect(drop(`<replace xmlns="urn:xmpp:message-correct:0" id="x"/>`)).to.equal(null);
    // A group change from an occupant whose real JID is unknown is not believed.
    expect(group(`<retract xmlns="urn:xmpp:message-retract:1" id="s"/>`, 'stranger')).to.equal(null);
  });
});

describe('rich parse: chat states', () => {
  it('composing is on; paused, active, inactive and gone are off; live only, never own', () => {
    expect(chat(`<composing xmlns="http://jabber.org/protocol/chatstates"/>`)).to.include({ typing: true, body: '' });
    for (const s of ['paused', 'active', 'inactive', 'gone']) expect(chat(`<${s} xmlns="http://jabber.org/protocol/chatstates"/>`).typing, s).to.equal(false);
    expect(carbon(`<composing xmlns="http://jabber.org/protocol/chatstates"/>`, false).typing).to.equal(true);
    expect(parseMessage(stanza(`<message from="alice@example.com" type="chat"><sent xmlns="urn:xmpp:carbons:2"><forwarded xmlns="urn:xmpp:forward:0">
      <message from="alice@example.com/phone" to="bob@example.com" type="chat"><composing xmlns="http://jabber.org/protocol/chatstates"/></message>
      </forwarded></sent></message>`), self, NOW)).to.equal(null);
    expect(archived(`<composing xmlns="http://jabber.org/protocol/chatstates"/>`)).to.equal(null);
    expect(msg(group(`<composing xmlns="http://jabber.org/protocol/chatstates"/>`))).to.include({ typing: true, from: 'bob' });
    expect(group(`<composing xmlns="http://jabber.org/protocol/chatstates"/>`, 'alice')).to.equal(null);
    expect(groupArchived(`<composing xmlns="http://jabber.org/protocol/chatstates"/>`)).to.equal(null);
    // With a body it is a message (which ends typing in the store), not a chat state item.
    const withBody = chat(`<body>hi</body><active xmlns="http://jabber.org/protocol/chatstates"/>`);
    expect([withBody.body, withBody.typing]).to.deep.equal(['hi', undefined]);
  });
});

describe('filterIncoming', () => {
  it('drops what the hook refuses, keeps what it throws on, and never asks about changes or chat states', async () => {
    const asked: string[] = [];
    const items = [chat(`<body>spam</body>`), chat(`<body>ham</body>`), chat(`<body>boom</body>`), chat(`<composing xmlns="http://jabber.org/protocol/chatstates"/>`), chat(`<retract xmlns="urn:xmpp:message-retract:1" id="x"/>`)];
    const kept = await applyIncomingFilter(items, async (m) => {
      asked.push(m.body);
      if (m.body === 'boom') throw new Error('hook failed');
      return m.body !== 'spam';
    });
    expect(kept.map((m) => m.body)).to.deep.equal(['ham', 'boom', '', '']);
    expect(asked).to.deep.equal(['spam', 'ham', 'boom']);
  });
});

describe('rich parse: hostile input', () => {
  it('never throws on random mixes of rich elements with hostile values, and keeps every cap', () => {
    const random = rng(20260110);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const values = [...HOSTILE.slice(0, 200), '', '-1', '1e400', 'NaN', '99999999999999999999', 'x'.repeat(5000), 'geo:90,180;u=1', 'https://a.example/%E0%A4%A'];
    const makers: Array<() => Element> = [
      () => xml('body', {}, pick(values)),
      () => xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, pick(values))),
      () => xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, `https://u.example.com/${encodeURIComponent(pick(values))}`)),
      () => xml('file', { xmlns: 'urn:xmpp:file:metadata:0' }, ...['media-type', 'name', 'size', 'width', 'height', 'length'].map((n) => xml(n, {}, pick(values)))),
      () => xml('reply', { xmlns: 'urn:xmpp:reply:0', to: pick(values), id: pick(values) }),
      () => xml('fallback', { xmlns: 'urn:xmpp:fallback:0', for: 'urn:xmpp:reply:0' }, xml('body', { start: pick(values), end: String(Math.floor(random() * 50)) })),
      () => xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: pick(values) }),
      () => xml('retract', { xmlns: 'urn:xmpp:message-retract:1', id: pick(values) }),
      () => xml('apply-to', { xmlns: 'urn:xmpp:fasten:0', id: pick(values) }, xml('retract', { xmlns: 'urn:xmpp:message-retract:0' })),
      () => xml('reactions', { xmlns: 'urn:xmpp:reactions:0', id: pick(values) }, ...Array.from({ length: Math.floor(random() * 40) }, () => xml('reaction', {}, pick(values)))),
      () => xml(pick(['composing', 'paused', 'active', 'gone', 'bogus']), { xmlns: 'http://jabber.org/protocol/chatstates' }),
      () => xml('card', { xmlns: CARD_NS, name: pick(values) }),
      () => xml('voice', { xmlns: 'urn:xmpp-chatkit:0' }),
    ];
    const seen = { attachment: 0, reply: 0, react: 0, typing: 0 };
    for (let i = 0; i < 2000; i++) {
      const children = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(makers)());
      const one = xml('message', { from: 'bob@example.com/x', type: 'chat', id: pick(values) }, ...children);
      const room = xml('message', { from: `${ROOM}/bob`, type: 'groupchat', id: pick(values) }, ...children);
      for (const parsed of [parseMessage(one, self, NOW), parseGroupMessage(room, ctx, NOW)]) {
        if (parsed?.kind !== 'message') continue;
        const m = parsed.message;
        if (m.attachment) seen.attachment += 1;
        if (m.reply) seen.reply += 1;
        if (m.change?.change.kind === 'react') seen.react += 1;
        if (m.typing !== undefined) seen.typing += 1;
        if (m.attachment) {
          expect(m.attachment.url).to.match(/^https?:/);
          expect([...m.attachment.name].length).to.be.at.most(255);
          expect(Number.isFinite(m.attachment.size) && m.attachment.size >= 0).to.equal(true);
          for (const side of [m.attachment.width, m.attachment.height]) if (side !== undefined) expect(side).to.be.within(1, 20000);
        }
        if (m.reply?.excerpt) expect([...m.reply.excerpt].length).to.be.at.most(200);
        if (m.change?.change.kind === 'react') {
          expect(m.change.change.emojis.length).to.be.at.most(20);
          for (const e of m.change.change.emojis) expect(e.length).to.be.within(1, 32);
        }
        if (m.location) expect(Math.abs(m.location.lat) <= 90 && Math.abs(m.location.lon) <= 180).to.equal(true);
        for (const men of m.mentions ?? []) expect(men.end).to.be.at.most([...m.body].length);
      }
    }
    // The mix reached every path it checks.
    for (const [what, count] of Object.entries(seen)) expect(count, what).to.be.above(50);
  });
});
