import { expect } from '@open-wc/testing';
import { openDatabase } from '../../src/store/open.js';
import type { ChatDB } from '../../src/store/schema.js';
import { addOutgoing, ingestMessages, markConversationRead, type IncomingMessage } from '../../src/store/messages.js';
import { recentConversations, roomMembers, totalUnread } from '../../src/store/queries.js';
import { markConversationLeft, setConversationFlags } from '../../src/store/conversations.js';
import { replaceRoomMembers, updateMember } from '../../src/store/members.js';
import { ChatKit, ChatKitError } from '../../src/index.js';

const ROOM = 'team@conference.example.com';
let db: ChatDB;
let n = 0;

function groupMessage(over: Partial<IncomingMessage> = {}): IncomingMessage {
  n += 1;
  return { id: `g${n}`, conversationId: ROOM, conversationType: 'group', from: 'bob', own: false, body: `m${n}`, ts: 1000 + n, state: 'received', ...over };
}

beforeEach(async () => {
  db = await openDatabase(`group-${crypto.randomUUID()}`, 'memory');
});
afterEach(() => db.close());

describe('store: groups', () => {
  it('system lines are not unread; a mention marks the conversation until it is read', async () => {
    await ingestMessages(db, [
      groupMessage({ kind: 'system', system: { event: 'joined', target: 'carol' }, body: 'carol joined', from: '' }),
      groupMessage(),
      groupMessage({ mentions: [{ begin: 0, end: 2, uri: 'xmpp:alice@example.com' }], mentioned: true }),
    ]);
    let conv = (await db.conversations.get(ROOM))!;
    expect([conv.type, conv.unread, conv.mentioned]).to.deep.equal(['group', 2, true]);
    await markConversationRead(db, ROOM);
    conv = (await db.conversations.get(ROOM))!;
    expect([conv.unread, conv.mentioned]).to.deep.equal([0, false]);
    // The preview says what the last line is.
    await ingestMessages(db, [groupMessage({ kind: 'system', system: { event: 'left', target: 'bob' }, body: 'bob left' })]);
    expect((await db.conversations.get(ROOM))!.last).to.deep.include({ kind: 'system', system: { event: 'left', target: 'bob' } });
    expect((await db.conversations.get(ROOM))!.unread).to.equal(0);
  });

  it('a mention read on arrival (the conversation on screen) marks nothing', async () => {
    await ingestMessages(db, [groupMessage({ mentioned: true })], { viewing: { has: (id) => id === ROOM } });
    const conv = (await db.conversations.get(ROOM))!;
    expect([conv.unread, conv.mentioned]).to.deep.equal([0, undefined]);
  });

  it('sending keeps the mentions, clears the draft, unread count and mention', async () => {
    await ingestMessages(db, [groupMessage({ mentioned: true })]);
    await setConversationFlags(db, ROOM, { draft: 'half' });
    const sent = await addOutgoing(db, { conversationId: ROOM, conversationType: 'group', from: 'alice', body: 'hi @Bob', mentions: [{ begin: 3, end: 7, uri: 'xmpp:bob@example.com' }] });
    expect((await db.messages.get(sent.id))!.mentions).to.deep.equal([{ begin: 3, end: 7, uri: 'xmpp:bob@example.com' }]);
    const conv = (await db.conversations.get(ROOM))!;
    expect([conv.unread, conv.mentioned, conv.draft]).to.deep.equal([0, undefined, undefined]);
  });

  it('list flags: drafts, mute, pin and hide, on new and existing conversations', async () => {
    await setConversationFlags(db, 'new@example.com', { draft: 'typed before any message' });
    expect(await db.conversations.get('new@example.com')).to.deep.include({ type: 'chat', draft: 'typed before any message', pin: 0 });
    await setConversationFlags(db, 'new@example.com', { draft: undefined, pin: 1, muted: true });
    expect(await db.conversations.get('new@example.com')).to.not.have.property('draft');
    await ingestMessages(db, [groupMessage(), groupMessage(), groupMessage({ conversationId: 'bob@example.com', conversationType: 'chat' })]);
    expect(await totalUnread(db)).to.equal(3);
    await setConversationFlags(db, ROOM, { muted: true });
    expect(await totalUnread(db)).to.equal(1);
    await setConversationFlags(db, 'bob@example.com', { hidden: true });
    expect(await totalUnread(db)).to.equal(0);
    expect((await recentConversations(db)).map((c) => c.id)).to.deep.equal(['new@example.com', ROOM]); // pinned first, hidden gone
    await setConversationFlags(db, ROOM, { muted: false });
    expect(await db.conversations.get(ROOM)).to.not.have.property('muted');
  });

  it('members: ordered by standing; the server list replaces, presence keeps who is in', async () => {
    await updateMember(db, ROOM, { userId: 'zed', jid: 'zed@example.com', affiliation: 'member', online: true, role: 'participant', nick: 'zed' });
    await replaceRoomMembers(db, ROOM, [
      { userId: 'zed', jid: 'zed@example.com', affiliation: 'member' },
      { userId: 'bob', jid: 'bob@example.com', affiliation: 'admin' },
      { userId: 'amy', jid: 'amy@example.com', affiliation: 'member' },
      { userId: 'carl', jid: 'carl@example.com', affiliation: 'owner' },
    ]);
    const rows = await roomMembers(db, ROOM);
    expect(rows.map((m) => [m.userId, m.affiliation, m.online])).to.deep.equal([
      ['carl', 'owner', false],
      ['bob', 'admin', false],
      ['amy', 'member', false],
      ['zed', 'member', true],
    ]);
    expect(rows[3]!.role).to.equal('participant');
    const prev = await updateMember(db, ROOM, { userId: 'zed', jid: 'zed@example.com', affiliation: null });
    expect(prev?.userId).to.equal('zed');
    await replaceRoomMembers(db, ROOM, [{ userId: 'carl', jid: 'carl@example.com', affiliation: 'owner' }]);
    expect((await roomMembers(db, ROOM)).map((m) => m.userId)).to.deep.equal(['carl']);
    expect(await roomMembers(db, 'other@conference.example.com')).to.deep.equal([]);
  });

  it('a left group stays, marked, once', async () => {
    await ingestMessages(db, [groupMessage()]);
    expect(await markConversationLeft(db, ROOM, 'kicked')).to.equal(true);
    expect(await markConversationLeft(db, ROOM, 'kicked')).to.equal(false);
    expect(await db.conversations.get(ROOM)).to.deep.include({ left: true, leftReason: 'kicked' });
    expect(await markConversationLeft(db, 'unknown@conference.example.com', 'left')).to.equal(false);
  });

  it('the kit sets drafts, pins, mutes and hides, and keeps a total for the app’s badge', async () => {
    const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
    const totals: number[] = [];
    kit.addEventListener('ck-unread', (e) => totals.push(e.total));
    await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
    await ingestMessages(kit.db!, [groupMessage(), groupMessage(), groupMessage({ conversationId: 'bob@example.com', conversationType: 'chat' })]);
    await waitFor(() => kit.totalUnread === 3);
    await kit.setDraft('bob@example.com', 'see you');
    await kit.pin(ROOM, true);
    await kit.mute(ROOM, true);
    await waitFor(() => kit.totalUnread === 1);
    expect(await kit.db!.conversations.get(ROOM)).to.deep.include({ pin: 1, muted: true });
    expect((await kit.db!.conversations.get('bob@example.com'))!.draft).to.equal('see you');
    await kit.setDraft('bob@example.com', '   ');
    expect(await kit.db!.conversations.get('bob@example.com')).to.not.have.property('draft');
    await kit.hide('bob@example.com');
    await waitFor(() => kit.totalUnread === 0);
    expect((await recentConversations(kit.db!)).map((c) => c.id)).to.deep.equal([ROOM]);
    expect(totals).to.deep.equal([3, 1, 0]);
    // Group actions need the server; a group needs to be one.
    const err = (await kit.kick(ROOM, ['bob']).catch((e: unknown) => e)) as ChatKitError;
    expect(err.code).to.equal('offline');
    const mentionIn1to1 = (await kit.send('bob@example.com', 'hi', { mentions: [{ begin: 0, end: 2, uri: 'xmpp:bob@example.com' }] }).catch((e: unknown) => e)) as ChatKitError;
    expect(mentionIn1to1.code).to.equal('invalid-argument');
    await kit.close();
    expect(kit.totalUnread).to.equal(0);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(check()).to.equal(true);
}
