// Rich messages in the store: changes applied to the message they name (or kept until it
// comes), forgeries dropped, previews refreshed, replies resolved, typing rows.
import { expect } from '@open-wc/testing';
import { openDatabase } from '../../src/store/open.js';
import type { ChatDB } from '../../src/store/schema.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { messagesByRef, MAX_ORPHANS } from '../../src/store/changes.js';
import { clearTyping, setTyping } from '../../src/store/typing.js';
import type { MessageChange, MessageRecord } from '../../src/store/records.js';

const BOB = 'bob@example.com';
const ROOM = 'team@conference.example.com';
let db: ChatDB;
let n = 0;

function message(over: Partial<IncomingMessage> = {}): IncomingMessage {
  n += 1;
  return { id: `m${n}`, conversationId: BOB, conversationType: 'chat', from: 'bob', own: false, body: `hello ${n}`, ts: 1000 + n, state: 'received', ...over };
}

/** A change item as the parsers hand it over: no content of its own. */
function change(ref: string, c: MessageChange, over: Partial<IncomingMessage> = {}): IncomingMessage {
  return message({ body: '', change: { ref, change: c }, ...over });
}

async function stored(id: string): Promise<MessageRecord> {
  const m = await db.messages.get(id);
  if (!m) throw new Error(`no message ${id}`);
  return m;
}

beforeEach(async () => {
  db = await openDatabase(`rich-${crypto.randomUUID()}`, 'memory');
});
afterEach(() => db.close());

describe('store: corrections and recalls', () => {
  it("the author's correction replaces the body, marks it edited and drops mentions; no new row, no unread", async () => {
    await ingestMessages(db, [message({ id: 'a', remoteId: 'wire-a', mentions: [{ begin: 0, end: 2, uri: 'xmpp:alice@example.com' }], mentioned: true })]);
    const before = (await db.conversations.get(BOB))!;
    await ingestMessages(db, [change('wire-a', { kind: 'correct', body: 'fixed' }, { ts: 5000 })]);
    const m = await stored('a');
    expect(m).to.include({ body: 'fixed', edited: 5000 });
    expect(m).to.not.have.any.keys('mentions', 'mentioned');
    expect(await db.messages.count()).to.equal(1);
    const conv = (await db.conversations.get(BOB))!;
    expect([conv.unread, conv.lastAt]).to.deep.equal([before.unread, before.lastAt]);
    expect(conv.last).to.include({ id: 'a', body: 'fixed' });
  });

  it("drops someone else's correction or recall (forgery) and an older correction replayed", async () => {
    await ingestMessages(db, [message({ id: 'a', originId: 'o-a', conversationId: ROOM, conversationType: 'group', body: 'bob wrote this' })]);
    await ingestMessages(db, [
      change('o-a', { kind: 'correct', body: 'mallory wrote this' }, { conversationId: ROOM, from: 'mallory' }),
      change('o-a', { kind: 'retract' }, { conversationId: ROOM, from: 'mallory' }),
    ]);
    expect(await stored('a')).to.include({ body: 'bob wrote this' });
    expect(await stored('a')).to.not.have.key('retracted');
    await ingestMessages(db, [change('o-a', { kind: 'correct', body: 'second' }, { conversationId: ROOM, ts: 9000 })]);
    await ingestMessages(db, [change('o-a', { kind: 'correct', body: 'first' }, { conversationId: ROOM, ts: 8000 })]);
    expect(await stored('a')).to.include({ body: 'second', edited: 9000 });
    // A forged change is not kept waiting either.
    expect(await db.orphans.count()).to.equal(0);
  });

  it('a recall wipes the content and the preview says so', async () => {
    await ingestMessages(db, [
      message({
        id: 'a',
        remoteId: 'w',
        body: 'https://u.example.com/p.png',
        attachment: { url: 'https://u.example.com/p.png', name: 'p.png', size: 1, mime: 'image/png' },
        reply: { ref: 'x' },
        reactions: { '👍': ['alice'] },
        custom: { type: 'card', data: 1 },
        location: { lat: 1, lon: 2 },
      }),
    ]);
    await ingestMessages(db, [change('w', { kind: 'retract' })]);
    const m = await stored('a');
    expect(m).to.include({ retracted: true, body: '' });
    expect(m).to.not.have.any.keys('attachment', 'reply', 'reactions', 'custom', 'location');
    expect((await db.conversations.get(BOB))!.last).to.deep.equal({ id: 'a', from: 'bob', own: false, body: '', state: 'received', retracted: true });
    // Nothing changes a recalled message.
    await ingestMessages(db, [change('w', { kind: 'correct', body: 'back' }), change('w', { kind: 'react', emojis: ['👍'] }, { from: 'alice', own: true })]);
    expect(await stored('a')).to.include({ body: '', retracted: true });
    expect(await stored('a')).to.not.have.key('reactions');
  });

  it('refreshes the preview only when the changed message is the newest', async () => {
    await ingestMessages(db, [message({ id: 'old', remoteId: 'w-old', body: 'old' }), message({ id: 'new', body: 'new' })]);
    await ingestMessages(db, [change('w-old', { kind: 'correct', body: 'old fixed' })]);
    expect((await db.conversations.get(BOB))!.last).to.include({ id: 'new', body: 'new' });
  });
});

