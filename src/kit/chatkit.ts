import type { ChatDB } from '../store/schema.js';
import { MemoryBackendError, openDatabase } from '../store/open.js';
import {
  addOutgoing,
  deleteMessage,
  ensureConversation,
  markConversationRead,
  setMessageState,
  type RichFields,
} from '../store/messages.js';
import { Connection, LoginError, type LinkStatus } from '../protocol/connection.js';
import type { ChatModule } from '../protocol/chat.js';
import { setupSession, type Session as ProtocolSession } from '../protocol/session.js';
import { isValidBareJid, toUserId, userIdToJid } from '../protocol/jid.js';
import type { Self } from '../protocol/message.js';
import { ChatKitError } from './errors.js';
import { CkConflictEvent, CkErrorEvent, CkSessionEvent, CkStatusEvent, type ChatKitEventMap } from './events.js';
import { ProfileLoader } from './profiles.js';
import { Contacts, type AddContactOptions, type OwnShow, type UpdateContactOptions } from './contacts.js';
import { Conversations } from './conversations.js';
import { UnreadNotifier, requestNotificationPermission, type NotificationSettings } from './notifications.js';
import type { CustomData, GeoLocation } from '../store/records.js';
import { MessageTypes, type MessageTypeDefinition } from './message-types.js';
import { RichMessages, customSerializer, incomingFilter, runBeforeSend } from './rich.js';
import type { MentionInput, ReplyOptions } from './types.js';
import { Uploads, describeFile } from './uploads.js';
import type { ChatKitOptions, StorageKind, ConnectionStatus, OpenOptions, SendOptions, StartConversationOptions } from './types.js';
import type { SendFileOptions } from './types.js';

const DEFAULTS = {
  storage: 'indexeddb',
  profileBatchSize: 50,
  profileMaxAgeMs: 24 * 60 * 60 * 1000,
} as const;

/** Longest text `send` accepts; longer text is refused rather than cut silently. */
export const MAX_SEND_CHARS = 32 * 1024;

interface Session {
  clientId: string;
  self: Self;
  db: ChatDB;
  /** Where records really live (memory when IndexedDB could not be opened). */
  storage: StorageKind;
  conn?: Connection;
  chat?: ChatModule;
  protocol?: ProtocolSession;
  /** The upload outbox (file messages waiting for their bytes to be uploaded). */
  uploads: Uploads;
}

/**
 * The mediator: the one object an integrator configures. It owns the account's
 * store and connection; elements read the store and call its methods.
 *
 * @fires ck-status - `kit.status` changed
 * @fires ck-session - another account's store is selected (after `open`/`close`)
 * @fires ck-error - a non-fatal failure (e.g. `fetchProfiles` rejected)
 * @fires ck-conflict - another login replaced this session
 * @fires ck-conversation-left - the user is no longer in a group (removed, left, destroyed)
 * @fires ck-invite - the user was invited to a group
 * @fires ck-unread - `kit.totalUnread` changed
 */
export class ChatKit extends EventTarget {
  static #default: ChatKit | undefined;
  /** Fires `ck-default-change` when `ChatKit.default` changes, so elements without a `kit` follow. */
  static readonly registry = new EventTarget();

  /** The kit elements use when their `kit` property is not set. */
  static get default(): ChatKit | undefined {
    return ChatKit.#default;
  }

  readonly options: Readonly<ChatKitOptions>;
  readonly profiles: ProfileLoader;
  readonly #contacts: Contacts;
  readonly #conversations: Conversations;
  readonly #rich: RichMessages;
  /** The integrator's custom message types (`registerMessageType`); `.get(type)`, `.all()`. */
  readonly messageTypes = new MessageTypes();
  #status: ConnectionStatus = 'offline';
  #session: Session | undefined;
  #viewing = new Map<string, number>();
  #opening: Promise<void> | undefined;
  #notifier: UnreadNotifier | undefined;

