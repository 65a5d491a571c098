/**
 * JID helpers and the id rule: a user id is the JID's local part for users of the
 * app's domain and the bare JID for anyone else; a conversation id is the peer's
 * or the room's bare JID.
 */

/** Bare JID in canonical case (local part and domain are case-insensitive). */
export function bareJid(jid: string): string {
  const slash = jid.indexOf('/');
  return (slash === -1 ? jid : jid.slice(0, slash)).toLowerCase();
}

export function resourceOf(jid: string): string {
  const slash = jid.indexOf('/');
  return slash === -1 ? '' : jid.slice(slash + 1);
}

export function localPart(jid: string): string {
  const bare = bareJid(jid);
  const at = bare.indexOf('@');
  return at === -1 ? '' : bare.slice(0, at);
}

export function domainPart(jid: string): string {
  const bare = bareJid(jid);
  return bare.slice(bare.indexOf('@') + 1);
}

export function toUserId(jid: string, domain: string): string {
  const bare = bareJid(jid);
  return domainPart(bare) === domain.toLowerCase() && bare.includes('@') ? localPart(bare) : bare;
}

export function userIdToJid(userId: string, domain: string): string {
  return userId.includes('@') ? bareJid(userId) : `${userId.toLowerCase()}@${domain.toLowerCase()}`;
}

// Characters RFC 7622 forbids in a local part, plus whitespace and controls.
const BAD_LOCAL = /[\s"&'/:<>@\u0000-\u001f\u007f]/u;
const BAD_DOMAIN = /[\s"&'/:<>@\\\u0000-\u001f\u007f]/u;

/** A plausible bare JID `local@domain` (or domain alone when `allowDomain`). */
export function isValidBareJid(jid: string, allowDomain = false): boolean {
  if (jid.length === 0 || jid.length > 3071 || jid.includes('/')) return false;
  const at = jid.indexOf('@');
  if (at === -1) return allowDomain && !BAD_DOMAIN.test(jid);
  const local = jid.slice(0, at);
  const domain = jid.slice(at + 1);
  return local.length > 0 && local.length <= 1023 && !BAD_LOCAL.test(local) && domain.length > 0 && !BAD_DOMAIN.test(domain);
}