describe('store: reactions', () => {
  it("each sender's newest set replaces their earlier one; emojis nobody uses go", async () => {
    await ingestMessages(db, [message({ id: 'a', originId: 'o-a' })]);
    await ingestMessages(db, [
      change('o-a', { kind: 'react', emojis: ['👍', '❤️'] }),
      change('o-a', { kind: 'react', emojis: ['👍'] }, { from: 'alice', own: true }),
    ]);
    expect((await stored('a')).reactions).to.deep.equal({ '👍': ['bob', 'alice'], '❤️': ['bob'] });
    await ingestMessages(db, [change('o-a', { kind: 'react', emojis: ['😂'] })]);
    expect((await stored('a')).reactions).to.deep.equal({ '👍': ['alice'], '😂': ['bob'] });
    await ingestMessages(db, [change('o-a', { kind: 'react', emojis: [] }), change('o-a', { kind: 'react', emojis: [] }, { from: 'alice', own: true })]);
    expect(await stored('a')).to.not.have.key('reactions');
  });

  it('groups name messages by the room stanza-id for reactions and by the id attribute for corrections', async () => {
    const g = { conversationId: ROOM, conversationType: 'group' as const };
    await ingestMessages(db, [message({ id: 'a', stanzaId: 'room-1', remoteId: 'bob-1', ...g })]);
    await ingestMessages(db, [
      change('room-1', { kind: 'react', emojis: ['🎉'] }, { from: 'carol', ...g }),
      change('bob-1', { kind: 'correct', body: 'edited' }, g),
    ]);
    expect(await stored('a')).to.deep.include({ body: 'edited', reactions: { '🎉': ['carol'] } });
  });
});

