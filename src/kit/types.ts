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

export interface SendOptions {
  /** Group messages only: XEP-0372 mentions (the mentioned users' conversations get `mentioned`). */
  mentions?: MentionInput[];
}
