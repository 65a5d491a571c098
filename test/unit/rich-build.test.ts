import { expect } from '@open-wc/testing';
import type { Element } from '@xmpp/client';
import {
  buildChatState,
  buildChatStanza,
  buildCorrection,
  buildGroupStanza,
  buildReactions,
  buildRetraction,
  geoUri,
  replyQuote,
  RETRACT_FALLBACK,
} from '../../src/protocol/outgoing.js';
import { wireRef } from '../../src/protocol/ops.js';
import { openDatabase } from '../../src/store/open.js';
import type { ChatDB } from '../../src/store/schema.js';
import type { MessageRecord } from '../../src/store/records.js';
import { addOutgoing, ingestMessages } from '../../src/store/messages.js';
import { editOwnMessage, queuedOps, recallOwnMessage, setOwnReactions } from '../../src/store/ops.js';
import { customSerializer, incomingFilter, isCustomData, runBeforeSend } from '../../src/kit/rich.js';
import { MessageTypes } from '../../src/kit/message-types.js';
import { ChatKitError } from '../../src/kit/errors.js';
import { parseMessage } from '../../src/protocol/message.js';

const ctx = { domain: 'example.com' };

function record(over: Partial<MessageRecord> = {}): MessageRecord {
  return { id: 'ID', originId: 'ID', conversationId: 'bob@example.com', from: 'alice', own: true, body: 'hello', ts: 1, seq: 1, state: 'pending', ...over };
}

/** The element's children by `name xmlns`, for order-insensitive shape checks. */
function kinds(el: Element): string[] {
  return el.getChildElements().map((c) => `${c.name} ${c.attrs.xmlns ?? ''}`.trim());
}

const codePoints = (s: string): string[] => [...s];

