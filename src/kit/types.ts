/** A user's display data, as the integrator's `fetchProfiles` returns it. */
export interface Profile {
  id: string;
  name: string;
  avatarUrl?: string;
  [extra: string]: unknown;
}

export type SignatureAction = 'open' | 'start' | 'invite' | 'kick';

export interface SignatureRequest {
  action: SignatureAction;
  clientId: string;
  conversationId?: string;
  memberIds?: string[];
}

export interface Signature {
  signature: string;
  timestamp: number;
  nonce: string;
}

export type ConnectionStatus = 'offline' | 'connecting' | 'online' | 'reconnecting' | 'conflict';

export type StorageKind = 'indexeddb' | 'memory';

import type { CustomData, GeoLocation, MessageRecord } from '../store/records.js';

export interface ChatKitOptions {
  /** WebSocket URL of the XMPP server (RFC 7395). */
  service: string;
  /** The XMPP domain users of this app live on. */
  domain: string;
  /** MUC service; found by service discovery when absent. */
  mucDomain?: string;
  /** Returns display data for user ids; called in batches, results cached in the store. */
  fetchProfiles?: (userIds: string[]) => Promise<Profile[]>;
  /** Signs sensitive actions; a rejection vetoes the action. For `open`, the signature is the login credential. */
  generateSignature?: (request: SignatureRequest) => Promise<Signature>;
  /** Where records live: IndexedDB (default, survives reloads) or memory. */
  storage?: StorageKind;
  /** BCP 47 tag for UI strings and dates; defaults to the page's language. */
  locale?: string;
  /** Most ids passed to one `fetchProfiles` call. */
  profileBatchSize?: number;
  /** How long a fetched profile stays fresh, in ms. */
  profileMaxAgeMs?: number;
  /** XMPP resource for this client; random when absent. */
  resource?: string;
  /** Bodies longer than this (UTF-16 units) are shown cut, with a "Show all" button (default 20,000). */
  maxDisplayChars?: number;
  /**
   * Runs before a message enters the outbox. Return nothing to send it as is, or a
   * changed copy (e.g. a word filter rewriting `text`); throw or reject to veto it
   * (the send rejects with code `send-vetoed`, nothing is stored or sent).
   */
  beforeSend?: (message: OutgoingMessage) => OutgoingMessage | void | Promise<OutgoingMessage | void>;
  /**
   * Runs on every incoming message (live and archive) before it is stored: return
   * false to hide it (it is not stored, counted or shown). A hook that throws keeps the message.
   */
  filterIncoming?: (message: IncomingMessageView) => boolean | Promise<boolean>;
  /** Extra items for the message menu (long-press / right-click), after the built-in ones. */
  messageActions?: (message: MessageRecord) => MessageAction[];
  /**
   * Draws a shared location in its bubble (e.g. a map) as a Lit template; without it
   * the bubble shows the coordinates and an OpenStreetMap link.
   */
  renderLocation?: (location: GeoLocation, message: MessageRecord) => unknown;
  /** Emoji offered as quick reactions in the message menu (default 👍 ❤️ 😂 😮 😢 🙏). */
  reactions?: string[];
}

/** What `beforeSend` sees (and may return changed). */
export interface OutgoingMessage {
  conversationId: string;
  /** `text`: `send`; `file`: `sendFile` (text is the caption, usually empty); `location`; `custom`. */
  kind: 'text' | 'file' | 'location' | 'custom';
  /** The body that goes on the wire (for files the kit adds the URL after upload). */
  text: string;
  /** Local id of the message this one answers. */
  replyTo?: string;
  /** Set when this is an edit (`kit.edit`): the local id of the message being corrected. */
  editOf?: string;
  /** `custom`: the registered type and its data. */
  custom?: { type: string; data: CustomData };
}

/** What `filterIncoming` sees: the record as it would be stored. */
export type IncomingMessageView = Readonly<Omit<MessageRecord, 'seq'>>;

/** An integrator's entry in the message menu. */
export interface MessageAction {
  /** Stable id (used as the menu item's `data-action`). */
  id: string;
  /** Visible label (plain text). */
  label: string;
  run: (message: MessageRecord) => void | Promise<void>;
}

export interface OpenOptions {
  password?: string;
}

export interface StartConversationOptions {
  /** The group's name; without one, the members' names ("Alice, Bob, Carol"). */
  name?: string;
}

/**
 * A mention in a message: code points `begin` to `end` (exclusive) of the text name the
 * user whose JID `uri` gives (XEP-0372's unit; `[...text.slice(0, i)].length` turns a
 * textarea offset into one).
 */
export interface MentionInput {
  begin: number;
  end: number;
  /** `xmpp:` and the mentioned user's bare JID (`kit.mentionUri(userId)`). */
  uri: string;
}

/** Options of `sendLocation` and `sendCustom`. */
export interface ReplyOptions {
  /** XEP-0461: local id of the message this one answers. */
  replyTo?: string;
}

export interface SendOptions {
  /** Group messages only: XEP-0372 mentions (the mentioned users' conversations get `mentioned`). */
  mentions?: MentionInput[];
  /** XEP-0461: local id of the message this one answers. */
  replyTo?: string;
}

export interface SendFileOptions {
  /** XEP-0461: local id of the message this one answers. */
  replyTo?: string;
  /** Recorded in the composer: shown as a voice message with a player. */
  voice?: boolean;
  /** Audio/video duration in ms (voice messages). */
  duration?: number;
  /** File name when the blob has none (a `File` brings its own). */
  name?: string;
}
