import { xml, type Element } from '@xmpp/client';
import type { Attachment, CustomPayload, GeoLocation, Mention, MessageRecord } from '../store/records.js';
import { userIdToJid } from './jid.js';
import { MUC_NS } from './muc-ns.js';
import { NS } from './ns.js';
import { fromPayloadElement, type PayloadElement } from './payload.js';

/**
 * Stanza builders for what the kit sends: a pending message record (1:1 or group, with
 * its reply, attachment, location or custom payload), the changes to earlier messages
 * (XEP-0308 correction, XEP-0424 retraction, XEP-0444 reactions) and XEP-0085 chat
 * states. The wire formats are those of docs/rich-messages.md.
 */

export const RICH_NS = {
  oob: 'jabber:x:oob',
  fileMetadata: 'urn:xmpp:file:metadata:0',
  voice: 'urn:xmpp-chatkit:0',
  correct: 'urn:xmpp:message-correct:0',
  retract: 'urn:xmpp:message-retract:1',
  reactions: 'urn:xmpp:reactions:0',
  reply: 'urn:xmpp:reply:0',
  fallback: 'urn:xmpp:fallback:0',
} as const;

/** What other clients show for a retraction they do not understand (XEP-0424's suggested text). */
export const RETRACT_FALLBACK = "This person attempted to retract a previous message, but it's unsupported by your client.";

/** Turns a registered custom type's data into its wire element (the kit's type registry). */
export type CustomSerializer = (custom: CustomPayload) => PayloadElement | undefined;

export type ChatState = 'active' | 'composing' | 'paused' | 'inactive' | 'gone';

/** Where a stanza goes: a peer (`chat`) or a room (`groupchat`). */
export interface Destination {
  to: string;
  type: 'chat' | 'groupchat';
}

/** Extra knowledge the record alone does not carry. */
export interface BuildContext {
  /** The app's domain: a reply's `to` user id becomes a JID with it. */
  domain: string;
  serialize?: CustomSerializer;
}

/** RFC 5870 `geo:` URI of a location (decimal degrees, accuracy in metres as `u`). */
export function geoUri(location: GeoLocation): string {
  const n = (v: number, digits: number): string => String(Number(v.toFixed(digits)));
  const u = location.accuracy !== undefined ? `;u=${n(location.accuracy, 1)}` : '';
  return `geo:${n(location.lat, 7)},${n(location.lon, 7)}${u}`;
}

/** `> `-quoted lines of a reply's excerpt, ending in a newline: the XEP-0428 fallback before the answer. */
export function replyQuote(excerpt: string): string {
  return `${excerpt.split('\n').map((line) => `> ${line}`).join('\n')}\n`;
}

const codePoints = (s: string): number => [...s].length;

/** A pending 1:1 message; its id doubles as origin-id so every copy of it can be matched. */
export function buildChatStanza(m: MessageRecord, ctx: BuildContext): Element {
  const stanza = messageStanza(m, { to: m.conversationId, type: 'chat' }, ctx);
  stanza.append(xml('request', { xmlns: NS.receipts }));
  stanza.append(xml('markable', { xmlns: NS.markers }));
  return stanza;
}

/**
 * A pending group message to `room`. A reply names the room's stanza-id of its target:
 * `replyRef` is that id, resolved when the message goes out (our own target gets it with
 * the room's echo); without one the reply element is left out.
 */
export function buildGroupStanza(m: MessageRecord, room: string, ctx: BuildContext, replyRef?: string): Element {
  return messageStanza(m, { to: room, type: 'groupchat' }, ctx, replyRef);
}

