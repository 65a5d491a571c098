/** Record types: everything the UI shows lives in these tables. */

export type MessageState = 'pending' | 'sent' | 'delivered' | 'read' | 'failed' | 'received';

export type ConversationType = 'chat' | 'group';

export type MessageKind = 'text' | 'system';

export interface MessageRecord {
  /** Local key; for own messages it is also the XEP-0359 origin-id, kept for the message's whole life. */
  id: string;
  /** `system`: a line about the conversation (joins, leaves, renames), not a bubble. Default `text`. */
  kind?: MessageKind;
  conversationId: string;
  /** Sender's user id. */
  from: string;
  own: boolean;
  body: string;
  /**
   * Ordering time in ms: the server's stamp (delay, archive) or local arrival time,
   * raised to the conversation's newest when a message arrives after it (archive
   * stamps have whole-second resolution, and arrival order must win over them).
   */
  ts: number;
  /** The time to display when it differs from `ts` (the server's own stamp). */
  sentAt?: number;
  /** Tie-breaker for equal `ts`: arrival order, or send order for own messages. */
  seq: number;
  state: MessageState;
  originId?: string;
  /** XEP-0359 stanza-id assigned by the archive that holds this message. */
  stanzaId?: string;
  /** The sender's stanza `id` attribute, which receipts and markers refer to. */
  remoteId?: string;
  /** Why a message failed. */
  error?: string;
  /** Send attempts so far (outbox). */
  attempts?: number;
  /**
   * What a `system` line records, as data the UI localizes (`body` holds an English
   * fallback for UIs that do not).
   */
  system?: SystemEvent;
  /** XEP-0372 mentions in `body` (code-point offsets, as on the wire and in `renderText`'s `mentions`). */
  mentions?: Mention[];
  /** One of `mentions` names the signed-in user. */
  mentioned?: boolean;
  /** A file, image or voice message (XEP-0363 upload, XEP-0066 out-of-band URL, XEP-0446 metadata). */
  attachment?: Attachment;
  /** Own attachment still being uploaded: the message is held in the outbox until `url` is set. */
  upload?: UploadState;
  /** A `geo:` location (RFC 5870) the body carries. */
  location?: GeoLocation;
  /** XEP-0461: the message this one answers. */
  reply?: ReplyRef;
  /** XEP-0308: when the sender last corrected it (ms); `body` holds the corrected text. */
  edited?: number;
  /** XEP-0424: the sender recalled it; `body` and payloads are wiped. */
  retracted?: boolean;
  /** XEP-0444: emoji → user ids who reacted with it (each sender's latest set replaces their earlier one). */
  reactions?: Record<string, string[]>;
  /** When each user's current reaction set was sent (ms), so an older set replayed later (history paging) loses. */
  reactedAt?: Record<string, number>;
  /** An integrator-registered message type's payload (`kit.registerMessageType`). */
  custom?: CustomPayload;
}

/** What a file message points at. Plain text fields: render them as text. */
export interface Attachment {
  /** Where the file can be fetched (http/https only; empty while uploading). */
  url: string;
  name: string;
  /** Bytes. */
  size: number;
  /** MIME type as declared by the sender (never trusted for rendering beyond choosing image/audio/file). */
  mime: string;
  /** Images and video: pixel size, so the bubble reserves its space before the image loads. */
  width?: number;
  height?: number;
  /** Audio and video: duration in ms. */
  duration?: number;
  /** Sent as a voice message (recorded in the composer). */
  voice?: boolean;
}

export interface UploadState {
  /** Fraction uploaded, 0..1. */
  progress: number;
}

export interface GeoLocation {
  lat: number;
  lon: number;
  /** Uncertainty in metres (`;u=`). */
  accuracy?: number;
}

