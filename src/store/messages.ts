import type { ChatDB } from './schema.js';
import type { ConversationRecord, ConversationType, Mention, MessageChange, MessagePreview, MessageRecord, MessageState } from './records.js';
import { nextSeq } from './seq.js';
import { DuplicateIndex } from './dedup.js';
import { ChangeBatch } from './changes.js';
import { typingKey } from './typing.js';
import { writingFresh } from './fresh.js';

/** A message as protocol code hands it over: everything but the local ordering key. */
export type IncomingMessage = Omit<MessageRecord, 'seq'> & {
  conversationType?: ConversationType;
  /** A group invitation riding the message pipeline (live and archive) to the group module; never stored. */
  invite?: GroupInvite;
  /**
   * A correction, recall or reaction riding the pipeline in order (live, held, archive):
   * applied to the message `ref` names, never stored as a row; `from` and `ts` say who and when.
   */
  change?: IncomingChange;
  /**
   * XEP-0085 from `from`: started (true) or stopped (false) typing. An item with it and
   * no content is a chat state only, never stored as a row.
   */
  typing?: boolean;
};

export interface IncomingChange {
  /** The wire id of the message changed (docs/rich-messages.md). */
  ref: string;
  change: MessageChange;
}

/** A change or a bare chat state: it updates other records and is not a message itself. */
export function isSignalOnly(m: IncomingMessage): boolean {
  return !!m.change || (m.typing !== undefined && m.body === '' && !m.attachment && !m.location && !m.custom);
}

/** An invitation to a group (XEP-0249 direct, or XEP-0045 mediated through the room). */
export interface GroupInvite {
  /** The room's bare JID. */
  room: string;
  /** The inviter's bare JID. */
  inviter: string;
  reason?: string;
}

export interface IngestOptions {
  /** Conversations the user is looking at now: their messages do not count as unread. */
  viewing?: { has(conversationId: string): boolean };
  /**
   * `append` (default): messages arriving now (live, carbons, offline storage, archive
   * catch-up) go after everything stored and count as unread. `prepend`: older
   * history paged in from the archive goes before everything and never counts.
   */
  placement?: 'append' | 'prepend';
  /** Whether appended messages count as unread (default yes); per message when a function. */
  countUnread?: boolean | ((m: IncomingMessage) => boolean);
}

/** A message as its conversation's list row shows it (the one place previews are made). */
export function messagePreview(m: MessageRecord): MessagePreview {
  const p: MessagePreview = { id: m.id, from: m.from, own: m.own, body: m.body, state: m.state };
  if (m.kind) p.kind = m.kind;
  if (m.system) p.system = m.system;
  if (m.attachment) {
    p.attachment = { name: m.attachment.name, mime: m.attachment.mime };
    if (m.attachment.voice) p.attachment.voice = true;
    if (m.attachment.duration !== undefined) p.attachment.duration = m.attachment.duration;
  }
  if (m.location) p.location = true;
  if (m.retracted) p.retracted = true;
  if (m.custom) p.custom = m.custom;
  return p;
}

function newConversation(id: string, type: ConversationType, at: number): ConversationRecord {
  return { id, type, lastAt: at, unread: 0, pin: 0 };
}

/** Puts `m` into its conversation's summary: preview and order. */
function touchConversation(conv: ConversationRecord, m: MessageRecord): void {
  if (!conv.last || m.ts >= conv.lastAt) {
    conv.last = messagePreview(m);
    conv.lastAt = m.ts;
  }
}

async function oldestTs(db: ChatDB, conversationId: string): Promise<number | undefined> {
  const first = await db.messages
    .where('[conversationId+ts+seq]')
    .between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity])
    .first();
  return first?.ts;
}

const stateRank: Record<MessageState, number> = { failed: 0, pending: 1, sent: 2, received: 2, delivered: 3, read: 4 };