function messageStanza(m: MessageRecord, dest: Destination, ctx: BuildContext, groupReplyRef?: string): Element {
  const children: Element[] = [];
  let body = m.body;
  let mentions: readonly Mention[] = dest.type === 'groupchat' ? (m.mentions ?? []) : [];
  const custom = m.custom && ctx.serialize ? ctx.serialize(m.custom) : undefined;

  if (m.attachment) {
    // The body is the URL alone so clients that only know XEP-0066 (or nothing) inline it.
    body = m.attachment.url;
    children.push(xml('x', { xmlns: RICH_NS.oob }, xml('url', {}, m.attachment.url)));
    children.push(fileMetadata(m.attachment, m.body && m.body !== m.attachment.url ? m.body : undefined));
    if (m.attachment.voice) children.push(xml('voice', { xmlns: RICH_NS.voice }));
  } else if (m.location) {
    body = geoUri(m.location);
  }
  if (custom) children.push(fromPayloadElement(custom));

  const ref = dest.type === 'groupchat' ? groupReplyRef : m.reply?.ref;
  if (m.reply && ref) {
    const attrs: Record<string, string> = { xmlns: RICH_NS.reply, id: ref };
    // XEP-0461's `to` is the author's JID in 1:1; in a room it would be an occupant JID we may not know.
    if (dest.type === 'chat' && m.reply.to) attrs.to = userIdToJid(m.reply.to, ctx.domain);
    children.push(xml('reply', attrs));
    // The quote is for clients without XEP-0461; a file's or a location's body must stay the bare URL/URI.
    if (m.reply.excerpt && !m.attachment && !m.location) {
      const quote = replyQuote(m.reply.excerpt);
      const end = codePoints(quote);
      body = quote + body;
      // Mentions count code points of the body on the wire, quote included.
      mentions = mentions.map((x) => ({ ...x, begin: x.begin + end, end: x.end + end }));
      children.push(xml('fallback', { xmlns: RICH_NS.fallback, for: RICH_NS.reply }, xml('body', { start: '0', end: String(end) })));
    }
  }

  const stanza = xml('message', { to: dest.to, type: dest.type, id: m.id }, xml('body', {}, body), ...children);
  stanza.append(xml('origin-id', { xmlns: NS.sid, id: m.id }));
  for (const x of mentions) {
    stanza.append(xml('reference', { xmlns: MUC_NS.reference, type: 'mention', begin: String(x.begin), end: String(x.end), uri: x.uri }));
  }
  // A sent message ends "composing" (XEP-0085: active goes with each message).
  stanza.append(xml('active', { xmlns: NS.chatStates }));
  return stanza;
}

/** XEP-0446 metadata (a caption, when there is one, as its `desc`). */
function fileMetadata(a: Attachment, caption: string | undefined): Element {
  const file = xml('file', { xmlns: RICH_NS.fileMetadata });
  const add = (name: string, value: string | number | undefined): void => {
    if (value !== undefined && value !== '') file.append(xml(name, {}, String(value)));
  };
  add('media-type', a.mime);
  add('name', a.name);
  add('size', a.size);
  add('width', a.width);
  add('height', a.height);
  add('length', a.duration);
  add('desc', caption);
  return file;
}

/** XEP-0308: `ref` (the original's wire id) now reads `body`. */
export function buildCorrection(dest: Destination, id: string, ref: string, body: string): Element {
  return xml(
    'message',
    { to: dest.to, type: dest.type, id },
    xml('body', {}, body),
    xml('replace', { xmlns: RICH_NS.correct, id: ref }),
    xml('origin-id', { xmlns: NS.sid, id }),
  );
}

/** XEP-0424: the sender recalls `ref`; archived (store hint) so a reload sees it too. */
export function buildRetraction(dest: Destination, id: string, ref: string): Element {
  return xml(
    'message',
    { to: dest.to, type: dest.type, id },
    xml('retract', { xmlns: RICH_NS.retract, id: ref }),
    xml('fallback', { xmlns: RICH_NS.fallback, for: RICH_NS.retract }),
    xml('body', {}, RETRACT_FALLBACK),
    xml('origin-id', { xmlns: NS.sid, id }),
    xml('store', { xmlns: NS.hints }),
  );
}

/** XEP-0444: the sender's whole set of reactions to `ref` (empty removes them all). */
export function buildReactions(dest: Destination, id: string, ref: string, emojis: readonly string[]): Element {
  return xml(
    'message',
    { to: dest.to, type: dest.type, id },
    xml('reactions', { xmlns: RICH_NS.reactions, id: ref }, ...emojis.map((e) => xml('reaction', {}, e))),
    xml('origin-id', { xmlns: NS.sid, id }),
    xml('store', { xmlns: NS.hints }),
  );
}

/** XEP-0085 chat state; never archived. */
export function buildChatState(dest: Destination, state: ChatState): Element {
  return xml(
    'message',
    { to: dest.to, type: dest.type, id: crypto.randomUUID() },
    xml(state, { xmlns: NS.chatStates }),
    xml('no-store', { xmlns: NS.hints }),
  );
}