/** The message a reply answers. */
export interface ReplyRef {
  /** The wire id the reply names (origin-id / message id in 1:1, the room's stanza-id in groups). */
  ref: string;
  /**
   * Local id of the answered message, set when the reply is stored and the original is
   * already there. An original that arrives later does not update it: resolve `ref`
   * then (`messagesByRef` in store/changes.ts).
   */
  id?: string;
  /** User id of the answered message's author, when known. */
  to?: string;
  /** A short plain-text excerpt of the answered message (from the fallback quote or the store). */
  excerpt?: string;
}

/** Payload of a registered custom type: JSON-like data the type's own parser produced. */
export interface CustomPayload {
  type: string;
  data: CustomData;
}

export type CustomData = string | number | boolean | null | CustomData[] | { [key: string]: CustomData };

/** XEP-0085: someone is typing in a conversation now. Short-lived; the UI ignores stale rows. */
export interface TypingRecord {
  /** `conversationId + ' ' + userId`. */
  key: string;
  conversationId: string;
  userId: string;
  /** When it was last reported (ms). */
  at: number;
}

/**
 * A change to an already-sent message waiting to go out (outbox for edits, recalls and
 * reactions): applied to the store at once, sent when online, in `seq` order.
 */
export interface OpRecord {
  id: string;
  seq: number;
  conversationId: string;
  /** Local id of the message changed. */
  messageId: string;
  op: 'correct' | 'retract' | 'react';
  /** `correct`: the new text. */
  body?: string;
  /** `react`: the user's full set of emojis on that message (empty removes them all). */
  emojis?: string[];
  attempts?: number;
}

/**
 * A change that arrived before the message it refers to (history paged backwards, or
 * a peer's archive order): kept until that message is stored, then applied.
 */
export interface OrphanRecord {
  key?: number;
  conversationId: string;
  /** The wire id it refers to. */
  ref: string;
  /** User id of who sent the change (only the original's author may correct or recall it). */
  from: string;
  at: number;
  change: MessageChange;
}

/** What a correction, recall or reaction does to the message it refers to. */
export type MessageChange =
  | { kind: 'correct'; body: string }
  | { kind: 'retract' }
  | { kind: 'react'; emojis: string[] };

/** The bytes of an own attachment waiting to be uploaded (kept so a reload does not lose it). */
export interface OutboxFileRecord {
  /** The message's id. */
  id: string;
  blob: Blob;
}

/** Group events a system line can record. */
export type SystemEventKind = 'created' | 'invited' | 'joined' | 'left' | 'kicked' | 'renamed' | 'subject';

export interface SystemEvent {
  event: SystemEventKind;
  /** User id of who did it, when known (a kick's remover, an invite's sender, a rename's author). */
  actor?: string;
  /** User id it happened to (`invited`, `joined`, `left`, `kicked`). */
  target?: string;
  /** The new group name (`created`, `renamed`). Plain text: render it as text. */
  name?: string;
  /** The new subject (`subject`). Plain text: render it as text. */
  subject?: string;
}

/**
 * A mention of a user: code points `begin` (inclusive) to `end` (exclusive) of the body
 * are the mention text (`[...body].slice(begin, end).join('')`); `uri` is `xmpp:` and their bare JID.
 */
export interface Mention {
  begin: number;
  end: number;
  uri: string;
}

export interface MessagePreview {
  id: string;
  from: string;
  own: boolean;
  body: string;
  state: MessageState;
  /** `system` previews render from `system`, not `body`. */
  kind?: MessageKind;
  system?: SystemEvent;
  /** Previews of files, images, voice, locations and custom types say what they are. */
  attachment?: Pick<Attachment, 'name' | 'mime' | 'voice' | 'duration'>;
  location?: boolean;
  retracted?: boolean;
  custom?: CustomPayload;
}