describe('store: changes that come before their message', () => {
  it('wait as orphans and apply when older history is paged in (prepend), then are gone', async () => {
    await ingestMessages(db, [message({ id: 'newest', body: 'newest', ts: 10_000 })]);
    await ingestMessages(db, [
      change('w-old', { kind: 'correct', body: 'corrected' }, { ts: 11_000 }),
      change('w-old', { kind: 'react', emojis: ['👍'] }, { from: 'alice', own: true, ts: 11_001 }),
      change('w-old', { kind: 'correct', body: 'forged' }, { from: 'mallory', ts: 11_002 }),
      change('w-gone', { kind: 'retract' }, { ts: 11_003 }),
    ]);
    expect(await db.orphans.count()).to.equal(4);
    expect(await db.messages.count()).to.equal(1);
    const added = await ingestMessages(db, [message({ id: 'old', remoteId: 'w-old', body: 'typo', ts: 500 })], { placement: 'prepend' });
    expect(added.map((m) => m.id)).to.deep.equal(['old']);
    expect(await stored('old')).to.deep.include({ body: 'corrected', edited: 11_000, reactions: { '👍': ['alice'] } });
    // Applied (and the forgery discarded) orphans are gone; the one still waiting stays.
    expect((await db.orphans.toArray()).map((o) => o.ref)).to.deep.equal(['w-gone']);
    expect((await db.conversations.get(BOB))!.last).to.include({ id: 'newest' });
  });

  it("a sender's newer reaction waiting as an orphan is not undone by their older one in the page that brings the message", async () => {
    await ingestMessages(db, [message({ id: 'newest', body: 'newest', ts: 10_000 })]);
    await ingestMessages(db, [change('w-r', { kind: 'react', emojis: ['🎉'] }, { from: 'carol', ts: 9_000 })]);
    // The older page, oldest first: the message, then carol's earlier set.
    await ingestMessages(db, [message({ id: 'r', remoteId: 'w-r', ts: 100 }), change('w-r', { kind: 'react', emojis: ['👎'] }, { from: 'carol', ts: 200 })], { placement: 'prepend' });
    expect((await stored('r')).reactions).to.deep.equal({ '🎉': ['carol'] });
    // A newer set still replaces it.
    await ingestMessages(db, [change('w-r', { kind: 'react', emojis: [] }, { from: 'carol', ts: 12_000 })]);
    expect((await stored('r')).reactions).to.equal(undefined);
  });

  it('a change before its message in the same batch (archive order) applies; a recall before the message hides it', async () => {
    await ingestMessages(db, [change('o-1', { kind: 'correct', body: 'after' }, { ts: 2000 }), message({ id: 'x', originId: 'o-1', body: 'before', ts: 1000 })]);
    expect(await stored('x')).to.include({ body: 'after', edited: 2000 });
    expect(await db.orphans.count()).to.equal(0);
    await ingestMessages(db, [change('o-2', { kind: 'retract' })]);
    await ingestMessages(db, [message({ id: 'y', originId: 'o-2', body: 'regret' })]);
    expect(await stored('y')).to.include({ body: '', retracted: true });
    expect((await db.conversations.get(BOB))!.last).to.include({ id: 'y', retracted: true, body: '' });
  });

  it('our own group message learns its stanza-id from the echo: reactions that named it apply then', async () => {
    const g = { conversationId: ROOM, conversationType: 'group' as const };
    await ingestMessages(db, [message({ id: 'mine', originId: 'mine', from: 'alice', own: true, state: 'sent', body: 'mine', ...g })]);
    await ingestMessages(db, [change('room-7', { kind: 'react', emojis: ['👀'] }, { from: 'carol', ...g })]);
    expect(await db.orphans.count()).to.equal(1);
    // The echo: same origin-id, now with the room's stanza-id.
    await ingestMessages(db, [message({ id: 'echo', originId: 'mine', stanzaId: 'room-7', from: 'alice', own: true, state: 'sent', body: 'mine', ...g })]);
    expect(await stored('mine')).to.deep.include({ stanzaId: 'room-7', reactions: { '👀': ['carol'] } });
    expect(await db.orphans.count()).to.equal(0);
    expect(await db.messages.count()).to.equal(1);
  });

  it('keeps the orphans table bounded', async () => {
    const flood = Array.from({ length: MAX_ORPHANS + 5 }, (_, i) => change(`nothing-${i}`, { kind: 'react', emojis: ['x'] }));
    await ingestMessages(db, flood);
    expect(await db.orphans.count()).to.equal(MAX_ORPHANS);
    // Nothing else was made of them: no conversation, no rows.
    expect(await db.messages.count()).to.equal(0);
    expect(await db.conversations.count()).to.equal(0);
  });
});

