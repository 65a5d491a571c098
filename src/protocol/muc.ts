import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { Affiliation, LeftReason, MessageRecord, SystemEvent } from '../store/records.js';
import { ingestMessages, type IncomingMessage, type IngestOptions } from '../store/messages.js';
import { getMeta, setMeta } from '../store/queries.js';
import { deleteConversation, markConversationLeft } from '../store/conversations.js';
import { markRoomOffline, replaceRoomMembers, updateMember } from '../store/members.js';
import type { Connection } from './connection.js';
import type { OutboundRoute } from './chat.js';
import { Emitter } from './emitter.js';
import {
  MAX_NAME_CHARS,
  MAX_SUBJECT_CHARS,
  parseAffiliationNotice,
  parseArchivedGroupMessage,
  parseGroupMessage,
  parseOccupantPresence,
  type AffiliationNotice,
  type OccupantPresence,
  type ParsedGroupMessage,
  type RoomContext,
} from './groupchat.js';
import { buildDirectInvite } from './invite.js';
import { buildGroupStanza, type CustomSerializer } from './outgoing.js';
import type { Readiness } from './ops.js';
import { fetchBookmarks, publishBookmark, retractBookmark } from './bookmarks.js';
import { bareJid, isValidBareJid, localPart, resourceOf, toUserId } from './jid.js';
import { debug } from './log.js';
import type { Self } from './message.js';
import { MUC_NS } from './muc-ns.js';
import { runArchiveQuery } from './mam.js';
import { applyIncomingFilter } from './rich.js';
import { NS } from './ns.js';
import { signatureElement, type SignedAction } from './signature.js';

const JOIN_TIMEOUT_MS = 20_000;
/** How long a reply waits for its (own) target's stanza-id before it goes without the reference. */
const REPLY_WAIT_MS = 60_000;
const IQ_TIMEOUT_MS = 15_000;
const HISTORY_PAGE = 50;
const CATCH_UP_PAGE = 100;
/** A room's catch-up stops after this many pages and resumes from its cursor next session. */
const MAX_CATCH_UP_PAGES = 100;
/** Rooms joined at once at start-up. */
const JOIN_CONCURRENCY = 4;
/** A join that failed for a passing reason is tried again after this long. */
const RETRY_JOIN_MS = 30_000;

/** Live room messages held while a join is under way (the join's archive catch-up covers more). */
const MAX_JOIN_BUFFER = 2000;

/** The room archive's id of the newest message this store has of `room`; '' means "from the start". */
export const roomCursorKey = (room: string): string => `mam:room:${room}`;

/** A group action the server refused, with the XMPP error condition and the server's text. */
export class GroupError extends Error {
  constructor(
    readonly condition: string,
    message: string,
    readonly text = '',
  ) {
    super(message);
    this.name = 'GroupError';
  }
}

type MucEvents = {
  /** The user is no longer in `roomId`: they left, were removed (`actor`, a user id, when known), or it was destroyed. */
  left: (roomId: string, reason: LeftReason, actor?: string) => void;
  /** An invitation arrived: joined at once from a contact, `pending` (waiting for the user) otherwise. */
  invited: (roomId: string, inviter: string, pending: boolean) => void;
};

export interface MucOptions {
  /** Conversations on screen now (their messages are read on arrival). */
  viewing: { has(conversationId: string): boolean };
  /** Asks the outbox to send (a room became joined). */
  drain: () => void;
  /** The MUC service; found by service discovery when absent. */
  service?: string;
  /** The integrator's `filterIncoming` on new group messages (see ChatOptions.filter). */
  filter?: (m: IncomingMessage) => boolean | Promise<boolean>;
  /** Blocked users' chat states are ignored (XEP-0191). */
  isBlocked?: (userId: string) => boolean;
  /** Registered custom message types' wire elements (the kit's registry). */
  serialize?: CustomSerializer;
}

export interface CreateOptions {
  name: string;
  /** Bare JIDs to add as members and invite. */
  members: readonly string[];
  signature?: SignedAction;
}

interface Occupant {
  jid?: string;
  occupantId?: string;
}

interface Room {
  jid: string;
  nick: string;
  state: 'idle' | 'joining' | 'syncing' | 'joined';
  /** Joined when the link dropped: a resumed XEP-0198 session is still in the room. */
  wasJoined: boolean;
  /** Bumped whenever the link drops: a join that started before it gives up. */
  gen: number;
  occupants: Map<string, Occupant>;
  selfOccupantId?: string;
  /**
   * Live room messages held while the archive catch-up runs (they go in after it, in
   * order), parsed on arrival: who sent them is known then, not necessarily later.
   */
  buffer: ParsedGroupMessage[];
  waiter?: { nick: string; resolve: (p: OccupantPresence) => void; reject: (e: Error) => void };
  /** Members this device is adding or removing now (bare JID -> actor): the room's notices do not name the actor. */
  acting: Map<string, string>;
  /** A rename this device asked for: the room's "configuration changed" notice then names us. */
  renaming?: string;
  leaving?: boolean;
  /** Called once the room is joined (actions that need to be in it wait for that). */
  onJoined: Array<() => void>;
}

interface RoomPage {
  messages: IncomingMessage[];
  complete: boolean;
  first?: string;
  last?: string;
}

/**
 * Group chats (XEP-0045 multi-user chat) between the connection and the store:
 * joining and re-joining rooms, the room archive (XEP-0313 on the room JID), live
 * messages, subjects, members and their changes (written as system lines), and the
 * group actions the kit offers. Messages are believed only from the room they claim,
 * from an occupant whose real JID the room told us.
 */