/**
 * Stores messages from any source (live, carbon, offline storage, archive) in one
 * transaction, each once: a message already stored is merged, never added again,
 * so unread counts cannot double. Changes (corrections, recalls, reactions) and chat
 * states in the batch are applied in arrival order. Returns the records that were new.
 */
export async function ingestMessages(
  db: ChatDB,
  incoming: readonly IncomingMessage[],
  options: IngestOptions = {},
): Promise<MessageRecord[]> {
  if (incoming.length === 0) return [];
  const prepend = options.placement === 'prepend';
  const countRule = options.countUnread ?? true;
  const counts = (m: IncomingMessage): boolean => !prepend && (typeof countRule === 'function' ? countRule(m) : countRule);
  return writingFresh(db, (announce) => db.transaction('rw', [db.messages, db.conversations, db.orphans, db.typing], async () => {
    const added: MessageRecord[] = [];
    const touched = new Map<string, ConversationRecord>();
    // For prepending: the floor each conversation's older messages go under.
    const floors = new Map<string, number>();
    const messages = incoming.filter((m) => !isSignalOnly(m));
    const [known, changes] = await Promise.all([DuplicateIndex.load(db, messages), ChangeBatch.load(db, messages)]);
    // Who is typing, as the batch leaves it (later items win); written once at the end.
    const typing = new Map<string, { conversationId: string; userId: string; on: boolean; at: number }>();
    const toAdd: MessageRecord[] = [];
    // Every conversation of the batch in one read. The loop below must not await plain
    // promises per message: Dexie keeps its transaction zone across only so many native
    // awaits with no database call between them (a 100-message batch lost it).
    const convIds = [...new Set(incoming.map((m) => m.conversationId))];
    const stored = new Map<string, ConversationRecord>();
    (await db.conversations.bulkGet(convIds)).forEach((c) => c && stored.set(c.id, c));
    const conversation = (id: string): ConversationRecord | undefined => touched.get(id) ?? stored.get(id);
    // The list's preview shows a change when it hit the newest message.
    const refreshPreview = (changed: MessageRecord | undefined): void => {
      const conv = changed && conversation(changed.conversationId);
      if (!conv || conv.last?.id !== changed!.id) return;
      conv.last = messagePreview(changed!);
      touched.set(conv.id, conv);
    };
    for (const original of incoming) {
      const { conversationType, invite: _invite, change, typing: typingNow, ...m } = original;
      if (typingNow !== undefined && !m.own) {
        typing.set(typingKey(m.conversationId, m.from), { conversationId: m.conversationId, userId: m.from, on: typingNow, at: m.ts });
      }
      if (change) {
        refreshPreview(await changes.apply({ conversationId: m.conversationId, ref: change.ref, from: m.from, at: m.ts, change: change.change }));
        continue;
      }
      if (isSignalOnly(original)) continue;
      const dup = known.find(m);
      if (dup) {
        const patch: Partial<MessageRecord> = {};
        if (m.stanzaId && !dup.stanzaId) patch.stanzaId = m.stanzaId;
        // The server holding our own message proves it was sent (a refusal still stands).
        if (dup.own && dup.state !== 'failed' && stateRank[m.state] > stateRank[dup.state]) patch.state = m.state;
        if (Object.keys(patch).length) await db.messages.update(dup.id, patch);
        // Changes may have named it by the id it just learnt.
        if (patch.stanzaId) refreshPreview(await changes.adoptStored({ ...dup, ...patch }));
        continue;
      }
      let conv = conversation(m.conversationId);
      // A 1:1 message "from" a group's JID is a room private message (or a forgery of one):
      // filed under the group it would read as the room's own words, so it is dropped.
      if (conv?.type === 'group' && conversationType !== 'group') continue;
      conv ??= newConversation(m.conversationId, conversationType ?? 'chat', m.ts);
      let ts = m.ts;
      if (prepend) {
        if (!floors.has(conv.id)) floors.set(conv.id, (await oldestTs(db, conv.id)) ?? Infinity);
        // A page arrives oldest first and is older than everything stored: everything in
        // it goes strictly below the stored oldest, equal clamped times keeping page order by seq.
        ts = Math.min(ts, floors.get(conv.id)! - 1);
      } else if (conv.last) {
        ts = Math.max(ts, conv.lastAt);
      }
      const record: MessageRecord = { ...m, ts, seq: nextSeq() };
      // An id already taken by a different message must not abort the whole batch.
      if (known.taken(record.id)) record.id = crypto.randomUUID();
      if (ts !== m.ts) record.sentAt = m.sentAt ?? m.ts;
      if (record.reply && record.reply.id === undefined) await changes.resolveReply(record);
      // Changes that came before the message (orphans) apply before anyone sees it.
      changes.adopt(record);
      toAdd.push(record);
      known.add(record);
      added.push(record);
      touchConversation(conv, record);
      // A message from someone ends their typing.
      if (!record.own && !prepend) typing.set(typingKey(record.conversationId, record.from), { conversationId: record.conversationId, userId: record.from, on: false, at: record.ts });
      // A hidden conversation comes back with its next message.
      if (!prepend && conv.hidden) conv.hidden = false;
      // System lines (joins, renames) are not messages to read.
      if (!record.own && record.kind !== 'system' && counts(original) && !options.viewing?.has(conv.id)) {
        conv.unread += 1;
        if (record.mentioned) conv.mentioned = true;
      }
      touched.set(conv.id, conv);
    }
    // Changes in the batch may have changed a new record after its preview was taken.
    for (const conv of touched.values()) {
      const last = conv.last && toAdd.find((r) => r.id === conv.last!.id);
      if (last) conv.last = messagePreview(last);
    }
    if (!prepend) announce(toAdd);
    if (toAdd.length) await db.messages.bulkAdd(toAdd);
    if (touched.size) await db.conversations.bulkPut([...touched.values()]);
    await changes.finish();
    if (typing.size) {
      const rows = [...typing].filter(([, t]) => t.on).map(([key, t]) => ({ key, conversationId: t.conversationId, userId: t.userId, at: t.at }));
      const off = [...typing].filter(([, t]) => !t.on).map(([key]) => key);
      if (rows.length) await db.typing.bulkPut(rows);
      if (off.length) await db.typing.bulkDelete(off);
    }
    return added;
  }));
}