describe('store: replies and previews', () => {
  it('points a reply at its stored original, filling author and excerpt; a later original is found by ref', async () => {
    await ingestMessages(db, [message({ id: 'orig', remoteId: 'w-orig', body: 'the original text' })]);
    await ingestMessages(db, [message({ id: 'r', from: 'alice', own: true, state: 'sent', body: 'yes', reply: { ref: 'w-orig' } })]);
    expect((await stored('r')).reply).to.deep.equal({ ref: 'w-orig', id: 'orig', to: 'bob', excerpt: 'the original text' });
    // The original not stored yet: the ref stays for the UI to resolve later.
    await ingestMessages(db, [message({ id: 'r2', body: 'too', reply: { ref: 'w-later', excerpt: 'q' } })]);
    expect((await stored('r2')).reply).to.deep.equal({ ref: 'w-later', excerpt: 'q' });
    await ingestMessages(db, [message({ id: 'later', remoteId: 'w-later' })], { placement: 'prepend' });
    expect((await messagesByRef(db, BOB, 'w-later')).map((m) => m.id)).to.deep.equal(['later']);
  });

  it('previews say what a file, voice message, location or custom message is', async () => {
    await ingestMessages(db, [message({ id: 'v', body: 'https://u/v.ogg', attachment: { url: 'https://u/v.ogg', name: 'v.ogg', size: 9, mime: 'audio/ogg', voice: true } })]);
    expect((await db.conversations.get(BOB))!.last).to.deep.include({ attachment: { name: 'v.ogg', mime: 'audio/ogg', voice: true } });
    await ingestMessages(db, [message({ id: 'l', body: 'geo:1,2', location: { lat: 1, lon: 2 } })]);
    expect((await db.conversations.get(BOB))!.last).to.include({ location: true });
    await ingestMessages(db, [message({ id: 'c', body: 'Card', custom: { type: 'card', data: { n: 'B' } } })]);
    expect((await db.conversations.get(BOB))!.last).to.deep.include({ custom: { type: 'card', data: { n: 'B' } } });
  });
});

describe('store: typing', () => {
  const typingItem = (on: boolean, over: Partial<IncomingMessage> = {}) => message({ body: '', typing: on, ...over });

  it('composing adds a row, paused removes it, a message from the sender ends it; own states and bare states make no rows', async () => {
    await ingestMessages(db, [typingItem(true, { ts: 7000 })]);
    expect(await db.typing.toArray()).to.deep.equal([{ key: `${BOB} bob`, conversationId: BOB, userId: 'bob', at: 7000 }]);
    expect(await db.messages.count()).to.equal(0);
    expect(await db.conversations.count()).to.equal(0);
    await ingestMessages(db, [typingItem(false)]);
    expect(await db.typing.count()).to.equal(0);
    await ingestMessages(db, [typingItem(true)]);
    await ingestMessages(db, [message({ body: 'done typing' })]);
    expect(await db.typing.count()).to.equal(0);
    // The last state in a batch wins.
    await ingestMessages(db, [message({ body: 'one more' }), typingItem(true)]);
    expect(await db.typing.count()).to.equal(1);
    await ingestMessages(db, [typingItem(true, { from: 'alice', own: true })]);
    expect(await db.typing.count()).to.equal(1);
  });

  it('setTyping and clearTyping', async () => {
    await setTyping(db, ROOM, 'carol', true, 1);
    await setTyping(db, ROOM, 'dave', true, 2);
    await setTyping(db, ROOM, 'carol', false, 3);
    expect((await db.typing.toArray()).map((t) => t.key)).to.deep.equal([`${ROOM} dave`]);
    await clearTyping(db);
    expect(await db.typing.count()).to.equal(0);
  });
});

describe('store: large batches', () => {
  it('one transaction takes 1,000 plain messages, and a 2,000-item page mixing messages, replies and changes', async () => {
    // Regression: awaiting plain promises per item made Dexie lose its transaction after ~100.
    const plain = Array.from({ length: 1000 }, (_, i) => message({ id: `plain${i}` }));
    expect((await ingestMessages(db, plain)).length).to.equal(1000);
    const batch: IncomingMessage[] = [];
    for (let i = 0; i < 1000; i += 1) {
      batch.push(message({ id: `big${i}`, remoteId: `w${i}`, conversationId: i % 2 ? BOB : ROOM, conversationType: i % 2 ? 'chat' : 'group' }));
      if (i % 3 === 0) batch.push(change(`w${i}`, { kind: 'react', emojis: ['👍'] }, { from: 'carol', conversationId: i % 2 ? BOB : ROOM }));
      else batch.push(message({ conversationId: i % 2 ? BOB : ROOM, conversationType: i % 2 ? 'chat' : 'group', reply: { ref: `w${i}` } }));
    }
    const added = await ingestMessages(db, batch);
    expect(added.length).to.equal(1000 + 666);
    expect((await stored('big999')).reactions).to.deep.equal({ '👍': ['carol'] });
    const replies = (await db.messages.toArray()).filter((m) => m.reply);
    expect(replies.length).to.equal(666);
    expect(replies.every((m) => m.reply!.id?.startsWith('big'))).to.equal(true);
  });
});