export class MucModule extends Emitter<MucEvents> {
  #rooms = new Map<string, Room>();
  /** The session start-up is done: joins may go out (before it, they wait in `#queued`). */
  #ready = false;
  #queued = new Set<string>();
  #service: Promise<string> | undefined;
  #chain: Promise<void> = Promise.resolve();
  readonly #selfId: string;
  /** Rooms in the user's bookmarks (XEP-0402), as far as this session knows. */
  #bookmarked = new Set<string>();
  #started!: Promise<void>;
  #markStarted!: () => void;
  /** Ids of the group conversations in the store (read once), so routing a 1:1 message costs no read. */
  #groupIds: Promise<Set<string>> | undefined;
  /** Own replies waiting for their target's stanza-id (message id -> since when). */
  #replyWaits = new Map<string, number>();

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly self: Self,
    private readonly options: MucOptions,
  ) {
    super();
    this.#selfId = toUserId(self.jid, self.domain);
    this.#resetStarted();
    conn.on('stanza', (stanza) => this.#onStanza(stanza));
    conn.on('status', (status) => {
      if (status === 'online') return;
      for (const room of this.#rooms.values()) this.#drop(room);
    });
    conn.on('session', (resumed) => {
      if (!resumed) {
        // A new session is in no room: session start-up calls start() to re-join.
        this.#ready = false;
        this.#resetStarted();
        for (const room of this.#rooms.values()) room.wasJoined = false;
        return;
      }
      for (const room of this.#rooms.values()) {
        if (room.wasJoined) this.#setJoined(room);
        else if (this.#ready) void this.#enterTracked(room.jid);
      }
      this.options.drain();
    });
  }

  #resetStarted(): void {
    this.#started = new Promise<void>((resolve) => (this.#markStarted = resolve));
  }

  /** Resolves once this session's start-up has joined the groups (or after `timeoutMs`). */
  started(timeoutMs = 10_000): Promise<void> {
    return Promise.race([this.#started, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs))]);
  }

  /**
   * Session start-up step: (re-)joins every group the store holds, those in the user's
   * bookmarks (joined from another device, or created by the user), and the
   * invitations that came meanwhile.
   */
  async start(): Promise<void> {
    this.#ready = true;
    try {
      await this.#adoptBookmarks();
      await this.#rejoinAll();
    } finally {
      this.#markStarted();
    }
  }

  async #adoptBookmarks(): Promise<void> {
    let bookmarks;
    try {
      bookmarks = await fetchBookmarks(this.conn);
    } catch (err) {
      debug('bookmarks unavailable', err);
      return;
    }
    this.#bookmarked = new Set(bookmarks.map((b) => b.room));
    for (const b of bookmarks) {
      if (!b.autojoin) continue;
      await this.db.transaction('rw', this.db.conversations, async () => {
        if (await this.db.conversations.get(b.room)) return; // this device's record (left, say) wins
        await this.db.conversations.add({ id: b.room, type: 'group', ...(b.name ? { name: b.name } : {}), lastAt: Date.now(), unread: 0, pin: 0 });
      });
    }
  }

  async #rejoinAll(): Promise<void> {
    const groups = await this.db.conversations.filter((c) => c.type === 'group' && !c.left && !c.invitePending).toArray();
    const ids = [...new Set([...groups.map((c) => c.id), ...this.#queued])];
    this.#queued.clear();
    await Promise.all(groups.map((c) => markRoomOffline(this.db, c.id)));
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < ids.length) await this.#enterTracked(ids[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(JOIN_CONCURRENCY, ids.length) }, worker));
  }

  /** For the outbox: a group message goes to its room once joined; 1:1 messages are not ours. */
  async route(m: MessageRecord): Promise<OutboundRoute | undefined> {
    if (m.upload) return { hold: true }; // its file is still uploading
    const readiness = await this.readiness(m.conversationId);
    if (readiness === undefined) return undefined;
    if (readiness === 'fail') return { fail: 'You are not a member of this group.' };
    if (readiness === 'hold') return { hold: true };
    const replyRef = await this.#replyRef(m);
    if (replyRef === 'wait') return { hold: true };
    const room = this.#rooms.get(m.conversationId)!;
    return { send: buildGroupStanza(m, room.jid, { domain: this.self.domain, serialize: this.options.serialize }, replyRef) };
  }

  /**
   * Whether a group takes outbound stanzas now (`ready`: joined), later (`hold`) or not
   * at all (`fail`: the user is not a member); undefined when it is not a group.
   */
  async readiness(conversationId: string): Promise<Readiness | undefined> {
    const room = this.#rooms.get(conversationId);
    if (room) return room.state === 'joined' ? 'ready' : 'hold';
    this.#groupIds ??= this.db.conversations
      .filter((c) => c.type === 'group')
      .primaryKeys()
      .then((ids) => new Set(ids));
    if (!(await this.#groupIds).has(conversationId)) return undefined;
    const conv = await this.db.conversations.get(conversationId);
    if (conv?.type !== 'group') return undefined;
    if (conv.left || conv.invitePending) return 'fail';
    return 'hold';
  }

  /**
   * A group reply names its target's room stanza-id. Our own target gets it with the
   * room's echo: the reply waits for that (a while, then goes without the reference).
   */
  async #replyRef(m: MessageRecord): Promise<string | undefined | 'wait'> {
    if (!m.reply) return undefined;
    const target = m.reply.id ? await this.db.messages.get(m.reply.id) : undefined;
    const ref = target?.stanzaId ?? (m.reply.ref || undefined);
    if (ref) {
      this.#replyWaits.delete(m.id);
      if (ref !== m.reply.ref) await this.db.messages.update(m.id, { reply: { ...m.reply, ref } });
      return ref;
    }
    const since = this.#replyWaits.get(m.id) ?? Date.now();
    if (!target?.own || target.state === 'failed' || Date.now() - since > REPLY_WAIT_MS) {
      this.#replyWaits.delete(m.id);
      return undefined;
    }
    this.#replyWaits.set(m.id, since);
    // Nothing else wakes the outbox when the echo lands: look again shortly.
    setTimeout(() => this.options.drain(), 500);
    return 'wait';
  }

  /** Invitations from the message pipeline: stored once as a system line, then joined or left waiting. */
  async onInvites(invites: IncomingMessage[]): Promise<void> {
    for (const m of invites) {
      const invite = m.invite;
      if (!invite || !isValidBareJid(invite.room) || !invite.room.includes('@') || invite.room === this.self.jid) continue;
      const { invite: _invite, ...line } = m;
      const existing = await this.db.conversations.get(invite.room);
      if (existing && existing.type !== 'group') continue; // someone's JID, not a room
      const added = await ingestMessages(this.db, [line], { viewing: this.options.viewing });
      void this.#groupIds?.then((ids) => ids.add(invite.room));
      if (added.length === 0) continue; // the same invitation again (live, carbon, archive)
      if (existing && !existing.left && !existing.invitePending) continue; // already a member here
      const inviter = toUserId(invite.inviter, this.self.domain);
      const pending = !(await this.#isContact(inviter));
      await this.db.conversations.update(invite.room, {
        invitedBy: inviter,
        invitedAt: m.ts,
        invitePending: pending,
        left: false,
        leftReason: undefined,
      });
      void this.#refreshInfo(invite.room, false);
      this.emit('invited', invite.room, inviter, pending);
      if (!pending) this.#queueJoin(invite.room);
    }
  }

  /** Joins a group whose invitation waited for the user. */
  async accept(roomId: string): Promise<void> {
    const conv = await this.db.conversations.get(roomId);
    if (conv?.type !== 'group') throw new GroupError('item-not-found', 'No such group invitation.');
    await this.db.conversations.update(roomId, { invitePending: false, left: false, leftReason: undefined });
    await this.#enterTracked(roomId, true, true);
  }

  /** Drops a waiting invitation (and the group's record) from this device. */
  async decline(roomId: string): Promise<void> {
    this.#untrack(roomId);
    await deleteConversation(this.db, roomId);
  }

  /** The MUC service: `options.service`, else the first conference service the domain lists (XEP-0030). */
  service(): Promise<string> {
    if (this.options.service) return Promise.resolve(this.options.service);
    this.#service ??= this.#discoverService().catch((err: unknown) => {
      this.#service = undefined;
      throw err;
    });
    return this.#service;
  }

  /**
   * Creates a members-only, persistent, non-anonymous room, adds `members` and invites
   * them (XEP-0249). The signature rides on the presence that creates the room and on
   * each member addition. A failure after the room exists destroys it again.
   */
  async create(roomId: string, options: CreateOptions): Promise<void> {
    const room = this.#track(roomId);
    let created = false;
    try {
      const entered = await this.#join(room, options.signature);
      if (!entered.codes.has('201')) throw new GroupError('conflict', 'A group with this id exists already.');
      created = true;
      room.state = 'syncing';
      const now = Date.now();
      await this.#serial(async () => {
        await this.db.conversations.put({ id: roomId, type: 'group', name: options.name, lastAt: now, unread: 0, pin: 0, joinedAt: now, subject: '' });
        await updateMember(this.db, roomId, { userId: this.#selfId, jid: this.self.jid, affiliation: 'owner', online: true, role: 'moderator', nick: room.nick });
        // Everything the room archives from now on is news.
        await setMeta(this.db, roomCursorKey(roomId), '');
      });
      await this.#request(
        xml(
          'iq',
          { type: 'set', to: roomId },
          xml(
            'query',
            { xmlns: MUC_NS.owner },
            xml(
              'x',
              { xmlns: NS.dataForms, type: 'submit' },
              field('FORM_TYPE', MUC_NS.roomconfig),
              field('muc#roomconfig_roomname', options.name),
              field('muc#roomconfig_persistentroom', '1'),
              field('muc#roomconfig_membersonly', '1'),
              field('muc#roomconfig_whois', 'anyone'),
              field('muc#roomconfig_publicroom', '0'),
              field('muc#roomconfig_changesubject', '1'),
              field('muc#roomconfig_enablearchiving', '1'),
              field('{http://prosody.im/protocol/muc}roomconfig_allowmemberinvites', '1'),
            ),
          ),
        ),
      );
      await this.#system(roomId, { event: 'created', actor: this.#selfId, name: options.name }, now);
      await this.#setAffiliations(room, options.members, 'member', options.signature);
      for (const jid of options.members) await this.conn.send(buildDirectInvite(jid, roomId, crypto.randomUUID()));
      await this.#finishEntry(room, room.gen);
    } catch (err) {
      if (created) {
        await this.#request(xml('iq', { type: 'set', to: roomId }, xml('query', { xmlns: MUC_NS.owner }, xml('destroy')))).catch(() => undefined);
        await deleteConversation(this.db, roomId).catch(() => undefined);
      }
      this.#untrack(roomId);
      throw err;
    }
  }

  /**
   * Adds members and invites them. Owners and admins change the member list
   * directly; a plain member asks the room to invite (XEP-0045 mediated invitations,
   * which a members-only room turns into membership when it allows member invites).
   */
  async addMembers(roomId: string, jids: readonly string[], signature?: SignedAction): Promise<void> {
    const room = await this.#requireRoom(roomId);
    const own = await this.db.members.get([roomId, this.#selfId]);
    if (own?.affiliation === 'member') {
      await this.#mediatedInvites(room, jids, signature);
      return;
    }
    await this.#setAffiliations(room, jids, 'member', signature);
    for (const jid of jids) await this.conn.send(buildDirectInvite(jid, roomId, crypto.randomUUID()));
  }

  /** Removes members (owners and admins only; the server decides). */
  async removeMembers(roomId: string, jids: readonly string[], signature?: SignedAction): Promise<void> {
    const room = await this.#requireRoom(roomId);
    await this.#setAffiliations(room, jids, 'none', signature);
  }

  /**
   * Leaves a group: off the member list (mod_ck_signature lets members remove
   * themselves; elsewhere the server may refuse, and the user is only out of the room),
   * out of the room, and marked left here.
   */
  async leave(roomId: string): Promise<void> {
    const room = this.#rooms.get(roomId);
    if (room) room.leaving = true;
    if (this.conn.status === 'online') {
      await this.#request(
        xml('iq', { type: 'set', to: roomId }, xml('query', { xmlns: MUC_NS.admin }, xml('item', { affiliation: 'none', jid: this.self.jid }))),
      ).catch((err: unknown) => debug('could not leave the member list', err));
      if (room && room.state !== 'idle') {
        await this.conn.send(xml('presence', { to: `${roomId}/${room.nick}`, type: 'unavailable' })).catch(() => undefined);
      }
    }
    await this.#serial(() => this.#removed(roomId, 'left', this.#selfId));
  }

  /** Renames a group (its owners only). */
  async rename(roomId: string, name: string): Promise<void> {
    const room = await this.#requireRoom(roomId);
    room.renaming = name;
    await this.#request(
      xml(
        'iq',
        { type: 'set', to: roomId },
        xml('query', { xmlns: MUC_NS.owner }, xml('x', { xmlns: NS.dataForms, type: 'submit' }, field('FORM_TYPE', MUC_NS.roomconfig), field('muc#roomconfig_roomname', name))),
      ),
    );
    // Not in the room (no notice comes): read the new name back.
    await this.#refreshInfo(roomId, true);
  }

  /** Sets the group's subject; resolves when the room has accepted it. */
  async setSubject(roomId: string, subject: string): Promise<void> {
    const room = await this.#requireRoom(roomId);
    await this.#whenJoined(room);
    const id = crypto.randomUUID();
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => done(new GroupError('remote-server-timeout', 'The group did not answer.')), IQ_TIMEOUT_MS);
      // The room answers with an error of our id, or announces the subject anew (under its own id).
      const off = this.conn.on('stanza', (stanza) => {
        if (!stanza.is('message') || bareJid(stanza.attrs.from ?? '') !== roomId) return;
        if (stanza.attrs.type === 'error' && stanza.attrs.id === id) done(errorFrom(stanza));
        else if (stanza.attrs.type === 'groupchat' && stanza.attrs.from === `${roomId}/${room.nick}` && stanza.getChildText('subject') === subject && !stanza.getChild('body')) done();
      });
      const done = (err?: Error): void => {
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve();
      };
      this.conn.send(xml('message', { to: roomId, type: 'groupchat', id }, xml('subject', {}, subject))).catch(done);
    });
  }

  /**
   * Pages one older batch of a group's history in from the room's archive. Returns
   * how many messages were new; marks the conversation complete when there are no more.
   */
  async loadEarlier(roomId: string, max = HISTORY_PAGE): Promise<number> {
    const room = await this.#requireRoom(roomId);
    const oldest = await this.db.messages
      .where('[conversationId+ts+seq]')
      .between([roomId, -Infinity, -Infinity], [roomId, Infinity, Infinity])
      .filter((m) => !!m.stanzaId && m.kind !== 'system')
      .first();
    const page = await this.#query(room, { before: oldest?.stanzaId ?? '', max });
    const added = await this.#ingest(page.messages, oldest?.stanzaId ? { placement: 'prepend' } : { countUnread: false });
    if (page.complete || page.messages.length === 0) await this.db.conversations.update(roomId, { historyComplete: true });
    return added.length;
  }

  // ---------------------------------------------------------------------------------------
  // Joining

  #track(roomId: string): Room {
    let room = this.#rooms.get(roomId);
    void this.#groupIds?.then((ids) => ids.add(roomId));
    if (!room) {
      room = {
        jid: roomId,
        nick: localPart(this.self.jid) || this.#selfId,
        state: 'idle',
        wasJoined: false,
        gen: 0,
        occupants: new Map(),
        buffer: [],
        acting: new Map(),
        onJoined: [],
      };
      this.#rooms.set(roomId, room);
    }
    return room;
  }

  #untrack(roomId: string): void {
    const room = this.#rooms.get(roomId);
    if (!room) return;
    this.#rooms.delete(roomId);
    room.waiter?.reject(new GroupError('gone', 'No longer in this group.'));
    room.waiter = undefined;
  }

  /** The link dropped: every room is left (a resumed session restores those that were joined). */
  #drop(room: Room): void {
    if (room.state === 'idle') return;
    room.wasJoined = room.state === 'joined';
    room.state = 'idle';
    room.gen += 1;
    room.buffer = [];
    room.waiter?.reject(new GroupError('remote-server-timeout', 'The connection dropped.'));
    room.waiter = undefined;
  }

  #queueJoin(roomId: string): void {
    if (this.#ready && this.conn.status === 'online') void this.#enterTracked(roomId, true);
    else this.#queued.add(roomId);
  }

  /**
   * Joins a room and brings its history up to date. Failures that mean "not a member"
   * mark the group left (or forget it, when this device never was in it: an old
   * invitation); others leave it for the next session.
   */
  async #enterTracked(roomId: string, fromInvite = false, rethrow = false): Promise<void> {
    const room = this.#track(roomId);
    if (room.state !== 'idle') return;
    try {
      if (fromInvite) await this.#checkRoom(roomId);
      const gen = room.gen;
      await this.#join(room);
      if (room.gen !== gen) return;
      room.state = 'syncing';
      await this.#finishEntry(room, gen);
    } catch (err) {
      const condition = err instanceof GroupError ? err.condition : '';
      debug('could not join', roomId, err);
      if (['registration-required', 'forbidden', 'item-not-found', 'gone', 'not-authorized', 'service-unavailable'].includes(condition)) {
        const conv = await this.db.conversations.get(roomId);
        if (conv?.joinedAt) {
          await this.#serial(() => this.#removed(roomId, condition === 'item-not-found' || condition === 'gone' ? 'destroyed' : 'kicked'));
        } else {
          // Never in it on this device: an invitation or bookmark that no longer holds. Forget it.
          this.#untrack(roomId);
          await deleteConversation(this.db, roomId);
          this.#unbookmark(roomId);
        }
      } else if (this.#rooms.get(roomId) === room) {
        room.state = 'idle';
        // A passing failure (no answer, a server hiccup): try again a little later this session.
        const gen = room.gen;
        setTimeout(() => {
          if (this.#rooms.get(roomId) === room && room.gen === gen && room.state === 'idle' && this.#ready && this.conn.status === 'online') {
            void this.#enterTracked(roomId);
          }
        }, RETRY_JOIN_MS);
      }
      if (rethrow) throw err;
    }
  }

  /** A room an invitation names must exist and be a group chat: joining a missing one would create it. */
  async #checkRoom(roomId: string): Promise<void> {
    const info = await this.#request(xml('iq', { type: 'get', to: roomId }, xml('query', { xmlns: MUC_NS.discoInfo })));
    const query = info.getChild('query', MUC_NS.discoInfo);
    const isRoom =
      query?.getChildren('identity').some((i) => i.attrs.category === 'conference') &&
      query.getChildren('feature').some((f) => f.attrs.var === MUC_NS.muc);
    if (!isRoom) throw new GroupError('item-not-found', 'The invitation names something that is not a group.');
  }

  /** Sends the joining presence and waits for the room's answer (our own presence, or an error). */
  async #join(room: Room, signature?: SignedAction): Promise<OccupantPresence> {
    const base = room.nick;
    for (let attempt = 0; ; attempt++) {
      room.state = 'joining';
      room.occupants.clear();
      room.buffer = [];
      const nick = attempt === 0 ? base : `${base}.${attempt + 1}`;
      const answered = new Promise<OccupantPresence>((resolve, reject) => {
        room.waiter?.reject(new GroupError('conflict', 'Superseded by a new join.'));
        room.waiter = { nick, resolve, reject };
      });
      const timer = setTimeout(() => {
        const waiter = room.waiter;
        room.waiter = undefined;
        waiter?.reject(new GroupError('remote-server-timeout', 'The group did not answer.'));
      }, JOIN_TIMEOUT_MS);
      try {
        await this.conn.send(
          xml(
            'presence',
            { to: `${room.jid}/${nick}` },
            xml('x', { xmlns: MUC_NS.muc }, xml('history', { maxstanzas: '0' })),
            signature ? signatureElement(signature) : null,
          ),
        );
        const p = await answered;
        room.nick = nick;
        return p;
      } catch (err) {
        if (room.state === 'joining') room.state = 'idle';
        // Someone else has this nick: take another (each user has one per room).
        if (err instanceof GroupError && err.condition === 'conflict' && attempt < 4 && !signature) continue;
        throw err;
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** After the join: name, members, the archive since last time, then the live traffic held meanwhile. */
  async #finishEntry(room: Room, gen: number): Promise<void> {
    const roomId = room.jid;
    await this.db.transaction('rw', this.db.conversations, async () => {
      const conv = await this.db.conversations.get(roomId);
      if (conv) {
        if (!conv.joinedAt || conv.left) await this.db.conversations.update(roomId, { joinedAt: conv.joinedAt ?? Date.now(), left: false, leftReason: undefined, invitePending: false });
      } else {
        await this.db.conversations.add({ id: roomId, type: 'group', lastAt: Date.now(), unread: 0, pin: 0, joinedAt: Date.now() });
      }
    });
    try {
      await this.#refreshInfo(roomId, false);
      await this.#fetchMembers(room);
      await this.#catchUp(room);
    } catch (err) {
      debug('group sync incomplete', roomId, err);
    }
    if (room.gen !== gen || this.#rooms.get(roomId) !== room) return;
    // Held live traffic goes in after the archive (duplicates are merged), in arrival order.
    while (room.buffer.length) {
      const held = room.buffer;
      room.buffer = [];
      await this.#serial(async () => {
        for (const parsed of held) await this.#onGroupchat(room, parsed);
      });
    }
    if (room.gen !== gen) return;
    this.#setJoined(room);
    if (!this.#bookmarked.has(roomId)) {
      this.#bookmarked.add(roomId);
      const conv = await this.db.conversations.get(roomId);
      publishBookmark(this.conn, roomId, conv?.name, room.nick).catch((err: unknown) => {
        this.#bookmarked.delete(roomId);
        debug('bookmark not saved', err);
      });
    }
  }

  #unbookmark(roomId: string): void {
    if (this.conn.status !== 'online') return;
    this.#bookmarked.delete(roomId);
    retractBookmark(this.conn, roomId).catch((err: unknown) => debug('bookmark not removed', err));
  }

  #setJoined(room: Room): void {
    room.state = 'joined';
    for (const done of room.onJoined.splice(0)) done();
    this.options.drain();
  }

  /** Waits (a while) until the room is joined: right after start-up or an invitation it may still be syncing. */
  async #whenJoined(room: Room, timeoutMs = JOIN_TIMEOUT_MS): Promise<void> {
    if (room.state === 'joined') return;
    if (room.state === 'idle' && this.#ready && this.conn.status === 'online') void this.#enterTracked(room.jid);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new GroupError('not-acceptable', 'Not in the group right now; try again when connected.')), timeoutMs);
      room.onJoined.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async #refreshInfo(roomId: string, announce: boolean): Promise<void> {
    let info: Element;
    try {
      info = await this.#request(xml('iq', { type: 'get', to: roomId }, xml('query', { xmlns: MUC_NS.discoInfo })));
    } catch (err) {
      debug('room info unavailable', roomId, err);
      return;
    }
    const identity = info.getChild('query', MUC_NS.discoInfo)?.getChildren('identity').find((i) => i.attrs.category === 'conference');
    const name = identity?.attrs.name?.trim().slice(0, MAX_NAME_CHARS);
    if (!name) return;
    await this.#serial(async () => {
      const conv = await this.db.conversations.get(roomId);
      if (!conv || conv.name === name) return;
      await this.db.conversations.update(roomId, { name });
      if (announce && conv.name !== undefined) {
        const room = this.#rooms.get(roomId);
        const event: SystemEvent = { event: 'renamed', name };
        if (room?.renaming === name) event.actor = this.#selfId;
        await this.#system(roomId, event);
      }
    });
  }

  /** The member list (members may read it in members-only, non-anonymous rooms). */
  async #fetchMembers(room: Room): Promise<void> {
    const lists = await Promise.all(
      (['owner', 'admin', 'member'] as const).map(async (affiliation) => {
        const result = await this.#request(
          xml('iq', { type: 'get', to: room.jid }, xml('query', { xmlns: MUC_NS.admin }, xml('item', { affiliation }))),
        );
        return (result.getChild('query', MUC_NS.admin)?.getChildren('item') ?? []).flatMap((item) => {
          const jid = item.attrs.jid ? bareJid(item.attrs.jid) : '';
          return isValidBareJid(jid) ? [{ jid, userId: toUserId(jid, this.self.domain), affiliation }] : [];
        });
      }),
    );
    await this.#serial(() => replaceRoomMembers(this.db, room.jid, lists.flat()));
  }

  /** Fetches what the room archived since this store's cursor (XEP-0313 on the room JID). */
  async #catchUp(room: Room): Promise<void> {
    const key = roomCursorKey(room.jid);
    let cursor = await getMeta<string>(this.db, key);
    if (cursor === undefined) {
      // First time on this device: the newest page is history, except what came after
      // the invitation (archive stamps are whole seconds).
      const conv = await this.db.conversations.get(room.jid);
      // Stamps in the invitation's own second may be before it: only later seconds count.
      const after = conv?.invitedAt !== undefined ? Math.floor(conv.invitedAt / 1000) * 1000 + 999 : Infinity;
      const page = await this.#query(room, { before: '', max: HISTORY_PAGE });
      // What also came live since our join is news whatever its stamp.
      const live = new Set(room.buffer.flatMap((p) => (p.kind === 'message' && p.message.stanzaId ? [p.message.stanzaId] : [])));
      await this.#ingest(page.messages, { countUnread: (m) => m.ts > after || (!!m.stanzaId && live.has(m.stanzaId)) });
      if (page.complete) await this.db.conversations.update(room.jid, { historyComplete: true });
      await setMeta(this.db, key, page.last ?? '');
      return;
    }
    for (let n = 0; n < MAX_CATCH_UP_PAGES; n++) {
      let page: RoomPage;
      try {
        page = await this.#query(room, cursor ? { after: cursor, max: CATCH_UP_PAGE } : { max: CATCH_UP_PAGE });
      } catch (err) {
        if (err instanceof GroupError && err.condition === 'item-not-found') {
          // The archive no longer knows the cursor: start over from its newest page.
          await setMeta(this.db, key, undefined);
          return this.#catchUp(room);
        }
        throw err;
      }
      await this.#ingest(page.messages, {});
      if (page.last) {
        cursor = page.last;
        await setMeta(this.db, key, cursor);
      }
      if (page.complete || page.messages.length === 0 || !page.last) return;
    }
  }

  async #query(room: Room, q: { after?: string; before?: string; max: number }): Promise<RoomPage> {
    const ctx = this.#ctx(room);
    const messages: IncomingMessage[] = [];
    // Only the room answers for its archive.
    const fin = await runArchiveQuery(this.conn, { ...q, to: room.jid }, (from) => from === room.jid, (forwarded, id) => {
      const parsed = parseArchivedGroupMessage(forwarded, id, ctx);
      if (parsed?.kind === 'message') messages.push(parsed.message);
    });
    return { messages, ...fin };
  }

  // ---------------------------------------------------------------------------------------
  // Inbound room traffic

  #onStanza(stanza: Element): void {
    const from = stanza.attrs.from;
    if (!from) return;
    const room = this.#rooms.get(bareJid(from));
    if (!room) return;
    if (stanza.is('presence')) {
      this.#onPresence(room, stanza);
      return;
    }
    if (!stanza.is('message')) return;
    if (stanza.attrs.type === 'groupchat') {
      if (room.state === 'idle') return;
      let parsed;
      try {
        parsed = parseGroupMessage(stanza, this.#ctx(room));
      } catch (err) {
        debug('dropped malformed group message', err);
        return;
      }
      if (!parsed) return;
      if (room.state === 'joined') void this.#serial(() => this.#onGroupchat(room, parsed));
      // Bounded while joining: a flood must not grow memory; the room's archive catch-up
      // after the join brings back whatever is dropped here.
      else if (room.buffer.length < MAX_JOIN_BUFFER) room.buffer.push(parsed);
      return;
    }
    const notice = parseAffiliationNotice(stanza, room.jid);
    if (notice) void this.#serial(() => this.#onAffiliation(room, notice));
  }

  #ctx(room: Room): RoomContext {
    return {
      room: room.jid,
      self: this.self,
      selfOccupantId: room.selfOccupantId,
      occupantJid: (nick) => (nick === room.nick ? this.self.jid : room.occupants.get(nick)?.jid),
    };
  }

  async #onGroupchat(room: Room, parsed: ParsedGroupMessage): Promise<void> {
    if (parsed.kind === 'message') {
      await this.#ingest([parsed.message], {});
      if (parsed.message.stanzaId) await setMeta(this.db, roomCursorKey(room.jid), parsed.message.stanzaId);
    } else if (parsed.kind === 'subject') {
      await this.#applySubject(room.jid, parsed.subject, parsed.actor);
    } else if (parsed.codes.includes('104')) {
      // Configuration changed (a rename, most likely): read it back outside this queue.
      void this.#refreshInfo(room.jid, true);
    }
  }

  async #applySubject(roomId: string, subject: string, actorJid?: string): Promise<void> {
    const conv = await this.db.conversations.get(roomId);
    if (!conv || conv.subject === subject) return;
    await this.db.conversations.update(roomId, { subject });
    // The first subject this device sees is the state of things, not news.
    if (conv.subject !== undefined) {
      const event: SystemEvent = { event: 'subject', subject };
      if (actorJid) event.actor = toUserId(actorJid, this.self.domain);
      await this.#system(roomId, event);
    }
  }

  #onPresence(room: Room, stanza: Element): void {
    if (stanza.attrs.type === 'error') {
      const nick = resourceOf(stanza.attrs.from ?? '');
      if (room.waiter && (!nick || nick === room.waiter.nick)) {
        room.waiter.reject(errorFrom(stanza));
        room.waiter = undefined;
      }
      return;
    }
    const p = parseOccupantPresence(stanza, room.jid);
    if (!p) return;
    const isSelf = p.codes.has('110');
    // The occupant table is updated at once: the messages that follow are attributed by it.
    const known = room.occupants.get(p.nick);
    const jid = isSelf ? this.self.jid : (p.jid ?? known?.jid);
    if (p.available) room.occupants.set(p.nick, { jid, occupantId: p.occupantId });
    if (isSelf && p.available) {
      room.selfOccupantId = p.occupantId;
      if (room.waiter) {
        room.nick = p.nick;
        room.waiter.resolve(p);
        room.waiter = undefined;
      }
    }
    const actorJid = p.actorJid ?? (p.actorNick ? room.occupants.get(p.actorNick)?.jid : undefined);
    // (303 is a nick change: the new presence follows.)
    if (!p.available && !p.codes.has('303')) room.occupants.delete(p.nick);
    void this.#serial(() => this.#applyPresence(room, p, jid, isSelf, actorJid));
  }

  async #applyPresence(room: Room, p: OccupantPresence, jid: string | undefined, isSelf: boolean, actorJid: string | undefined): Promise<void> {
    if (!jid) return;
    const userId = toUserId(jid, this.self.domain);
    const actor = actorJid ? toUserId(actorJid, this.self.domain) : undefined;
    const removed = !p.available && (p.codes.has('321') || p.codes.has('307') || p.codes.has('301'));
    if (isSelf && !p.available) {
      if (p.destroyed) await this.#removed(room.jid, 'destroyed', actor);
      else if (removed) {
        // Left from this device, or from another of ours (the room names us as actor).
        const left = room.leaving || actorJid === this.self.jid;
        await this.#removed(room.jid, left ? 'left' : 'kicked', left ? this.#selfId : actor);
      }
      else if (this.#rooms.get(room.jid) === room && room.state !== 'idle' && !room.leaving) this.#drop(room);
      return;
    }
    if (removed) {
      const prev = await updateMember(this.db, room.jid, { userId, jid, affiliation: null });
      const left = actorJid === jid;
      if (prev || p.codes.has('307') || p.codes.has('301')) {
        const event: SystemEvent = { event: left ? 'left' : 'kicked', target: userId };
        const by = actor ?? (room.acting.get(jid) ? this.#selfId : undefined);
        if (by) event.actor = by;
        await this.#system(room.jid, event);
      }
      room.acting.delete(jid);
      return;
    }
    const aff = p.affiliation;
    if (aff === 'owner' || aff === 'admin' || aff === 'member') {
      const role = p.available && p.role && p.role !== 'none' ? p.role : undefined;
      await updateMember(this.db, room.jid, { userId, jid, affiliation: aff, role, online: p.available, nick: p.nick });
    } else if (aff === 'none' || aff === 'outcast') {
      await updateMember(this.db, room.jid, { userId, jid, affiliation: null });
    }
  }

  /** A member added or removed while not in the room (the room announces it to occupants). */
  async #onAffiliation(room: Room, n: AffiliationNotice): Promise<void> {
    if (n.jid === this.self.jid) return;
    const userId = toUserId(n.jid, this.self.domain);
    const actorJid = n.actorJid ?? room.acting.get(n.jid);
    const actor = actorJid ? toUserId(actorJid, this.self.domain) : undefined;
    room.acting.delete(n.jid);
    const member = n.affiliation === 'owner' || n.affiliation === 'admin' || n.affiliation === 'member';
    const prev = await updateMember(this.db, room.jid, { userId, jid: n.jid, affiliation: member ? (n.affiliation as Affiliation) : null });
    const event: SystemEvent | undefined = member ? (prev ? undefined : { event: 'joined', target: userId }) : prev ? { event: 'kicked', target: userId } : undefined;
    if (!event) return;
    if (actor) event.actor = actor;
    await this.#system(room.jid, event);
  }

  /** We are out of the room: it stays in the list, marked, with its history. */
  async #removed(roomId: string, reason: LeftReason, actor?: string): Promise<void> {
    if (!this.#rooms.has(roomId) && !(await this.db.conversations.get(roomId))) return;
    const tracked = this.#rooms.has(roomId);
    this.#untrack(roomId);
    const changed = await markConversationLeft(this.db, roomId, reason);
    await markRoomOffline(this.db, roomId);
    this.#unbookmark(roomId);
    if (!changed && !tracked) return;
    if (reason !== 'destroyed') {
      const event: SystemEvent = { event: reason === 'left' ? 'left' : 'kicked', target: this.#selfId };
      if (actor) event.actor = actor;
      await this.#system(roomId, event);
    }
    this.emit('left', roomId, reason, actor);
    // What waited to go to this room never will.
    this.options.drain();
  }

  // ---------------------------------------------------------------------------------------
  // Member list changes

  async #setAffiliations(room: Room, jids: readonly string[], affiliation: 'member' | 'none', signature?: SignedAction): Promise<void> {
    for (const jid of jids) {
      room.acting.set(jid, this.self.jid);
      try {
        await this.#request(
          xml(
            'iq',
            { type: 'set', to: room.jid },
            xml('query', { xmlns: MUC_NS.admin }, xml('item', { affiliation, jid }), signature ? signatureElement(signature) : null),
          ),
        );
      } catch (err) {
        room.acting.delete(jid);
        throw err;
      }
    }
  }

  async #mediatedInvites(room: Room, jids: readonly string[], signature?: SignedAction): Promise<void> {
    const ids = new Map<string, string>(jids.map((jid) => [crypto.randomUUID(), jid]));
    let refusal: Error | undefined;
    const off = this.conn.on('stanza', (stanza) => {
      if (stanza.is('message') && stanza.attrs.type === 'error' && ids.has(stanza.attrs.id ?? '') && bareJid(stanza.attrs.from ?? '') === room.jid) {
        refusal ??= errorFrom(stanza);
      }
    });
    try {
      for (const [id, jid] of ids) {
        room.acting.set(jid, this.self.jid);
        await this.conn.send(
          xml('message', { to: room.jid, id }, xml('x', { xmlns: MUC_NS.user }, xml('invite', { to: jid })), signature ? signatureElement(signature) : null),
        );
      }
      // The room handles one sender's stanzas in order: once this answers, any refusal has arrived.
      await this.#fetchMembers(room);
    } finally {
      off();
    }
    if (refusal) throw refusal;
  }

  async #requireRoom(roomId: string): Promise<Room> {
    const conv = await this.db.conversations.get(roomId);
    if (conv?.type !== 'group') throw new GroupError('item-not-found', `Not a group: ${roomId}`);
    if (conv.left || conv.invitePending) throw new GroupError('forbidden', 'You are not a member of this group.');
    return this.#track(roomId);
  }

  // ---------------------------------------------------------------------------------------
  // Helpers

  async #discoverService(): Promise<string> {
    const items = await this.#request(xml('iq', { type: 'get', to: this.self.domain }, xml('query', { xmlns: MUC_NS.discoItems })));
    const jids = (items.getChild('query', MUC_NS.discoItems)?.getChildren('item') ?? []).map((i) => i.attrs.jid ?? '').filter(Boolean);
    for (const jid of jids) {
      const info = await this.#request(xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: MUC_NS.discoInfo }))).catch(() => null);
      const query = info?.getChild('query', MUC_NS.discoInfo);
      if (
        query?.getChildren('identity').some((i) => i.attrs.category === 'conference' && i.attrs.type === 'text') &&
        query.getChildren('feature').some((f) => f.attrs.var === MUC_NS.muc)
      ) {
        return jid;
      }
    }
    throw new GroupError('service-unavailable', `${this.self.domain} offers no group chat service.`);
  }

  async #isContact(userId: string): Promise<boolean> {
    const contact = await this.db.contacts.get(userId);
    return !!contact && (contact.subscription === 'both' || contact.subscription === 'to' || contact.subscription === 'from');
  }

  async #request(iq: Element, timeoutMs = IQ_TIMEOUT_MS): Promise<Element> {
    try {
      return await this.conn.request(iq, timeoutMs);
    } catch (err) {
      const e = err as { condition?: string; text?: string; message?: string; name?: string };
      if (e.condition) throw new GroupError(e.condition, e.text || e.condition, e.text ?? '');
      throw new GroupError('remote-server-timeout', e.message ?? 'The server did not answer.');
    }
  }

  async #ingest(messages: IncomingMessage[], options: IngestOptions): Promise<MessageRecord[]> {
    const blocked = this.options.isBlocked;
    if (blocked) {
      messages = messages.flatMap((m) => {
        if (m.typing === undefined || !blocked(m.from)) return [m];
        const { typing: _typing, ...rest } = m;
        return rest.change ? [rest] : [];
      });
    }
    messages = await applyIncomingFilter(messages, this.options.filter);
    return ingestMessages(this.db, messages, { viewing: this.options.viewing, ...options });
  }

  /** Writes a system line (not counted as unread; `body` is an English fallback). */
  async #system(roomId: string, event: SystemEvent, ts = Date.now()): Promise<void> {
    await this.#ingest(
      [
        {
          id: crypto.randomUUID(),
          kind: 'system',
          system: event,
          conversationId: roomId,
          conversationType: 'group',
          from: event.actor ?? '',
          own: false,
          body: systemText(event),
          ts,
          state: 'received',
        },
      ],
      {},
    );
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task);
    this.#chain = run.then(
      () => undefined,
      (err: unknown) => debug('group task failed', err),
    );
    return run;
  }
}