describe('outgoing stanza builders', () => {
  it('a 1:1 text message carries body, origin-id, receipt request, markable and active', () => {
    const el = buildChatStanza(record(), ctx);
    expect(el.attrs).to.deep.include({ to: 'bob@example.com', type: 'chat', id: 'ID' });
    expect(el.getChildText('body')).to.equal('hello');
    expect(el.getChild('origin-id', 'urn:xmpp:sid:0')?.attrs.id).to.equal('ID');
    expect(el.getChild('request', 'urn:xmpp:receipts')).to.not.equal(undefined);
    expect(el.getChild('markable', 'urn:xmpp:chat-markers:0')).to.not.equal(undefined);
    expect(el.getChild('active', 'http://jabber.org/protocol/chatstates')).to.not.equal(undefined);
  });

  it('a group message keeps XEP-0372 mentions and has no receipt request', () => {
    const el = buildGroupStanza(record({ conversationId: 'room@muc.example.com', body: 'hi @bob', mentions: [{ begin: 3, end: 7, uri: 'xmpp:bob@example.com' }] }), 'room@muc.example.com', ctx);
    expect(el.attrs.type).to.equal('groupchat');
    const ref = el.getChild('reference', 'urn:xmpp:reference:0')!;
    expect(ref.attrs).to.deep.include({ type: 'mention', begin: '3', end: '7', uri: 'xmpp:bob@example.com' });
    expect(el.getChild('request', 'urn:xmpp:receipts')).to.equal(undefined);
    expect(el.getChild('active', 'http://jabber.org/protocol/chatstates')).to.not.equal(undefined);
  });

  it('a reply quotes the excerpt as an XEP-0428 fallback whose range counts code points', () => {
    const excerpt = '😀 emoji first\nsecond line';
    const m = record({ body: 'yes 👍', reply: { ref: 'T1', id: 't1', to: 'bob', excerpt } });
    const el = buildChatStanza(m, ctx);
    const body = el.getChildText('body')!;
    expect(body).to.equal('> 😀 emoji first\n> second line\nyes 👍');
    const reply = el.getChild('reply', 'urn:xmpp:reply:0')!;
    expect(reply.attrs).to.deep.include({ id: 'T1', to: 'bob@example.com' });
    const fb = el.getChild('fallback', 'urn:xmpp:fallback:0')!;
    expect(fb.attrs.for).to.equal('urn:xmpp:reply:0');
    const range = fb.getChild('body')!;
    expect(range.attrs.start).to.equal('0');
    const end = Number(range.attrs.end);
    // Cutting the range (code points) leaves exactly the answer.
    expect(codePoints(body).slice(end).join('')).to.equal('yes 👍');
    expect(codePoints(body).slice(0, end).join('')).to.equal(replyQuote(excerpt));
  });

  it("the receiving parser strips our reply fallback back to the answer", () => {
    const out = buildChatStanza(record({ id: 'R1', originId: 'R1', body: 'agreed', reply: { ref: 'T1', to: 'bob', excerpt: 'the original text' } }), ctx);
    out.attrs.from = 'alice@example.com/web';
    out.attrs.to = 'bob@example.com';
    const parsed = parseMessage(out, { jid: 'bob@example.com', domain: 'example.com' });
    expect(parsed?.kind).to.equal('message');
    if (parsed?.kind !== 'message') return;
    expect(parsed.message.body).to.equal('agreed');
    expect(parsed.message.reply?.ref).to.equal('T1');
  });

  it('a group reply names the stanza-id given and shifts mentions past the quote', () => {
    const m = record({ conversationId: 'room@muc.example.com', body: 'ok @bob', mentions: [{ begin: 3, end: 7, uri: 'xmpp:bob@example.com' }], reply: { ref: '', id: 't', to: 'bob', excerpt: 'q' } });
    const el = buildGroupStanza(m, 'room@muc.example.com', ctx, 'SID-9');
    expect(el.getChild('reply', 'urn:xmpp:reply:0')!.attrs).to.deep.equal({ xmlns: 'urn:xmpp:reply:0', id: 'SID-9' });
    expect(el.getChildText('body')).to.equal('> q\nok @bob');
    const ref = el.getChild('reference', 'urn:xmpp:reference:0')!;
    expect(codePoints(el.getChildText('body')!).slice(Number(ref.attrs.begin), Number(ref.attrs.end)).join('')).to.equal('@bob');
    // Without a resolved stanza-id there is no reply element (and no quote).
    const bare = buildGroupStanza(m, 'room@muc.example.com', ctx);
    expect(bare.getChild('reply', 'urn:xmpp:reply:0')).to.equal(undefined);
    expect(bare.getChildText('body')).to.equal('ok @bob');
  });

  it('an attachment: body is the URL, oob, XEP-0446 metadata with caption, voice marker', () => {
    const url = 'https://up.example.com/a/voice.ogg';
    const el = buildChatStanza(record({ body: 'listen', attachment: { url, name: 'voice.ogg', size: 2048, mime: 'audio/ogg', duration: 3200, voice: true } }), ctx);
    expect(el.getChildText('body')).to.equal(url);
    expect(el.getChild('x', 'jabber:x:oob')?.getChildText('url')).to.equal(url);
    const file = el.getChild('file', 'urn:xmpp:file:metadata:0')!;
    expect(file.getChildText('media-type')).to.equal('audio/ogg');
    expect(file.getChildText('name')).to.equal('voice.ogg');
    expect(file.getChildText('size')).to.equal('2048');
    expect(file.getChildText('length')).to.equal('3200');
    expect(file.getChildText('desc')).to.equal('listen');
    expect(el.getChild('voice', 'urn:xmpp-chatkit:0')).to.not.equal(undefined);
    const image = buildChatStanza(record({ body: '', attachment: { url, name: 'p.jpg', size: 1, mime: 'image/jpeg', width: 1600, height: 1200 } }), ctx);
    const meta = image.getChild('file', 'urn:xmpp:file:metadata:0')!;
    expect([meta.getChildText('width'), meta.getChildText('height'), meta.getChild('desc')]).to.deep.equal(['1600', '1200', undefined]);
    expect(image.getChild('voice', 'urn:xmpp-chatkit:0')).to.equal(undefined);
  });

  it('a location is a geo: URI body (RFC 5870)', () => {
    expect(geoUri({ lat: 48.8584, lon: 2.2945, accuracy: 35 })).to.equal('geo:48.8584,2.2945;u=35');
    expect(geoUri({ lat: -33.123456789, lon: 151 })).to.equal('geo:-33.1234568,151');
    const el = buildChatStanza(record({ body: 'ignored', location: { lat: 1.5, lon: -2 } }), ctx);
    expect(el.getChildText('body')).to.equal('geo:1.5,-2');
  });

  it("a custom type: the type's element plus the fallback body; hostile text stays text", () => {
    const types = new MessageTypes();
    types.register({
      type: 'card',
      parse: () => undefined,
      serialize: (d) => ({ name: 'card', xmlns: 'urn:example:card', attrs: {}, text: '', children: [{ name: 'name', attrs: {}, text: String((d as { name: string }).name), children: [] }] }),
      render: () => '',
      preview: () => '',
      fallback: () => '',
    });
    const el = buildChatStanza(record({ body: 'Card: <b>x</b>', custom: { type: 'card', data: { name: '<script>alert(1)</script>' } } }), { ...ctx, serialize: customSerializer(types) });
    expect(el.getChildText('body')).to.equal('Card: <b>x</b>');
    const card = el.getChild('card', 'urn:example:card')!;
    expect(card.getChildText('name')).to.equal('<script>alert(1)</script>');
    expect(el.toString()).to.contain('&lt;script&gt;');
    // An unknown type sends the fallback body alone.
    const unknown = buildChatStanza(record({ custom: { type: 'nope', data: 1 } }), { ...ctx, serialize: customSerializer(types) });
    expect(kinds(unknown)).to.not.include('card urn:example:card');
  });

  it('corrections, retractions and reactions name the target; retraction and reactions are archived', () => {
    const dest = { to: 'bob@example.com', type: 'chat' as const };
    const c = buildCorrection(dest, 'NEW', 'ID', 'fixed text');
    expect(c.getChildText('body')).to.equal('fixed text');
    expect(c.getChild('replace', 'urn:xmpp:message-correct:0')?.attrs.id).to.equal('ID');
    const r = buildRetraction(dest, 'NEW2', 'ID');
    expect(r.getChild('retract', 'urn:xmpp:message-retract:1')?.attrs.id).to.equal('ID');
    expect(r.getChild('fallback', 'urn:xmpp:fallback:0')?.attrs.for).to.equal('urn:xmpp:message-retract:1');
    expect(r.getChildText('body')).to.equal(RETRACT_FALLBACK);
    expect(r.getChild('store', 'urn:xmpp:hints')).to.not.equal(undefined);
    const x = buildReactions({ to: 'room@muc.example.com', type: 'groupchat' }, 'NEW3', 'SID', ['👍', '❤️']);
    expect(x.attrs.type).to.equal('groupchat');
    const reactions = x.getChild('reactions', 'urn:xmpp:reactions:0')!;
    expect(reactions.attrs.id).to.equal('SID');
    expect(reactions.getChildren('reaction').map((e) => e.text())).to.deep.equal(['👍', '❤️']);
    expect(x.getChild('store', 'urn:xmpp:hints')).to.not.equal(undefined);
    expect(buildReactions(dest, 'N', 'ID', []).getChild('reactions', 'urn:xmpp:reactions:0')!.getChildren('reaction')).to.have.length(0);
  });

  it('chat states are never stored', () => {
    const el = buildChatState({ to: 'bob@example.com', type: 'chat' }, 'composing');
    expect(el.getChild('composing', 'http://jabber.org/protocol/chatstates')).to.not.equal(undefined);
    expect(el.getChild('no-store', 'urn:xmpp:hints')).to.not.equal(undefined);
    expect(el.getChild('body')).to.equal(undefined);
  });
});