  constructor(options: ChatKitOptions) {
    super();
    if (!options?.service || !options.domain) {
      throw new ChatKitError('invalid-argument', 'ChatKit needs `service` (a WebSocket URL) and `domain`.');
    }
    this.options = Object.freeze({ ...options, domain: options.domain.toLowerCase() });
    this.#contacts = new Contacts(() => this.#session, this.options.domain);
    this.#conversations = new Conversations(() => this.#session, this.options, this);
    this.#rich = new RichMessages(() => this.#session, this.messageTypes);
    this.profiles = new ProfileLoader(() => this.#session?.db, {
      fetchProfiles: options.fetchProfiles,
      // Without a hook, profiles come from the users' vCards.
      fallback: (ids) => this.#contacts.vcards(ids),
      batchSize: options.profileBatchSize ?? DEFAULTS.profileBatchSize,
      maxAgeMs: options.profileMaxAgeMs ?? DEFAULTS.profileMaxAgeMs,
      retryMs: 60_000,
      onError: (error) => this.dispatchEvent(new CkErrorEvent(error)),
    });
    this.makeDefault();
  }

  /** Makes this kit the one elements without a `kit` property use. */
  makeDefault(): this {
    if (ChatKit.#default !== this) {
      ChatKit.#default = this;
      ChatKit.registry.dispatchEvent(new Event('ck-default-change'));
    }
    return this;
  }

  get status(): ConnectionStatus {
    return this.#status;
  }

  /** The signed-in user's id, or null before `open`. */
  get clientId(): string | null {
    return this.#session?.clientId ?? null;
  }

  /** The open account's store (elements' live queries read it), or undefined before `open`. */
  get db(): ChatDB | undefined {
    return this.#session?.db;
  }

  /**
   * Where the open account's records live: `memory` when asked for, or when IndexedDB
   * could not be opened (private modes, storage blocked in a third-party iframe or WebView):
   * then nothing survives a reload, and elements say so.
   */
  get storage(): StorageKind | undefined {
    return this.#session?.storage;
  }

  get locale(): string {
    return this.options.locale ?? (globalThis.document?.documentElement.lang || globalThis.navigator?.language || 'en');
  }

  /** User id for a JID, by the kit's one rule (local part on `domain`, bare JID elsewhere). */
  userIdOf(jid: string): string {
    return toUserId(jid, this.options.domain);
  }

  /** The conversation id of a 1:1 chat with a user (their bare JID). */
  conversationIdFor(userId: string): string {
    return userIdToJid(userId, this.options.domain);
  }

  /**
   * Signs in as `clientId`. The account's store is selected at once (elements paint
   * from it before any network); resolves when the session is online. Rejects on a
   * refused login or a vetoed signature; while the server is unreachable it keeps
   * retrying (status `reconnecting`) until online or `close()`.
   */
  async open(clientId: string, options: OpenOptions = {}): Promise<void> {
    const session = await this.#select(clientId);
    const opening = this.#connect(session, options);
    this.#opening = opening;
    try {
      await opening;
    } finally {
      if (this.#opening === opening) this.#opening = undefined;
    }
  }

  /**
   * Selects `clientId`'s store without connecting: elements paint what it holds
   * (e.g. while the app is still fetching a credential). `open` does this itself.
   */
  async openStore(clientId: string): Promise<void> {
    await this.#select(clientId);
  }

  async #select(clientId: string): Promise<Session> {
    const jid = typeof clientId === 'string' ? userIdToJid(clientId.trim(), this.options.domain) : '';
    if (!isValidBareJid(jid)) throw new ChatKitError('invalid-argument', `Not a valid user id: ${String(clientId)}`);
    if (this.#session) await this.close();
    const id = toUserId(jid, this.options.domain);
    let storage: StorageKind = this.options.storage ?? DEFAULTS.storage;
    const db = await openDatabase(jid, storage, (cause) => {
      storage = 'memory';
      this.dispatchEvent(new CkErrorEvent(new ChatKitError('storage', 'IndexedDB is unavailable: this session keeps its messages in memory only.', { cause })));
    }).catch((err: unknown) => {
      throw err instanceof MemoryBackendError ? new ChatKitError('storage', err.message, { cause: err }) : err;
    });
    const session: Session = { clientId: id, self: { jid, domain: this.options.domain, recognise: (els) => this.messageTypes.recognise(els) }, db, storage, uploads: new Uploads(db) };
    this.#session = session;
    this.#conversations.watch(db);
    this.dispatchEvent(new CkSessionEvent(id));
    return session;
  }

  async #connect(session: Session, options: OpenOptions): Promise<void> {
    this.#setStatus('connecting');
    let password = options.password;
    if (password === undefined) {
      if (!this.options.generateSignature) {
        this.#setStatus('offline');
        throw new ChatKitError('no-credentials', 'open() needs a password or a generateSignature hook.');
      }
      try {
        const signature = await this.options.generateSignature({ action: 'open', clientId: session.clientId });
        if (!signature || typeof signature.signature !== 'string') throw new Error('no signature returned');
        password = signature.signature;
      } catch (err) {
        this.#setStatus('offline');
        throw new ChatKitError('signature-vetoed', 'Sign-in was refused by generateSignature.', { cause: err });
      }
    }
    if (this.#session !== session) throw new ChatKitError('closed', 'The kit was closed while signing in.');

    const [username, domain] = [session.self.jid.split('@')[0]!, this.options.domain];
    const conn = new Connection({
      service: this.options.service,
      domain,
      username,
      password,
      resource: this.options.resource,
      lang: this.locale,
    });
    session.conn = conn;
    const protocol = setupSession(conn, session.db, session.self, {
      viewing: { has: (id) => this.#viewing.has(id) },
      mucService: this.options.mucDomain?.toLowerCase(),
      serialize: customSerializer(this.messageTypes),
      filter: incomingFilter(this.options),
    });
    session.chat = protocol.chat;
    session.protocol = protocol;
    this.#contacts.attach(protocol);
    this.#conversations.attach(protocol);
    session.uploads.attach(conn, domain, () => void protocol.chat.drain());
    conn.on('status', (s: LinkStatus) => this.#setStatus(s));
    conn.on('conflict', () => this.dispatchEvent(new CkConflictEvent()));
    try {
      await conn.open();
    } catch (err) {
      if (err instanceof LoginError) throw new ChatKitError('login-refused', err.message, { cause: err });
      throw new ChatKitError('closed', err instanceof Error ? err.message : String(err), { cause: err });
    }
  }

  /** Signs out: the connection closes and elements show nothing until the next `open`. */
  async close(): Promise<void> {
    const session = this.#session;
    if (!session) return;
    this.#session = undefined;
    this.#conversations.watch(undefined);
    this.#rich.reset();
    session.uploads.stop();
    await session.conn?.close();
    session.db.close();
    this.#setStatus('offline');
    this.dispatchEvent(new CkSessionEvent(null));
  }

  /**
   * Opens a conversation and returns its id. One member: the 1:1 chat with them
   * (their bare JID). Several members or a `name`: a new group (a members-only,
   * persistent room on the MUC service) with the user as owner; the members are added
   * and invited, and it is named `name` or after its members ("Alice, Bob, Carol").
   * `generateSignature` is asked to sign `start` first: a veto creates nothing.
   */
  async startConversation(memberIds: string[], options: StartConversationOptions = {}): Promise<string> {
    const session = this.#requireSession();
    const members = [...new Set((memberIds ?? []).map((m) => String(m).trim()).filter(Boolean))];
    if (members.length === 0) throw new ChatKitError('invalid-argument', 'startConversation needs at least one member.');
    if (members.length > 1 || options.name) return this.#conversations.startGroup(members, options.name);
    const id = this.conversationIdFor(members[0]!);
    if (!isValidBareJid(id) || id === session.self.jid) throw new ChatKitError('invalid-argument', `Cannot chat with ${members[0]}.`);
    await ensureConversation(session.db, id, 'chat');
    return id;
  }

  /**
   * Queues a text message: stored as pending at once, sent when online (a group's once
   * its room is joined). Resolves with its id. `mentions` (groups) are XEP-0372 references;
   * `replyTo` (a message's local id) makes it an XEP-0461 reply (`invalid-argument` when
   * that message is unknown or recalled). `beforeSend` may rewrite the text or veto it
   * (`send-vetoed`: nothing is stored).
   */
  async send(conversationId: string, text: string, options: SendOptions = {}): Promise<string> {
    const session = this.#requireSession();
    const original = typeof text === 'string' ? text : '';
    checkText(original);
    if (!isValidBareJid(conversationId)) throw new ChatKitError('invalid-argument', `Unknown conversation: ${conversationId}`);
    const replyTo = options?.replyTo;
    const reply = replyTo !== undefined ? await this.#rich.reply(session.db, conversationId, replyTo) : undefined;
    const out = await runBeforeSend(this.options, { conversationId, kind: 'text', text: original, ...(replyTo !== undefined ? { replyTo } : {}) });
    const body = out.text;
    if (body !== original) checkText(body, 'after beforeSend');
    const mentions = body === original ? options?.mentions : keptMentions(original, body, options?.mentions);
    const prepared = await this.#conversations.prepareSend(session.db, conversationId, body, { ...(options ?? {}), mentions });
    return this.#queue(session, conversationId, body, prepared, { reply });
  }

  /** Writes a new own message to the outbox (with its rich fields) and starts the drain. */
  async #queue(
    session: Session,
    conversationId: string,
    body: string,
    prepared: Awaited<ReturnType<Conversations['prepareSend']>>,
    fields: RichFields,
  ): Promise<string> {
    let record;
    try {
      record = await addOutgoing(session.db, { conversationId, conversationType: prepared.type, from: session.clientId, body, mentions: prepared.mentions }, fields);
    } catch (cause) {
      // Not in the outbox means not sent: reject so the composer keeps the text, and tell the app.
      const error = new ChatKitError('storage', 'The message could not be saved (storage full or unavailable); it was not sent.', { cause });
      this.dispatchEvent(new CkErrorEvent(error));
      throw error;
    }
    this.#rich.sent(conversationId);
    void session.chat?.drain();
    return record.id;
  }

  /** Puts a failed message back in the outbox. */
  async resend(messageId: string): Promise<void> {
    const session = this.#requireSession();
    const m = await session.db.messages.get(messageId);
    if (!m?.own || m.state !== 'failed') return;
    await setMessageState(session.db, messageId, 'pending', { attempts: 0 });
    void session.chat?.drain();
    // A file whose upload failed uploads again first.
    if (m.upload) session.uploads.kick();
  }

  /** Deletes a message from this device's store (an unsent one never goes out). */
  async deleteMessage(messageId: string): Promise<void> {
    const session = this.#requireSession();
    // A file still uploading: stop the upload and drop its bytes with the message.
    if (await session.uploads.cancel(messageId)) return;
    await deleteMessage(session.db, messageId);
  }

  /**
   * The user has seen the conversation: its unread count goes to zero and, when
   * online, the peer is told (XEP-0333 "displayed"; their messages show as read).
   * Elements call this only while the conversation is visible in a focused tab.
   */
  async markRead(conversationId: string): Promise<void> {
    const session = this.#session;
    if (!session) return;
    // Groups: XEP-0333 markers are 1:1 here; reading clears the count and mention.
    if (await this.#conversations.isGroup(session.db, conversationId)) await this.#conversations.markGroupRead(session.db, conversationId);
    else if (session.chat) await session.chat.markDisplayed(conversationId);
    else await markConversationRead(session.db, conversationId);
  }

  /**
   * Pages older history of a conversation in from the server's archive (XEP-0313).
   * Resolves with how many messages were new; 0 with `historyComplete` set on the
   * conversation means the archive has nothing older.
   */
  async loadEarlier(conversationId: string): Promise<number> {
    const session = this.#requireSession();
    if (!session.chat || this.#status !== 'online') return 0;
    if (session.protocol && (await this.#conversations.isGroup(session.db, conversationId))) return session.protocol.muc.loadEarlier(conversationId);
    return session.chat.archive.loadEarlier(conversationId);
  }

  /**
   * Elements call this while a conversation is on screen in a visible tab, so new
   * messages in it never count as unread. Returns the function that ends it.
   */
  viewing(conversationId: string): () => void {
    this.#viewing.set(conversationId, (this.#viewing.get(conversationId) ?? 0) + 1);
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const n = (this.#viewing.get(conversationId) ?? 1) - 1;
      if (n <= 0) this.#viewing.delete(conversationId);
      else this.#viewing.set(conversationId, n);
    };
  }

  /** Profiles are fetched lazily: elements name the ids they show. */
  requestProfiles(userIds: Iterable<string>): void {
    this.profiles.request(userIds);
  }

  /** Forgets cached profiles so they are fetched again (all when `userIds` is absent). */
  invalidateProfiles(userIds?: string[]): Promise<void> {
    return this.profiles.invalidate(userIds);
  }

  /**
   * Sends `userId` a contact ("friend") request and adds them to the roster. When they
   * accept, each sees the other's presence. Rejects with code `offline` when not online.
   */
  addContact(userId: string, options?: AddContactOptions): Promise<void> {
    return this.#contacts.add(userId, options);
  }

  /** Accepts an incoming contact request (see the store's `requests`); mutual, as in chat apps. */
  acceptContact(userId: string, options?: UpdateContactOptions): Promise<void> {
    return this.#contacts.accept(userId, options);
  }

  /** Declines an incoming contact request. */
  declineContact(userId: string): Promise<void> {
    return this.#contacts.decline(userId);
  }

  /** Removes a contact from the roster (presence sharing ends both ways). */
  removeContact(userId: string): Promise<void> {
    return this.#contacts.remove(userId);
  }

  /** Renames a contact and/or sets their groups; what is not given stays. */
  updateContact(userId: string, changes: UpdateContactOptions): Promise<void> {
    return this.#contacts.update(userId, changes);
  }

  /**
   * The user's own availability and status text, shown to their contacts. Kept for
   * later sessions of this kit; sent at once when online. (`close()` makes the user offline.)
   */
  setPresence(show: OwnShow, status?: string): Promise<void> {
    return this.#contacts.setPresence(show, status);
  }

  /** Blocks a user (XEP-0191): nothing of theirs reaches this account; their stored messages are hidden. */
  block(userId: string): Promise<void> {
    return this.#contacts.block(userId);
  }

  /** Lifts a block; the user's stored messages show again. */
  unblock(userId: string): Promise<void> {
    return this.#contacts.unblock(userId);
  }

  /**
   * Asks when offline contacts were last online (XEP-0012), once per id per session;
   * the answer lands in their presence record's `lastSeen`. Elements call this for what they show.
   */
  requestLastSeen(userIds: Iterable<string>): void {
    void this.#contacts.requestLastSeen(userIds).catch(() => undefined);
  }

  /**
   * Adds members to a group and invites them; they see it in their list (joined at once
   * when the inviter is their contact). `generateSignature` signs `invite` first.
   */
  invite(conversationId: string, memberIds: string[]): Promise<void> {
    return this.#conversations.invite(conversationId, memberIds);
  }

  /**
   * Removes members from a group (its owners and admins only: code `forbidden`
   * otherwise). `generateSignature` signs `kick` first; the server checks it.
   */
  kick(conversationId: string, memberIds: string[]): Promise<void> {
    return this.#conversations.kick(conversationId, memberIds);
  }

  /** Leaves a group; it stays in the list marked `left`, with its history. */
  leave(conversationId: string): Promise<void> {
    return this.#conversations.leave(conversationId);
  }

  /** Renames a group (its owners only); every member's log gets a system line. */
  rename(conversationId: string, name: string): Promise<void> {
    return this.#conversations.rename(conversationId, name);
  }

  /** Sets a group's subject (any member; the conversation's `subject`). */
  setSubject(conversationId: string, subject: string): Promise<void> {
    return this.#conversations.setSubject(conversationId, subject);
  }

  /** Joins a group whose invitation waits (`invitePending`: the inviter is not a contact). */
  acceptInvite(conversationId: string): Promise<void> {
    return this.#conversations.acceptInvite(conversationId);
  }

  /** Declines a waiting invitation; the group disappears from the list. */
  declineInvite(conversationId: string): Promise<void> {
    return this.#conversations.declineInvite(conversationId);
  }

  /** Keeps unsent composer text with the conversation (empty text clears it). */
  setDraft(conversationId: string, text: string): Promise<void> {
    return this.#conversations.setDraft(conversationId, text);
  }

  /** Mutes or unmutes a conversation: its unread count shows as a dot and leaves `totalUnread`. */
  mute(conversationId: string, on: boolean): Promise<void> {
    return this.#conversations.mute(conversationId, on);
  }

  /** Pins a conversation to the top of the list, or unpins it. */
  pin(conversationId: string, on: boolean): Promise<void> {
    return this.#conversations.pin(conversationId, on);
  }

  /** Removes a conversation from the list (its history stays); a new message brings it back. */
  hide(conversationId: string): Promise<void> {
    return this.#conversations.hide(conversationId);
  }

  /** Unread messages over all listed conversations, muted ones excluded (`ck-unread` fires on change). */
  get totalUnread(): number {
    return this.#conversations.totalUnread;
  }

  /**
   * While the tab is hidden, shows the unread count in the page title (`title`, default on)
   * and a system notification when messages arrive (`system`, default off; it also needs
   * `requestNotificationPermission()`). Call again to change the settings.
   */
  enableNotifications(settings: NotificationSettings = {}): void {
    this.#notifier ??= new UnreadNotifier(this);
    this.#notifier.enable(settings);
  }

  /** Stops the title badge and system notifications and restores the page title. */
  disableNotifications(): void {
    this.#notifier?.disable();
  }

  /** Asks the browser for notification permission: call it from a click (browsers require a user gesture). */
  requestNotificationPermission(): Promise<NotificationPermission> {
    return requestNotificationPermission();
  }

  /** The `uri` of a mention of `userId` (for `send(..., { mentions })`). */
  mentionUri(userId: string): string {
    return `xmpp:${userIdToJid(userId, this.options.domain)}`;
  }

  /** Retries the connection now instead of waiting out the backoff. */
  reconnectNow(): void {
    this.#session?.conn?.retryNow();
  }

  /**
   * Sends a file, image or voice recording (XEP-0363 upload): stored at once as a pending
   * message with `attachment` and `upload` progress, its bytes kept in the store until
   * uploaded (a reload resumes it), then sent with the file's URL. Resolves with the id.
   * Rejects with `too-large` (over the server's limit), `unsupported` (no upload service),
   * `send-vetoed` (`beforeSend`), `invalid-argument` or `not-open`, with nothing stored.
   */
  async sendFile(conversationId: string, file: Blob, options: SendFileOptions = {}): Promise<string> {
    const session = this.#requireSession();
    if (!(file instanceof Blob)) throw new ChatKitError('invalid-argument', 'sendFile needs a Blob or File.');
    if (file.size === 0) throw new ChatKitError('invalid-argument', 'An empty file is not sent.');
    if (!isValidBareJid(conversationId)) throw new ChatKitError('invalid-argument', `Unknown conversation: ${conversationId}`);
    const { type } = await this.#conversations.prepareSend(session.db, conversationId, '', {});
    await session.uploads.check(file.size);
    const replyTo = options?.replyTo;
    const reply = replyTo !== undefined ? await this.#rich.reply(session.db, conversationId, replyTo) : undefined;
    // A file message's body is its URL: the hook may veto it, not rewrite it.
    await runBeforeSend(this.options, { conversationId, kind: 'file', text: '', ...(replyTo !== undefined ? { replyTo } : {}) });
    const attachment = await describeFile(file, options ?? {});
    try {
      const record = await session.uploads.enqueue(
        { conversationId, conversationType: type, from: session.clientId, body: '', attachment: { ...attachment, url: '' }, ...(reply ? { reply } : {}) },
        file,
      );
      return record.id;
    } catch (cause) {
      const error = new ChatKitError('storage', 'The file could not be saved (storage full or unavailable); it was not sent.', { cause });
      this.dispatchEvent(new CkErrorEvent(error));
      throw error;
    }
  }

  /**
   * Stops an upload and deletes its message and bytes: nothing is sent for it. Does
   * nothing for a message that is gone; rejects with `invalid-argument` when the file
   * already finished uploading (the message is on its way).
   */
  async cancelUpload(messageId: string): Promise<void> {
    const session = this.#requireSession();
    if (await session.uploads.cancel(messageId)) return;
    if (await session.db.messages.get(messageId)) throw new ChatKitError('invalid-argument', 'This message is not uploading any more.');
  }

  /**
   * The server's upload limit in bytes (XEP-0363 `max-file-size`): `undefined` when it
   * offers no upload service, `Infinity` when its service names no limit. Offline, the
   * last limit seen; rejects with `offline` when none was ever seen.
   */
  async uploadLimit(): Promise<number | undefined> {
    const known = await this.#requireSession().uploads.service();
    if (!known) throw new ChatKitError('offline', 'The upload limit is not known until the kit has been online.');
    if ('none' in known) return undefined;
    return known.maxSize ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Shares a location (RFC 5870 `geo:` URI as the body, so every client shows something):
   * `lat` -90..90, `lon` -180..180, optional `accuracy` in metres. Queued like `send`
   * (`beforeSend` sees kind `location` and may veto it); resolves with the message id.
   */
  async sendLocation(conversationId: string, location: GeoLocation, options: ReplyOptions = {}): Promise<string> {
    const session = this.#requireSession();
    if (!isValidBareJid(conversationId)) throw new ChatKitError('invalid-argument', `Unknown conversation: ${conversationId}`);
    const where = this.#rich.location(location);
    const body = this.#rich.locationBody(where);
    const replyTo = options?.replyTo;
    const reply = replyTo !== undefined ? await this.#rich.reply(session.db, conversationId, replyTo) : undefined;
    // The body is the location itself: a hook may veto it, not rewrite it.
    await runBeforeSend(this.options, { conversationId, kind: 'location', text: body, ...(replyTo !== undefined ? { replyTo } : {}) });
    const prepared = await this.#conversations.prepareSend(session.db, conversationId, body, {});
    return this.#queue(session, conversationId, body, prepared, { location: where, reply });
  }

  /**
   * Sends a message of a registered custom type (`registerMessageType`): `data` must be
   * JSON-like and at most 16 KB as JSON. On the wire it is the type's `serialize(data)`
   * element with its `fallback(data)` as the body other clients show. `beforeSend` sees
   * kind `custom` and may change `custom.data` (and `text`, the fallback) or veto it.
   */
  async sendCustom(conversationId: string, type: string, data: CustomData, options: ReplyOptions = {}): Promise<string> {
    const session = this.#requireSession();
    if (!isValidBareJid(conversationId)) throw new ChatKitError('invalid-argument', `Unknown conversation: ${conversationId}`);
    const checked = this.#rich.custom(type, data);
    const replyTo = options?.replyTo;
    const reply = replyTo !== undefined ? await this.#rich.reply(session.db, conversationId, replyTo) : undefined;
    const out = await runBeforeSend(this.options, {
      conversationId,
      kind: 'custom',
      text: checked.body,
      custom: { type, data: checked.data },
      ...(replyTo !== undefined ? { replyTo } : {}),
    });
    const changedData = out.custom?.data !== checked.data;
    const final = changedData ? this.#rich.custom(type, out.custom?.data) : checked;
    // The fallback follows the data unless the hook rewrote the text itself.
    const body = out.text !== checked.body && out.text.trim() ? [...out.text].slice(0, MAX_SEND_CHARS).join('') : final.body;
    const prepared = await this.#conversations.prepareSend(session.db, conversationId, body, {});
    return this.#queue(session, conversationId, body, prepared, { custom: { type, data: final.data }, reply });
  }

  /**
   * Corrects the text of one of the user's own messages (XEP-0308), or a file's caption:
   * shown at once as edited, sent when online. An unsent message just changes. Rejects
   * with `forbidden` for others' messages, `invalid-argument` for recalled, location or
   * custom messages and for empty or over-long text. Group mentions of the old text are dropped.
   */
  edit(messageId: string, text: string): Promise<void> {
    return this.#rich.edit(messageId, text, MAX_SEND_CHARS, this.options);
  }

  /**
   * Recalls one of the user's own messages, of any age (XEP-0424): its content is wiped
   * here at once and on the peers' clients when they get the retraction. An unsent
   * message is simply deleted (an uploading file's upload is cancelled). `forbidden` for others' messages.
   */
  async recall(messageId: string): Promise<void> {
    const session = this.#requireSession();
    const m = typeof messageId === 'string' ? await session.db.messages.get(messageId) : undefined;
    if (m?.own && m.upload && !m.retracted) return this.cancelUpload(messageId);
    return this.#rich.recall(messageId);
  }

  /**
   * Adds (`on` true) or removes (`on` false) the user's reaction `emoji` on a message
   * (XEP-0444); without `on` it toggles. Any message but system lines and recalled ones.
   */
  react(messageId: string, emoji: string, on?: boolean): Promise<void> {
    return this.#rich.react(messageId, emoji, on);
  }

  /**
   * Tells the conversation the user is typing (XEP-0085). Call it on every input:
   * `composing` goes out at most once per 5 s of continued typing, `paused` 5 s after the
   * last call, and `setTyping(id, false)` (e.g. the input was cleared) ends it at once; a
   * sent message ends it too. Nothing is sent offline or to a group not joined; never throws.
   */
  setTyping(conversationId: string, typing: boolean): void {
    this.#rich.setTyping(conversationId, !!typing);
  }

  /**
   * Registers a custom message type (see `MessageTypeDefinition`): how it is recognised on
   * the wire, drawn in the log, previewed in the list, shown by other clients, and
   * optionally created from a composer button. Register it before `open` so history
   * is recognised too. Rejects (`invalid-argument`) a definition that lacks a part.
   */
  registerMessageType<T extends CustomData>(definition: MessageTypeDefinition<T>): void {
    this.messageTypes.register(definition);
  }

  override addEventListener<K extends keyof ChatKitEventMap>(
    type: K,
    listener: ((ev: ChatKitEventMap[K]) => void) | null,
    options?: boolean | AddEventListenerOptions,
  ): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  override addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void {
    super.addEventListener(type, listener, options);
  }

  override removeEventListener<K extends keyof ChatKitEventMap>(
    type: K,
    listener: ((ev: ChatKitEventMap[K]) => void) | null,
    options?: boolean | EventListenerOptions,
  ): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
  override removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void {
    super.removeEventListener(type, listener, options);
  }

  #requireSession(): Session {
    if (!this.#session) throw new ChatKitError('not-open', 'Call kit.open() first.');
    return this.#session;
  }

  #setStatus(status: ConnectionStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.dispatchEvent(new CkStatusEvent(status));
  }
}

/** A message body `send` accepts: not blank, at most MAX_SEND_CHARS (`after` names what made it, e.g. beforeSend). */
function checkText(body: string, after = ''): void {
  const by = after ? ` (${after})` : '';
  if (body.trim() === '') throw new ChatKitError('invalid-argument', `An empty message is not sent${by}.`);
  if (body.length > MAX_SEND_CHARS) throw new ChatKitError('invalid-argument', `A message is limited to ${MAX_SEND_CHARS} characters${by}.`);
}

/** Mentions still naming the same text after `beforeSend` rewrote the body (offsets are code points). */
function keptMentions(before: string, after: string, mentions: readonly MentionInput[] | undefined): MentionInput[] | undefined {
  if (!mentions?.length) return undefined;
  const a = [...before];
  const b = [...after];
  const kept = mentions.filter((m) => m && a.slice(m.begin, m.end).join('') === b.slice(m.begin, m.end).join(''));
  return kept.length ? kept : undefined;
}
