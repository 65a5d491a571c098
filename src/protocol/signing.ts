import { userIdToJid } from './jid.js';

/**
 * What an app server signs for a group action (no dependencies: servers import this).
 * HMAC-SHA256 with the secret shared with the XMPP server, as lower-case hex, over the
 * text below is the signature (scripts/prosody/mod_ck_signature.lua checks it).
 */
export type SignedActionName = 'start' | 'invite' | 'kick';

export interface SignatureStatement {
  action: SignedActionName;
  /** The acting user's bare JID. */
  actor: string;
  /** The room's bare JID. */
  room: string;
  /** Bare JIDs of the members the action adds or removes (not the actor). */
  members: readonly string[];
  /** Milliseconds since the epoch. */
  timestamp: number;
  nonce: string;
}

/**
 * The exact text that is signed: HMAC-SHA256 over it with the shared secret, as
 * lower-case hex, is the signature. Fields are separated by "\n" and members (sorted
 * by code unit, joined by " ") cannot contain either character.
 */
export function signaturePayload(s: SignatureStatement): string {
  const members = [...new Set(s.members)].sort();
  return [s.action, s.actor, s.room, members.join(' '), String(Math.trunc(s.timestamp)), s.nonce].join('\n');
}

/**
 * The same text from what an app server receives: the kit's signature request (user
 * ids) plus the timestamp and nonce it chose. `domain` is the app's XMPP domain.
 */
export function signaturePayloadFor(
  request: { action: SignedActionName; clientId: string; conversationId?: string; memberIds?: readonly string[] },
  signed: { timestamp: number; nonce: string },
  domain: string,
): string {
  return signaturePayload({
    action: request.action,
    actor: userIdToJid(request.clientId, domain),
    room: (request.conversationId ?? '').toLowerCase(),
    members: (request.memberIds ?? []).map((id) => userIdToJid(id, domain)),
    timestamp: signed.timestamp,
    nonce: signed.nonce,
  });
}

