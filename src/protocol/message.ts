import { xml, type Element } from '@xmpp/client';
import type { IncomingMessage } from '../store/messages.js';
import { bareJid, isValidBareJid, toUserId } from './jid.js';
import { NS } from './ns.js';

/** Who "we" are, for telling own messages from others' and checking senders. */
export interface Self {
  /** Own bare JID. */
  jid: string;
  /** The app's domain (for user ids). */
  domain: string;
}

/** What one inbound <message/> means to the store. */
export type ParsedMessage =
  | { kind: 'message'; message: IncomingMessage }
  | { kind: 'error'; id: string; reason: string };

/** Bodies beyond this are cut at the protocol edge: no stanza may grow the store without bound. */
export const MAX_BODY_CHARS = 64 * 1024;

/**
 * Turns an inbound 1:1 message stanza (live, carbon or from offline storage) into a
 * record, or null when it carries nothing to show or is not to be believed.
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
    return parseChat(inner, self, carbon.name === 'sent', now);
  }
  return parseChat(stanza, self, false, now);
}

function parseChat(stanza: Element, self: Self, sentByUs: boolean, now: number): ParsedMessage | null {
  const type = stanza.attrs.type ?? 'normal';
  if (type !== 'chat' && type !== 'normal') return null;
  const body = stanza.getChildText('body');
  if (body === null || body.trim() === '') return null;

  const own = sentByUs;
  const peerJid = own ? stanza.attrs.to : stanza.attrs.from;
  if (!peerJid) return null;
  const peer = bareJid(peerJid);
  if (!isValidBareJid(peer) || peer === self.jid) return null;

  const originId = stanza.getChild('origin-id', NS.sid)?.attrs.id;
  // Only an id stamped by our own archive can be trusted for deduplication.
  const stanzaId = stanza.getChildren('stanza-id', NS.sid).find((el) => el.attrs.by && bareJid(el.attrs.by) === self.jid)?.attrs.id;

  const message: IncomingMessage = {
    id: own && originId ? originId : crypto.randomUUID(),
    conversationId: peer,
    conversationType: 'chat',
    from: own ? toUserId(self.jid, self.domain) : toUserId(peer, self.domain),
    own,
    body: body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body,
    ts: delayStamp(stanza, now) ?? now,
    state: own ? 'sent' : 'received',
  };
  if (originId) message.originId = originId;
  if (stanzaId) message.stanzaId = stanzaId;
  return { kind: 'message', message };
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

export interface OutgoingChat {
  to: string;
  id: string;
  body: string;
}

/** A 1:1 message; its id doubles as origin-id so every copy can be matched to it. */
export function buildChatMessage({ to, id, body }: OutgoingChat): Element {
  return xml(
    'message',
    { to, type: 'chat', id },
    xml('body', {}, body),
    xml('origin-id', { xmlns: NS.sid, id }),
    xml('request', { xmlns: NS.receipts }),
    xml('markable', { xmlns: NS.markers }),
  );
}
