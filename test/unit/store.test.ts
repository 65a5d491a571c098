import { expect } from '@open-wc/testing';
import { openDatabase } from '../../src/store/open.js';
import type { ChatDB } from '../../src/store/schema.js';
import {
  addOutgoing,
  ingestMessages,
  markConversationRead,
  markReadUpTo,
  setMessageState,
  type IncomingMessage,
} from '../../src/store/messages.js';
import { latestMessages, pendingMessages, recentConversations } from '../../src/store/queries.js';
import { watchFresh, type FreshEvent } from '../../src/store/fresh.js';

let db: ChatDB;
let n = 0;

function peerMessage(over: Partial<IncomingMessage> = {}): IncomingMessage {
  n += 1;
  return {
    id: `m${n}`,
    conversationId: 'bob@example.com',
    from: 'bob',
    own: false,
    body: `hello ${n}`,
    ts: 1000 + n,
    state: 'received',
    ...over,
  };
}

beforeEach(async () => {
  db = await openDatabase(`test-${crypto.randomUUID()}`, 'memory');
});

afterEach(() => db.close());

describe('store: receiving', () => {
  it('stores a message once whether it comes live, as a carbon or from the archive', async () => {
    const live = peerMessage({ originId: 'o1' });
    await ingestMessages(db, [live]);
    // Same message again with a fresh local id: matched by origin-id from the same sender.
    await ingestMessages(db, [{ ...live, id: 'other-local-id', stanzaId: 's1' }]);
    // And again by stanza-id alone.
    await ingestMessages(db, [{ ...live, id: 'third', originId: undefined, stanzaId: 's1' }]);
    const rows = await latestMessages(db, 'bob@example.com', 10);
    expect(rows.length).to.equal(1);
    expect(rows[0]!.stanzaId).to.equal('s1');
    const [conv] = await recentConversations(db);
    expect(conv!.unread).to.equal(1);
  });

  it("does not let another sender's origin-id hide a message", async () => {
    await ingestMessages(db, [peerMessage({ originId: 'same' })]);
    await ingestMessages(db, [peerMessage({ originId: 'same', from: 'mallory', conversationId: 'bob@example.com' })]);
    expect((await latestMessages(db, 'bob@example.com', 10)).length).to.equal(2);
  });

  it('keeps arrival order for appended messages, even with earlier stamps, and the newest as preview', async () => {
    await ingestMessages(db, [peerMessage({ ts: 5000, body: 'first' }), peerMessage({ ts: 3000, body: 'second' }), peerMessage({ ts: 5000, body: 'third' })]);
    const rows = await latestMessages(db, 'bob@example.com', 10);
    expect(rows.map((r) => r.body)).to.deep.equal(['first', 'second', 'third']);
    expect(rows.map((r) => r.sentAt ?? r.ts)).to.deep.equal([5000, 3000, 5000]);
    const [conv] = await recentConversations(db);
    expect(conv!.last?.body).to.equal('third');
    expect(conv!.lastAt).to.equal(5000);
  });

  it('counts unread exactly: once per new message, never for history paged in', async () => {
    await ingestMessages(db, [peerMessage({ ts: 100 }), peerMessage({ ts: 200 })]);
    expect((await recentConversations(db))[0]!.unread).to.equal(2);
    await markConversationRead(db, 'bob@example.com');
    expect((await recentConversations(db))[0]!.unread).to.equal(0);
    await ingestMessages(db, [peerMessage({ ts: 50 })], { placement: 'prepend' });
    await ingestMessages(db, [peerMessage({ ts: 300 })], { countUnread: false });
    expect((await recentConversations(db))[0]!.unread).to.equal(0);
    const fresh = peerMessage({ ts: 400, originId: 'fresh' });
    await ingestMessages(db, [fresh]);
    await ingestMessages(db, [{ ...fresh, id: 'again' }]);
    expect((await recentConversations(db))[0]!.unread).to.equal(1);
  });

  it('appends late arrivals after what is stored, and prepends history below it, in page order', async () => {
    await ingestMessages(db, [peerMessage({ ts: 10_000, body: 'live' })]);
    // Archive stamps are whole seconds: a message sent after "live" can carry an earlier stamp.
    await ingestMessages(db, [peerMessage({ ts: 9_000, body: 'caught up later' })]);
    await ingestMessages(db, [peerMessage({ ts: 9_000, body: 'old 1' }), peerMessage({ ts: 10_000, body: 'old 2' })], { placement: 'prepend' });
    const rows = await latestMessages(db, 'bob@example.com', 10);
    expect(rows.map((r) => r.body)).to.deep.equal(['old 1', 'old 2', 'live', 'caught up later']);
    expect(rows[3]!.sentAt).to.equal(9_000);
    expect(rows[2]!.sentAt).to.equal(undefined);
  });

  it('does not count messages in a conversation on screen', async () => {
    await ingestMessages(db, [peerMessage()], { viewing: new Set(['bob@example.com']) });
    expect((await recentConversations(db))[0]!.unread).to.equal(0);
  });

  it('lists conversations most recent first', async () => {
    await ingestMessages(db, [peerMessage({ ts: 10 }), peerMessage({ conversationId: 'carol@example.com', from: 'carol', ts: 20 })]);
    expect((await recentConversations(db)).map((c) => c.id)).to.deep.equal(['carol@example.com', 'bob@example.com']);
  });
});

