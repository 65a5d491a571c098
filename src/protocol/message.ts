import { xml, type Element } from '@xmpp/client';
import type { GroupInvite, IncomingMessage } from '../store/messages.js';
import { bareJid, isValidBareJid, toUserId } from './jid.js';
import { NS } from './ns.js';
import { parseInvite } from './invite.js';
import { MUC_NS } from './muc-ns.js';
import type { CustomRecogniser } from './payload.js';
import { parseRichMessage } from './rich.js';

/** Who "we" are, for telling own messages from others' and checking senders. */
export interface Self {
  /** Own bare JID. */
  jid: string;
  /** The app's domain (for user ids). */
  domain: string;
  /** Recognises the integrator's registered custom message types among a message's elements. */
  recognise?: CustomRecogniser;
}

/** What one inbound <message/> means to the store. */
export type ParsedMessage =
  | { kind: 'message'; message: IncomingMessage; wantsReceipt: boolean }
  | { kind: 'error'; id: string; reason: string }
  /** XEP-0184: `peer` confirms it received our message `id`. */
  | { kind: 'receipt'; peer: string; id: string }
  /**
   * XEP-0333: `peer` saw our messages up to `id`, or (`byUs`) we saw theirs up to
   * `id` on another device of ours.
   */
  | { kind: 'displayed'; peer: string; id: string; byUs: boolean };

/** Bodies beyond this are cut at the protocol edge: no stanza may grow the store without bound. */
export const MAX_BODY_CHARS = 64 * 1024;
const MAX_ID_CHARS = 256;

/**
 * Turns an inbound 1:1 message stanza (live, carbon or from offline storage) into
 * what it means, or null when it carries nothing to show or is not to be believed.
 */
export function parseMessage(stanza: Element, self: Self, now = Date.now()): ParsedMessage | null {
  if (!stanza.is('message')) return null;
  const type = stanza.attrs.type ?? 'normal';
  const from = stanza.attrs.from;

  if (type === 'error') {
    const id = stanza.attrs.id;
    return id ? { kind: 'error', id, reason: errorText(stanza) } : null;
  }

  const carbon = stanza.getChild('received', NS.carbons) ?? stanza.getChild('sent', NS.carbons);
  if (carbon) {
    // Carbons come only from our own account; anyone else sending one is forging.
    if (!from || bareJid(from) !== self.jid) return null;
    const inner = carbon.getChild('forwarded', NS.forward)?.getChild('message');
    if (!inner || inner.getChild('received', NS.carbons) || inner.getChild('sent', NS.carbons)) return null;
    return parseChat(inner, self, carbon.name === 'sent', now, delayStamp(inner, now) ?? now, true);
  }
  if (stanza.getChild('result', NS.mam)) return null; // archive results belong to the query that asked
  return parseChat(stanza, self, false, now, delayStamp(stanza, now) ?? now, true);
}

/**
 * One forwarded message from our own archive (XEP-0313 result). Direction comes
 * from the addresses: from us is own, anything else is the peer's.
 */
export function parseArchived(forwarded: Element, archiveId: string, self: Self, now = Date.now()): ParsedMessage | null {
  const inner = forwarded.getChild('message');
  if (!inner) return null;
  const ts = delayStamp(forwarded, now) ?? delayStamp(inner, now) ?? now;
  const own = !!inner.attrs.from && bareJid(inner.attrs.from) === self.jid;
  const parsed = parseChat(inner, self, own, now, ts, false);
  if (parsed?.kind === 'message') parsed.message.stanzaId = archiveId;
  return parsed;
}

