import { xml, type Element } from '@xmpp/client';
import type { GroupInvite } from '../store/messages.js';
import { bareJid, isValidBareJid } from './jid.js';
import { MUC_NS } from './muc-ns.js';
import { NS } from './ns.js';

const MAX_REASON_CHARS = 1024;

/**
 * A group invitation in a 1:1 message: XEP-0045 mediated (from the room, naming the
 * inviter) or XEP-0249 direct (from the inviter, naming the room). Null when it is
 * not one or is malformed.
 */
export function parseInvite(stanza: Element): GroupInvite | null {
  const from = stanza.attrs.from;
  if (!from) return null;
  const mediated = stanza.getChild('x', MUC_NS.user)?.getChild('invite');
  if (mediated) {
    // A room relays it from its bare JID; a user's message always carries a resource
    // (the server stamps it), so one claiming "bob invited you" from a full JID is forged.
    if (from.includes('/')) return null;
    const room = bareJid(from);
    const inviter = mediated.attrs.from ? bareJid(mediated.attrs.from) : '';
    if (!isValidBareJid(room) || !isValidBareJid(inviter)) return null;
    const reason = mediated.getChildText('reason')?.slice(0, MAX_REASON_CHARS);
    return reason ? { room, inviter, reason } : { room, inviter };
  }
  const direct = stanza.getChild('x', MUC_NS.conference);
  if (direct?.attrs.jid) {
    const room = bareJid(direct.attrs.jid);
    const inviter = bareJid(from);
    if (!isValidBareJid(room) || !isValidBareJid(inviter) || room === inviter) return null;
    const reason = direct.attrs.reason?.slice(0, MAX_REASON_CHARS);
    return reason ? { room, inviter, reason } : { room, inviter };
  }
  return null;
}

/** XEP-0249 direct invitation (archived by the server, so an offline invitee gets it too). */
export function buildDirectInvite(to: string, room: string, id: string): Element {
  return xml('message', { to, id }, xml('x', { xmlns: MUC_NS.conference, jid: room }), xml('origin-id', { xmlns: NS.sid, id }));
}