describe('store: sending', () => {
  it('queues own messages as pending in send order, and moves state only forward', async () => {
    const a = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'one' });
    const b = await addOutgoing(db, { conversationId: 'carol@example.com', conversationType: 'chat', from: 'alice', body: 'two' });
    expect(a.originId).to.equal(a.id);
    expect((await pendingMessages(db)).map((m) => m.body)).to.deep.equal(['one', 'two']);
    await setMessageState(db, a.id, 'delivered');
    await setMessageState(db, a.id, 'sent');
    expect((await db.messages.get(a.id))!.state).to.equal('delivered');
    expect((await pendingMessages(db)).map((m) => m.id)).to.deep.equal([b.id]);
    const conv = (await recentConversations(db)).find((c) => c.id === 'bob@example.com');
    expect(conv!.last?.state).to.equal('delivered');
    expect(conv!.unread).to.equal(0);
  });

  it('marks failed with a reason and can go back to pending', async () => {
    const a = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'x' });
    await setMessageState(db, a.id, 'failed', { error: 'nope' });
    expect(await db.messages.get(a.id)).to.deep.include({ state: 'failed', error: 'nope' });
    await setMessageState(db, a.id, 'pending', { attempts: 0 });
    const m = await db.messages.get(a.id);
    expect(m!.state).to.equal('pending');
    expect(m!.error).to.equal(undefined);
  });

  it('recognises the archive copy of an own message and marks it sent', async () => {
    const a = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'x' });
    await ingestMessages(db, [{ ...a, id: a.id, state: 'sent', stanzaId: 'arch-1' }]);
    const rows = await latestMessages(db, 'bob@example.com', 10);
    expect(rows.length).to.equal(1);
    expect(rows[0]).to.deep.include({ state: 'sent', stanzaId: 'arch-1' });
  });
});

describe('store: read markers', () => {
  it('a displayed marker reads every own message up to it, walking back only to the last one already read', async () => {
    const send = (body: string) => addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body });
    const [a, b, c] = [await send('a'), await send('b'), await send('c')];
    await ingestMessages(db, [peerMessage({ ts: Date.now() + 10 })]);
    const d = await send('d');
    for (const m of [a, b, c, d]) await setMessageState(db, m.id, 'sent');
    await setMessageState(db, b.id, 'delivered');
    expect(await markReadUpTo(db, 'bob@example.com', c.id)).to.equal(3);
    const state = async (id: string) => (await db.messages.get(id))!.state;
    expect([await state(a.id), await state(b.id), await state(c.id), await state(d.id)]).to.deep.equal(['read', 'read', 'read', 'sent']);
    // The next marker walks back only as far as c, the last message already read: an older
    // message is not visited, even one left unread (forced here to show where the walk stops).
    await db.messages.update(a.id, { state: 'sent' });
    expect(await markReadUpTo(db, 'bob@example.com', d.id)).to.equal(1);
    expect(await state(a.id)).to.equal('sent');
    expect(await state(d.id)).to.equal('read');
  });
});

describe('store: fresh records for this tab', () => {
  it('tells watchers of a new message before the write commits, once, and never of history or duplicates', async () => {
    const seen: string[][] = [];
    const order: string[] = [];
    const stop = watchFresh(db, (e) => {
      if ('added' in e) seen.push(e.added.map((r) => r.id));
      order.push('told');
    });
    const first = peerMessage({ originId: 'o-fresh' });
    await ingestMessages(db, [first]).then(() => order.push('stored'));
    // Told while the write was under way, not after it.
    expect(order).to.deep.equal(['told', 'stored']);
    await ingestMessages(db, [{ ...first, id: 'again' }]);
    await ingestMessages(db, [peerMessage({ ts: 1 })], { placement: 'prepend' });
    const own = await addOutgoing(db, { conversationId: 'bob@example.com', conversationType: 'chat', from: 'alice', body: 'mine' }, { location: { lat: 1, lon: 2 } });
    stop();
    await ingestMessages(db, [peerMessage()]);
    expect(seen).to.deep.equal([[first.id], [own.id]]);
    // The fresh own record is whole (rich fields included), as stored.
    expect((await db.messages.get(own.id))!.location).to.deep.equal({ lat: 1, lon: 2 });
  });

  it('takes a record back when its write fails', async () => {
    const events: FreshEvent[] = [];
    watchFresh(db, (e) => events.push(e));
    // The store refuses the row (as a full disk would): the transaction aborts.
    const refuse = (): never => {
      throw new Error('disk full');
    };
    db.messages.hook('creating', refuse);
    let failed = false;
    await ingestMessages(db, [peerMessage({ id: 'doomed' })]).catch(() => (failed = true));
    db.messages.hook('creating').unsubscribe(refuse);
    expect(failed).to.equal(true);
    expect(events.map((e) => ('added' in e ? { added: e.added.map((r) => r.id) } : e))).to.deep.equal([{ added: ['doomed'] }, { dropped: ['doomed'] }]);
    expect(await db.messages.get('doomed')).to.equal(undefined);
  });
});
