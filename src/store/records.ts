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
}

export interface MessagePreview {
  id: string;
  from: string;
  own: boolean;
  body: string;
  state: MessageState;
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
  extra?: Record<string, unknown>;
  fetchedAt: number;
}

export type PresenceShow = 'online' | 'away' | 'dnd' | 'xa' | 'offline';

export interface PresenceRecord {
  id: string;
  show: PresenceShow;
  status?: string;
  updatedAt: number;
}

export interface MetaRecord {
  key: string;
  value: unknown;
}