export interface OutgoingDraft {
  conversationId: string;
  conversationType: ConversationType;
  from: string;
  body: string;
  mentions?: Mention[];
}

/** What a rich outgoing message carries besides its text. */
export type RichFields = Partial<Pick<MessageRecord, 'reply' | 'location' | 'custom' | 'attachment' | 'upload'>>;

/**
 * Sending is writing: the message enters the outbox as `pending`, whole (with its rich
 * fields: the outbox never sees it without them); the connection drains it. An attachment's
 * bytes (`blob`) are stored with it: both or neither. This tab's views are told at once (fresh.ts).
 */
export async function addOutgoing(db: ChatDB, draft: OutgoingDraft, fields: RichFields = {}, blob?: Blob): Promise<MessageRecord> {
  const id = crypto.randomUUID();
  const record: MessageRecord = {
    id,
    originId: id,
    conversationId: draft.conversationId,
    from: draft.from,
    own: true,
    body: draft.body,
    ts: Date.now(),
    seq: nextSeq(),
    state: 'pending',
    attempts: 0,
  };
  if (draft.mentions?.length) record.mentions = draft.mentions;
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) Object.assign(record, { [k]: v });
  const tables = blob ? [db.messages, db.conversations, db.files] : [db.messages, db.conversations];
  await writingFresh(db, (announce) => db.transaction('rw', tables, async () => {
    announce([record]);
    await db.messages.add(record);
    if (blob) await db.files.add({ id: record.id, blob });
    const conv = (await db.conversations.get(record.conversationId)) ??
      newConversation(record.conversationId, draft.conversationType, record.ts);
    touchConversation(conv, record);
    // Replying is reading; what was typed is sent.
    conv.unread = 0;
    delete conv.mentioned;
    delete conv.draft;
    await db.conversations.put(conv);
  }));
  return record;
}