/** `live`: arriving now (chat states mean something), not read back from an archive. */
function parseChat(stanza: Element, self: Self, sentByUs: boolean, now: number, ts: number, live: boolean): ParsedMessage | null {
  const type = stanza.attrs.type ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return null;

  const peerJid = sentByUs ? stanza.attrs.to : stanza.attrs.from;
  if (!peerJid) return null;
  const peer = bareJid(peerJid);
  if (!isValidBareJid(peer) || peer === self.jid) return null;

  // Group invitations go to the group module (through the store pipeline, so archived
  // ones arrive too); other MUC traffic (private messages, room notices) is not a 1:1 chat.
  const invite = parseInvite(stanza);
  if (invite) return sentByUs ? null : inviteMessage(stanza, invite, self, now, ts);
  if (stanza.getChild('x', MUC_NS.user)) return null;

  const receipt = stanza.getChild('received', NS.receipts)?.attrs.id;
  if (receipt && !sentByUs) return validId(receipt) ? { kind: 'receipt', peer, id: receipt } : null;
  const displayed = stanza.getChild('displayed', NS.markers)?.attrs.id;
  if (displayed) return validId(displayed) ? { kind: 'displayed', peer, id: displayed, byUs: sentByUs } : null;

  const raw = stanza.getChildText('body');
  const rich = parseRichMessage(stanza, raw !== null && raw.length > MAX_BODY_CHARS ? raw.slice(0, MAX_BODY_CHARS) : raw, {
    // Our own chat states (sent from another device) say nothing to us.
    chatStates: live && !sentByUs,
    userOf: (jid) => (isValidBareJid(bareJid(jid)) ? toUserId(jid, self.domain) : undefined),
    recognise: self.recognise,
  });
  if (!rich) return null;

  const originId = stanza.getChild('origin-id', NS.sid)?.attrs.id;
  // Only an id stamped by our own archive can be trusted for deduplication.
  const stanzaId = stanza.getChildren('stanza-id', NS.sid).find((el) => el.attrs.by && bareJid(el.attrs.by) === self.jid)?.attrs.id;
  const remoteId = stanza.attrs.id;

  const message: IncomingMessage = {
    id: sentByUs && originId && validId(originId) ? originId : crypto.randomUUID(),
    conversationId: peer,
    conversationType: 'chat',
    from: sentByUs ? toUserId(self.jid, self.domain) : toUserId(peer, self.domain),
    own: sentByUs,
    body: '',
    ts: Math.min(ts, now),
    state: sentByUs ? 'sent' : 'received',
  };
  if (originId && validId(originId)) message.originId = originId;
  if (stanzaId && validId(stanzaId)) message.stanzaId = stanzaId;
  if (remoteId && validId(remoteId)) message.remoteId = remoteId;
  if (rich.kind !== 'content') {
    // Changes and chat states update other records; nothing here to confirm receipt of.
    if (rich.kind === 'change') message.change = rich.change;
    if (rich.typing !== undefined) message.typing = rich.typing;
    return { kind: 'message', message, wantsReceipt: false };
  }
  const { body, attachment, location, reply, custom } = rich.content;
  message.body = body;
  if (attachment) message.attachment = attachment;
  if (location) message.location = location;
  if (reply) message.reply = reply;
  if (custom) message.custom = custom;
  const wantsReceipt = !sentByUs && !!remoteId && !!stanza.getChild('request', NS.receipts);
  return { kind: 'message', message, wantsReceipt };
}

/**
 * An invitation as a system line of the group it invites to: stored (deduplicated like
 * any message) when the group module accepts it, never as a 1:1 message.
 */
function inviteMessage(stanza: Element, invite: GroupInvite, self: Self, now: number, ts: number): ParsedMessage {
  const originId = stanza.getChild('origin-id', NS.sid)?.attrs.id;
  const stanzaId = stanza.getChildren('stanza-id', NS.sid).find((el) => el.attrs.by && bareJid(el.attrs.by) === self.jid)?.attrs.id;
  const inviter = toUserId(invite.inviter, self.domain);
  const message: IncomingMessage = {
    id: crypto.randomUUID(),
    kind: 'system',
    system: { event: 'invited', actor: inviter, target: toUserId(self.jid, self.domain) },
    conversationId: invite.room,
    conversationType: 'group',
    from: inviter,
    own: false,
    body: `${inviter} invited you`,
    ts: Math.min(ts, now),
    state: 'received',
    invite,
  };
  if (originId && validId(originId)) message.originId = originId;
  if (stanzaId && validId(stanzaId)) message.stanzaId = stanzaId;
  return { kind: 'message', message, wantsReceipt: false };
}

function validId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_CHARS;
}

/** The XEP-0203 delay stamp, never in the future (a peer's clock must not reorder the log). */
export function delayStamp(stanza: Element, now = Date.now()): number | undefined {
  const stamp = stanza.getChild('delay', NS.delay)?.attrs.stamp;
  if (!stamp) return undefined;
  const ms = Date.parse(stamp);
  return Number.isFinite(ms) ? Math.min(ms, now) : undefined;
}

function errorText(stanza: Element): string {
  const error = stanza.getChild('error');
  if (!error) return 'The server could not deliver this message.';
  const text = error.getChildText('text', NS.stanzas);
  const condition = error.getChildElements().find((el) => el.getNS() === NS.stanzas && el.name !== 'text')?.name;
  return (text || condition || 'undeliverable').slice(0, 500);
}


/** XEP-0184 receipt for the peer's message `id`. */
export function buildReceipt(to: string, id: string): Element {
  return xml('message', { to, id: crypto.randomUUID() }, xml('received', { xmlns: NS.receipts, id }), xml('store', { xmlns: NS.hints }));
}

/** XEP-0333 marker: we have seen the peer's messages up to `id`. */
export function buildDisplayed(to: string, id: string): Element {
  return xml('message', { to, type: 'chat', id: crypto.randomUUID() }, xml('displayed', { xmlns: NS.markers, id }), xml('store', { xmlns: NS.hints }));
}