describe('which wire id a change names', () => {
  it("1:1: ours by our one id, a peer's by its id attribute (else origin-id); groups: stanza-id, corrections the id attribute", () => {
    const own = record({ state: 'sent', stanzaId: 'S' });
    const peer = record({ own: false, originId: 'O', remoteId: 'R', stanzaId: 'S', state: 'received' });
    expect(wireRef(own, 'react', false)).to.equal('ID');
    expect(wireRef(peer, 'react', false)).to.equal('R');
    expect(wireRef({ ...peer, remoteId: undefined }, 'react', false)).to.equal('O');
    expect(wireRef(peer, 'retract', true)).to.equal('S');
    expect(wireRef(peer, 'correct', true)).to.equal('R');
  });

  it('waits for our own message to be sent, and in groups for its echo; gives up on failed ones', () => {
    expect(wireRef(record({ state: 'pending' }), 'react', false)).to.equal('wait');
    expect(wireRef(record({ state: 'sent' }), 'react', true)).to.equal('wait');
    expect(wireRef(record({ state: 'failed' }), 'react', false)).to.equal(null);
    expect(wireRef(record({ own: false, originId: undefined, state: 'received' }), 'react', true)).to.equal(null);
  });
});

describe('the ops store', () => {
  let db: ChatDB;
  let n = 0;
  beforeEach(async () => {
    db = await openDatabase(`ops-${++n}-${Date.now()}`, 'memory');
  });
  afterEach(() => db.close());

  async function sentMessage(body = 'first'): Promise<MessageRecord> {
    const m = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body });
    await db.messages.update(m.id, { state: 'sent', attempts: 1 });
    return (await db.messages.get(m.id))!;
  }

  it('an edit of a sent message shows at once as edited and queues one correction', async () => {
    const m = await sentMessage();
    expect(await editOwnMessage(db, m.id, 'second', 42)).to.equal(true);
    const after = (await db.messages.get(m.id))!;
    expect([after.body, after.edited]).to.deep.equal(['second', 42]);
    expect((await db.conversations.get('bob@example.com'))!.last!.body).to.equal('second');
    const ops = await queuedOps(db);
    expect(ops.map((o) => [o.op, o.messageId, o.body])).to.deep.equal([['correct', m.id, 'second']]);
  });

  it('an edit or recall of a message never sent changes only the outbox', async () => {
    const m = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'typo' });
    expect(await editOwnMessage(db, m.id, 'fixed')).to.equal(false);
    const after = (await db.messages.get(m.id))!;
    expect([after.body, after.edited, after.state]).to.deep.equal(['fixed', undefined, 'pending']);
    expect(await recallOwnMessage(db, m.id)).to.equal(false);
    expect(await db.messages.get(m.id)).to.equal(undefined);
    expect(await queuedOps(db)).to.deep.equal([]);
    expect((await db.conversations.get('bob@example.com'))!.last).to.equal(undefined);
  });

  it('a recall wipes the content, drops queued corrections and queues a retraction', async () => {
    const m = await sentMessage();
    await db.messages.update(m.id, { reply: { ref: 'x' }, reactions: { '👍': ['bob'] } });
    await editOwnMessage(db, m.id, 'second');
    expect(await recallOwnMessage(db, m.id)).to.equal(true);
    const after = (await db.messages.get(m.id))!;
    expect([after.body, after.retracted, after.reply, after.reactions, after.edited]).to.deep.equal(['', true, undefined, undefined, undefined]);
    expect((await queuedOps(db)).map((o) => o.op)).to.deep.equal(['retract']);
    expect((await db.conversations.get('bob@example.com'))!.last!.retracted).to.equal(true);
  });

  it("reactions: the user's set replaces their earlier one; others' stay; only the latest set is queued", async () => {
    const [peer] = await ingestMessages(db, [{ id: 'p1', conversationId: 'bob@example.com', from: 'bob', own: false, body: 'hey', ts: 5, state: 'received', remoteId: 'r1' }]);
    await db.messages.update(peer!.id, { reactions: { '👍': ['bob'] } });
    await setOwnReactions(db, peer!.id, 'alice', ['👍', '🎉']);
    expect((await db.messages.get(peer!.id))!.reactions).to.deep.equal({ '👍': ['bob', 'alice'], '🎉': ['alice'] });
    await setOwnReactions(db, peer!.id, 'alice', ['🎉']);
    expect((await db.messages.get(peer!.id))!.reactions).to.deep.equal({ '👍': ['bob'], '🎉': ['alice'] });
    const ops = await queuedOps(db);
    expect(ops.map((o) => [o.op, o.emojis])).to.deep.equal([['react', ['🎉']]]);
  });

  it('a rich outgoing message enters the outbox whole, with its preview', async () => {
    const m = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'geo:1,2' }, { location: { lat: 1, lon: 2 }, reply: undefined });
    const stored = (await db.messages.get(m.id))!;
    expect(stored.location).to.deep.equal({ lat: 1, lon: 2 });
    expect('reply' in stored).to.equal(false);
    expect((await db.conversations.get('bob@example.com'))!.last!.location).to.equal(true);
  });
});