function field(name: string, value: string): Element {
  return xml('field', { var: name }, xml('value', {}, value));
}

/** The error a stanza of type "error" carries, as a GroupError. */
function errorFrom(stanza: Element): GroupError {
  const error = stanza.getChild('error');
  const condition = error?.getChildElements().find((el) => el.getNS() === NS.stanzas && el.name !== 'text')?.name ?? 'undefined-condition';
  const text = error?.getChildText('text', NS.stanzas) ?? '';
  return new GroupError(condition, (text || condition).slice(0, 500), text);
}

/** English fallback text of a system line (UIs localize from `system`). */
export function systemText(e: SystemEvent): string {
  const actor = e.actor ?? '';
  const target = e.target ?? '';
  switch (e.event) {
    case 'created':
      return `${actor} created the group${e.name ? ` “${e.name}”` : ''}`;
    case 'invited':
      return `${actor} invited ${target || 'you'}`;
    case 'joined':
      return actor ? `${actor} added ${target}` : `${target} joined`;
    case 'left':
      return `${target} left`;
    case 'kicked':
      return actor ? `${actor} removed ${target}` : `${target} was removed`;
    case 'renamed':
      return actor ? `${actor} renamed the group to “${e.name ?? ''}”` : `The group was renamed to “${e.name ?? ''}”`;
    case 'subject':
      return actor ? `${actor} set the subject to “${e.subject ?? ''}”` : `The subject is now “${e.subject ?? ''}”`;
  }
}

export { MAX_NAME_CHARS, MAX_SUBJECT_CHARS };