/** Moves an own message along pending → sent → delivered → read (never backwards), or to failed. */
export async function setMessageState(
  db: ChatDB,
  id: string,
  state: MessageState,
  patch: Partial<Pick<MessageRecord, 'error' | 'attempts' | 'stanzaId'>> = {},
): Promise<void> {
  await db.transaction('rw', db.messages, db.conversations, async () => {
    const m = await db.messages.get(id);
    if (!m) return;
    // A failed message leaves that state only by a resend (back to pending): a late ack
    // must not hide the server's refusal.
    if (m.state === 'failed' && state !== 'pending') return;
    const forward = stateRank[state] > stateRank[m.state] || state === 'failed' || state === 'pending';
    const next: MessageRecord = { ...m, ...patch, state: forward ? state : m.state };
    if (state !== 'failed') delete next.error;
    await db.messages.put(next);
    const conv = await db.conversations.get(m.conversationId);
    if (conv?.last?.id === id) {
      conv.last = messagePreview(next);
      await db.conversations.put(conv);
    }
  });
}

export async function deleteMessage(db: ChatDB, id: string): Promise<void> {
  await db.messages.delete(id);
}

/** Marks everything in the conversation as seen. */
export async function markConversationRead(db: ChatDB, conversationId: string): Promise<void> {
  await db.transaction('rw', db.conversations, async () => {
    const conv = await db.conversations.get(conversationId);
    if (conv && (conv.unread !== 0 || conv.mentioned)) await db.conversations.update(conversationId, { unread: 0, mentioned: false });
  });
}

/** Creates the conversation record if missing (a new chat shows in the list at once). */
export async function ensureConversation(
  db: ChatDB,
  id: string,
  type: ConversationType,
  name?: string,
): Promise<ConversationRecord> {
  return db.transaction('rw', db.conversations, async () => {
    const existing = await db.conversations.get(id);
    if (existing) return existing;
    const conv = newConversation(id, type, Date.now());
    if (name) conv.name = name;
    await db.conversations.add(conv);
    return conv;
  });
}

/** XEP-0184: the peer received our message `id` (only a message sent to that peer counts). */
export async function markDelivered(db: ChatDB, conversationId: string, id: string): Promise<boolean> {
  const m = await db.messages.get(id);
  if (!m || !m.own || m.conversationId !== conversationId) return false;
  await setMessageState(db, id, 'delivered');
  return true;
}

/**
 * XEP-0333: the peer saw our message `id`, and so everything we sent before it.
 * Returns how many messages became read.
 */
export async function markReadUpTo(db: ChatDB, conversationId: string, id: string): Promise<number> {
  return db.transaction('rw', db.messages, db.conversations, async () => {
    const target = await db.messages.get(id);
    if (!target || !target.own || target.conversationId !== conversationId) return 0;
    // Backwards from the target, as far as the last message already read: everything before
    // it was read with it (a long conversation is not walked from its start on every marker).
    const earlier: MessageRecord[] = [];
    await db.messages
      .where('[conversationId+ts+seq]')
      .between([conversationId, -Infinity, -Infinity], [conversationId, target.ts, target.seq], true, true)
      .reverse()
      .until((m) => m.own && m.state === 'read' && m.id !== id)
      .each((m) => {
        if (m.own && (m.state === 'sent' || m.state === 'delivered')) earlier.push(m);
      });
    for (const m of earlier) await setMessageState(db, m.id, 'read');
    return earlier.length;
  });
}

/** The peer's newest message in a conversation: what a "displayed" marker refers to. */
export async function latestPeerMessage(db: ChatDB, conversationId: string): Promise<MessageRecord | undefined> {
  return db.messages
    .where('[conversationId+ts+seq]')
    .between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity])
    .reverse()
    .filter((m) => !m.own)
    .first();
}