describe('hooks', () => {
  const base = { conversationId: 'bob@example.com', kind: 'text' as const, text: 'darn it' };

  it('beforeSend may rewrite text, returns the message as is when it returns nothing, and vetoes by throwing', async () => {
    expect(await runBeforeSend({}, base)).to.equal(base);
    expect((await runBeforeSend({ beforeSend: (m) => ({ ...m, text: m.text.replace('darn', '****') }) }, base)).text).to.equal('**** it');
    expect(await runBeforeSend({ beforeSend: () => undefined }, base)).to.deep.equal(base);
    // Only text (and custom data) may change.
    const changed = await runBeforeSend({ beforeSend: (m) => ({ ...m, conversationId: 'eve@example.com', kind: 'custom' }) }, base);
    expect([changed.conversationId, changed.kind]).to.deep.equal(['bob@example.com', 'text']);
    let error: unknown;
    try {
      await runBeforeSend({ beforeSend: async () => Promise.reject(new Error('no swearing')) }, base);
    } catch (err) {
      error = err;
    }
    expect(error).to.be.instanceOf(ChatKitError);
    expect((error as ChatKitError).code).to.equal('send-vetoed');
    expect((error as ChatKitError).message).to.contain('no swearing');
  });

  it('filterIncoming: false hides, a throwing hook keeps, pipeline fields are not shown to it', async () => {
    const seen: object[] = [];
    const filter = incomingFilter({ filterIncoming: (m) => (seen.push(m), !m.body.includes('spam')) })!;
    const m = { id: 'x', conversationId: 'bob@example.com', from: 'bob', own: false, body: 'buy spam', ts: 1, state: 'received' as const, conversationType: 'chat' as const };
    expect(await filter(m)).to.equal(false);
    expect(await filter({ ...m, body: 'hello' })).to.equal(true);
    expect(Object.keys(seen[0]!)).to.not.include('conversationType');
    const throwing = incomingFilter({ filterIncoming: () => { throw new Error('bug'); } })!;
    expect(await throwing(m)).to.equal(true);
    expect(incomingFilter({})).to.equal(undefined);
  });

  it('custom data must be JSON-like', () => {
    expect(isCustomData({ a: [1, 'x', null, true, { b: 2 }] })).to.equal(true);
    expect(isCustomData({ a: () => 1 })).to.equal(false);
    expect(isCustomData({ a: Number.NaN })).to.equal(false);
    expect(isCustomData(new Date())).to.equal(false);
    let deep: unknown = 1;
    for (let i = 0; i < 40; i++) deep = [deep];
    expect(isCustomData(deep)).to.equal(false);
  });
});