export interface ConversationRecord {
  /** The peer's or the room's bare JID. */
  id: string;
  type: ConversationType;
  name?: string;
  /** Time of the newest message (or creation), for ordering the list. */
  lastAt: number;
  last?: MessagePreview;
  unread: number;
  /** The archive holds nothing older than what the store has (XEP-0313 paging reached the start). */
  historyComplete?: boolean;
  /** 1 when pinned to the top of the list (a number so it can lead an index). */
  pin: 0 | 1;
  /** Muted: no unread badge count (a dot instead), no notification. */
  muted?: boolean;
  /** Hidden from the list until a new message arrives. */
  hidden?: boolean;
  /** Unsent composer text, kept across reloads. */
  draft?: string;
  /** Someone mentioned the user since they last read it. */
  mentioned?: boolean;
  /** Group only: the user is no longer a member (left or removed). */
  left?: boolean;
  /** Group only: the room's subject. */
  subject?: string;
  /** Group only: why `left` is set: the user left, was removed, or the group was destroyed. */
  leftReason?: LeftReason;
  /**
   * Group only: an invitation from someone who is not a contact, waiting for the user
   * (`kit.acceptInvite` / `kit.declineInvite`); the group is not joined until accepted.
   */
  invitePending?: boolean;
  /** Group only: user id of whoever invited the user. */
  invitedBy?: string;
  /** Group only: when the invitation arrived (ms); messages after it count as unread. */
  invitedAt?: number;
  /** Group only: when this device first joined the room (ms). */
  joinedAt?: number;
}

export type LeftReason = 'left' | 'kicked' | 'destroyed';

/** A group member's standing (XEP-0045 affiliation). */
export type Affiliation = 'owner' | 'admin' | 'member';

/** What a member may do in the room now (XEP-0045 role; absent while they are not in it). */
export type Role = 'moderator' | 'participant' | 'visitor';

/** One member of a group (`roomMembers(db, roomId)`). */
export interface MemberRecord {
  roomId: string;
  /** User id (see `toUserId`). */
  userId: string;
  jid: string;
  affiliation: Affiliation;
  /** Present while the member is in the room. */
  role?: Role;
  /** In the room now (from MUC presence). */
  online: boolean;
  /** Their nickname in the room. */
  nick?: string;
}

export type Subscription = 'none' | 'to' | 'from' | 'both';

export interface ContactRecord {
  /** User id (see `toUserId`). */
  id: string;
  jid: string;
  name?: string;
  subscription: Subscription;
  /** Outgoing request awaiting the contact's answer. */
  ask?: boolean;
  groups: string[];
}

export interface ProfileRecord {
  id: string;
  /** Absent when the hook failed or did not know the id: the UI then shows the id. */
  name?: string;
  avatarUrl?: string;
  /**
   * An avatar sent as bytes (a vCard PHOTO): raster types only, shown through a
   * blob: URL made at display time (a stored blob: URL would die with the page).
   */
  photo?: AvatarPhoto;
  extra?: Record<string, unknown>;
  fetchedAt: number;
}

export interface AvatarPhoto {
  /** `image/png`, `image/jpeg`, `image/gif`, `image/webp`, `image/avif` or `image/bmp`. */
  type: string;
  bytes: Uint8Array;
  /** Content hash (hex): a stable cache key for the display URL. */
  hash: string;
}

export type PresenceShow = 'online' | 'away' | 'dnd' | 'xa' | 'offline';

export interface PresenceRecord {
  id: string;
  show: PresenceShow;
  status?: string;
  updatedAt: number;
  /** When the user was last online (ms), if known: seen going offline, or XEP-0012. */
  lastSeen?: number;
}

/** An incoming subscription ("friend") request waiting for the user's answer. */
export interface RequestRecord {
  /** The requester's user id. */
  id: string;
  jid: string;
  /** When it arrived (ms). */
  at: number;
  /** The nickname the requester offered (XEP-0172). */
  nick?: string;
  /** The text sent with the request. */
  message?: string;
}

/** A user (or a whole domain) on the XEP-0191 block list. */
export interface BlockedRecord {
  /** User id; a bare domain for a domain-wide block. */
  id: string;
  jid: string;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}
