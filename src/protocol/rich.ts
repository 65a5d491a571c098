import type { Element } from '@xmpp/client';
import type { IncomingMessage } from '../store/messages.js';
import type { Attachment, CustomPayload, GeoLocation, Mention, MessageChange, ReplyRef } from '../store/records.js';
import { NS } from './ns.js';
import { MUC_NS } from './muc-ns.js';
import { toPayloadElement, type CustomRecogniser } from './payload.js';

/**
 * Parse helpers for rich messages (docs/rich-messages.md), shared by the 1:1 and the
 * group parsers. Pure; every value from the wire is checked and capped here.
 */

export const RICH_NS = {
  oob: 'jabber:x:oob',
  fileMeta: 'urn:xmpp:file:metadata:0',
  chatkit: 'urn:xmpp-chatkit:0',
  reply: 'urn:xmpp:reply:0',
  fallback: 'urn:xmpp:fallback:0',
  correct: 'urn:xmpp:message-correct:0',
  retract: 'urn:xmpp:message-retract:1',
  retractOld: 'urn:xmpp:message-retract:0',
  fasten: 'urn:xmpp:fasten:0',
  reactions: 'urn:xmpp:reactions:0',
} as const;

export const MAX_FILE_NAME_CHARS = 255;
export const MAX_IMAGE_SIDE = 20_000;
export const MAX_URL_CHARS = 4096;
export const MAX_EXCERPT_CHARS = 200;
export const MAX_REACTIONS = 20;
export const MAX_REACTION_CHARS = 32;
/** Unknown child elements beyond this: not a custom type anyone registered, just noise. */
export const MAX_CUSTOM_CANDIDATES = 32;
/** A recognised custom payload larger than this (as JSON) is dropped. */
export const MAX_CUSTOM_JSON_CHARS = 64 * 1024;
const MAX_ID_CHARS = 256;
const MAX_CAPTION_CHARS = 64 * 1024;
const MAX_MIME_CHARS = 255;

/** Namespaces whose elements the kit itself understands: never offered to custom types. */
const KNOWN_NS = new Set<string>([
  NS.client,
  NS.sid,
  NS.receipts,
  NS.markers,
  NS.chatStates,
  NS.hints,
  NS.delay,
  NS.carbons,
  NS.forward,
  NS.mam,
  ...Object.values(RICH_NS),
  MUC_NS.user,
  MUC_NS.conference,
  MUC_NS.reference,
  MUC_NS.occupantId,
  'http://jabber.org/protocol/address',
  'http://jabber.org/protocol/xhtml-im',
  'urn:xmpp:eme:0',
  'urn:xmpp:styling:0',
  'urn:xmpp:message-moderate:0',
  'urn:xmpp:mucsub:0',
  'jabber:x:event',
  'urn:xmpp:signature:0',
]);

export function validWireId(id: string | undefined): id is string {
  return typeof id === 'string' && id.length > 0 && id.length <= MAX_ID_CHARS;
}

/** XEP-0085: true for composing, false for paused/active/inactive/gone, undefined without a state. */
export function parseChatState(stanza: Element): boolean | undefined {
  for (const el of stanza.getChildElements()) {
    if (el.getNS() !== NS.chatStates) continue;
    if (el.name === 'composing') return true;
    if (el.name === 'paused' || el.name === 'active' || el.name === 'inactive' || el.name === 'gone') return false;
  }
  return undefined;
}

/**
 * A correction (XEP-0308), recall (XEP-0424, current and the older fastening form) or
 * reaction set (XEP-0444) the stanza carries, with the wire id it names; undefined for
 * anything else or when malformed. `body` is the stanza's (already capped) body.
 */
export function parseChange(stanza: Element, body: string | null): { ref: string; change: MessageChange } | undefined {
  const retract = stanza.getChild('retract', RICH_NS.retract);
  if (retract) return validWireId(retract.attrs.id) ? { ref: retract.attrs.id, change: { kind: 'retract' } } : undefined;
  const applyTo = stanza.getChild('apply-to', RICH_NS.fasten);
  if (applyTo?.getChild('retract', RICH_NS.retractOld)) {
    return validWireId(applyTo.attrs.id) ? { ref: applyTo.attrs.id, change: { kind: 'retract' } } : undefined;
  }
  const replace = stanza.getChild('replace', RICH_NS.correct);
  if (replace) {
    if (!validWireId(replace.attrs.id) || body === null || body.trim() === '') return undefined;
    return { ref: replace.attrs.id, change: { kind: 'correct', body } };
  }
  const reactions = stanza.getChild('reactions', RICH_NS.reactions);
  if (reactions) {
    if (!validWireId(reactions.attrs.id)) return undefined;
    const emojis: string[] = [];
    for (const r of reactions.getChildren('reaction')) {
      const emoji = r.text().trim();
      if (!emoji || emoji.length > MAX_REACTION_CHARS || emojis.includes(emoji)) continue;
      emojis.push(emoji);
      if (emojis.length === MAX_REACTIONS) break;
    }
    return { ref: reactions.attrs.id, change: { kind: 'react', emojis } };
  }
  return undefined;
}

/** True when the stanza carries a correction, recall or reaction element, well-formed or not. */
function hasChangeElement(stanza: Element): boolean {
  return !!(
    stanza.getChild('retract', RICH_NS.retract) ||
    stanza.getChild('apply-to', RICH_NS.fasten)?.getChild('retract', RICH_NS.retractOld) ||
    stanza.getChild('replace', RICH_NS.correct) ||
    stanza.getChild('reactions', RICH_NS.reactions)
  );
}

/** What a message stanza means beyond its addresses and ids. */
export type RichMessage =
  | { kind: 'change'; change: { ref: string; change: MessageChange }; typing?: boolean }
  | { kind: 'typing'; typing: boolean }
  | { kind: 'content'; content: RichContent };

export interface RichOptions {
  /** Read XEP-0085 chat states (live messages from others only). */
  chatStates: boolean;
  /** The reply's `to` JID as a user id, when it can be told. */
  userOf: (jid: string) => string | undefined;
  recognise?: CustomRecogniser;
}

/**
 * Reads a message stanza's body (already capped) and rich elements: a change, a bare
 * chat state, or content worth a message row; null when it is none of them (an empty
 * body with no payload, a malformed change: its fallback body is not a message either).
 */
export function parseRichMessage(stanza: Element, body: string | null, options: RichOptions): RichMessage | null {
  const typing = options.chatStates ? parseChatState(stanza) : undefined;
  if (hasChangeElement(stanza)) {
    const change = parseChange(stanza, body);
    if (!change) return null;
    return typing === undefined ? { kind: 'change', change } : { kind: 'change', change, typing };
  }
  const attachmentOnly = body === null ? parseAttachment(stanza) : undefined;
  if (body === null && !attachmentOnly) return typing === undefined ? null : { kind: 'typing', typing };
  // A bare XEP-0066 message (no body) reads as its URL, as clients without it would show.
  const content = parseRichContent(stanza, body ?? attachmentOnly!.url, options.userOf, options.recognise);
  if (content.body.trim() === '' && !hasPayload(content)) return typing === undefined ? null : { kind: 'typing', typing };
  return { kind: 'content', content };
}

/** What a message's content amounts to once the rich elements are read. */
export interface RichContent {
  /** The body to store: the fallback quote of a reply removed. */
  body: string;
  attachment?: Attachment;
  location?: GeoLocation;
  reply?: ReplyRef;
  custom?: CustomPayload;
  /** Code points removed from the original body at `start` (for shifting mention offsets). */
  cut?: { start: number; end: number };
}

/**
 * Reads attachment, reply, location and custom payload from a message stanza.
 * `userOf` turns the reply's `to` JID into a user id (undefined when unknown).
 */
export function parseRichContent(
  stanza: Element,
  body: string,
  userOf: (jid: string) => string | undefined,
  recognise?: CustomRecogniser,
): RichContent {
  const out: RichContent = { body };
  const attachment = parseAttachment(stanza);
  if (attachment) {
    out.attachment = attachment;
    // A caption travels as the metadata's description (the body is the bare URL for other clients).
    const caption = stanza.getChild('file', RICH_NS.fileMeta)?.getChildText('desc')?.trim();
    if (caption && body.trim() === attachment.url) out.body = caption.slice(0, MAX_CAPTION_CHARS);
  }

  const replyEl = stanza.getChild('reply', RICH_NS.reply);
  if (replyEl && validWireId(replyEl.attrs.id)) {
    const reply: ReplyRef = { ref: replyEl.attrs.id };
    const to = replyEl.attrs.to ? userOf(replyEl.attrs.to) : undefined;
    if (to) reply.to = to;
    const cut = fallbackRange(stanza, body);
    if (cut) {
      const points = [...body];
      const excerpt = unquote(points.slice(cut.start, cut.end).join(''));
      if (excerpt) reply.excerpt = [...excerpt].slice(0, MAX_EXCERPT_CHARS).join('');
      let rest = points.slice(0, cut.start).join('') + points.slice(cut.end).join('');
      // Senders differ on whether the quote's line break is inside the range.
      if (cut.start === 0 && rest.startsWith('\n')) {
        rest = rest.slice(1);
        cut.end += 1;
      }
      out.body = rest;
      out.cut = cut;
    }
    out.reply = reply;
  }

  const location = parseGeoUri(out.body);
  if (location) out.location = location;

  if (recognise) {
    const custom = recogniseCustom(stanza, recognise);
    if (custom) out.custom = custom;
  }
  return out;
}

/** True when the content is worth a message row even with an empty body. */
export function hasPayload(c: Pick<IncomingMessage, 'attachment' | 'location' | 'custom'>): boolean {
  return !!(c.attachment || c.location || c.custom);
}

/** Mentions moved to the body after a fallback cut; those inside the cut are dropped. */
export function shiftMentions(mentions: Mention[], cut: RichContent['cut']): Mention[] {
  if (!cut) return mentions;
  const removed = cut.end - cut.start;
  return mentions.flatMap((m) => {
    if (m.end <= cut.start) return [m];
    if (m.begin >= cut.end) return [{ ...m, begin: m.begin - removed, end: m.end - removed }];
    return [];
  });
}

/** The XEP-0428 range of the reply quote, in code points, when it is valid for `body`. */
function fallbackRange(stanza: Element, body: string): { start: number; end: number } | undefined {
  const fallback = stanza.getChildren('fallback', RICH_NS.fallback).find((f) => f.attrs.for === RICH_NS.reply);
  const range = fallback?.getChild('body');
  if (!range) return undefined;
  const start = strictInt(range.attrs.start);
  const end = strictInt(range.attrs.end);
  const length = [...body].length;
  if (start === undefined || end === undefined || start < 0 || end <= start || end > length) return undefined;
  return { start, end };
}

/** The quoted text without its "> " line prefixes. */
function unquote(quote: string): string {
  return quote
    .split('\n')
    .map((line) => line.replace(/^>\s?/, ''))
    .join('\n')
    .trim();
}

function strictInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}

/** XEP-0066 URL (http/https only) with XEP-0446 metadata and the kit's voice mark. */
export function parseAttachment(stanza: Element): Attachment | undefined {
  const url = stanza.getChild('x', RICH_NS.oob)?.getChildText('url')?.trim();
  if (!url || url.length > MAX_URL_CHARS) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return undefined;

  const meta = stanza.getChild('file', RICH_NS.fileMeta);
  const name = cleanName(meta?.getChildText('name') ?? '') || cleanName(lastSegment(parsed)) || 'file';
  const declared = (meta?.getChildText('media-type') ?? '').trim().toLowerCase();
  const mime = /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(declared) && declared.length <= MAX_MIME_CHARS ? declared : guessMime(name);
  const attachment: Attachment = { url, name, size: count(meta?.getChildText('size')) ?? 0, mime };
  const width = count(meta?.getChildText('width'));
  const height = count(meta?.getChildText('height'));
  if (width !== undefined && width > 0 && width <= MAX_IMAGE_SIDE) attachment.width = width;
  if (height !== undefined && height > 0 && height <= MAX_IMAGE_SIDE) attachment.height = height;
  const duration = count(meta?.getChildText('length'));
  if (duration !== undefined) attachment.duration = duration;
  if (stanza.getChild('voice', RICH_NS.chatkit) || meta?.getChild('voice', RICH_NS.chatkit)) attachment.voice = true;
  return attachment;
}

/** A finite, non-negative whole number from element text, else undefined. */
function count(text: string | null | undefined): number | undefined {
  const t = text?.trim();
  if (!t || !/^\d{1,16}$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

function cleanName(name: string): string {
  // No control characters or path separators in a name shown (and perhaps saved) as a file name.
  const clean = name.replace(/[\u0000-\u001f\u007f/\\]/g, '').trim();
  return [...clean].slice(0, MAX_FILE_NAME_CHARS).join('').slice(0, MAX_FILE_NAME_CHARS * 2);
}

function lastSegment(url: URL): string {
  const segment = url.pathname.split('/').filter(Boolean).pop() ?? '';
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MIME_BY_EXT: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  oga: 'audio/ogg',
  wav: 'audio/wav',
  aac: 'audio/aac',
  webm: 'video/webm',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  pdf: 'application/pdf',
};

/** Clients that send only a URL (no metadata) still get images shown as images. */
function guessMime(name: string): string {
  const dot = name.lastIndexOf('.');
  return (dot >= 0 && MIME_BY_EXT[name.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}

const GEO = /^geo:(-?\d{1,3}(?:\.\d{1,15})?),(-?\d{1,3}(?:\.\d{1,15})?)(?:,(-?\d{1,6}(?:\.\d{1,15})?))?((?:;[a-z0-9-]+(?:=[^;\s]{0,64})?){0,8})$/i;

/** RFC 5870 `geo:lat,lon[,alt][;u=acc][;...]` as the whole body; undefined otherwise. */
export function parseGeoUri(body: string): GeoLocation | undefined {
  const match = GEO.exec(body.trim());
  if (!match) return undefined;
  const lat = Number(match[1]);
  const lon = Number(match[2]);
  if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) return undefined;
  const location: GeoLocation = { lat, lon };
  for (const param of (match[4] ?? '').split(';').slice(1)) {
    const [key, value = ''] = param.split('=');
    const name = key!.toLowerCase();
    // Only WGS-84 coordinates are what they say they are.
    if (name === 'crs' && value.toLowerCase() !== 'wgs84') return undefined;
    if (name === 'u') {
      const u = /^\d{1,9}(?:\.\d{1,6})?$/.test(value) ? Number(value) : NaN;
      if (Number.isFinite(u) && u >= 0) location.accuracy = u;
    }
  }
  return location;
}

/** Offers the message's unknown child elements to the registered custom types. */
function recogniseCustom(stanza: Element, recognise: CustomRecogniser): CustomPayload | undefined {
  const candidates = stanza.getChildElements().filter((el) => {
    const ns = el.getNS();
    return !!ns && !KNOWN_NS.has(ns);
  });
  if (candidates.length === 0 || candidates.length > MAX_CUSTOM_CANDIDATES) return undefined;
  let custom: CustomPayload | undefined;
  try {
    custom = recognise(candidates.map((el) => toPayloadElement(el)));
  } catch {
    return undefined; // an integrator's parser failing on hostile input recognises nothing
  }
  if (!custom || typeof custom.type !== 'string' || custom.data === undefined) return undefined;
  try {
    const json = JSON.stringify(custom.data);
    if (json === undefined || json.length > MAX_CUSTOM_JSON_CHARS) return undefined;
  } catch {
    return undefined;
  }
  return { type: custom.type, data: custom.data };
}

/**
 * The integrator's `filterIncoming` on new messages (changes, chat states, invitations
 * and system lines pass): false drops the message; a hook that throws keeps it.
 */
export async function applyIncomingFilter(
  messages: IncomingMessage[],
  filter: ((m: IncomingMessage) => boolean | Promise<boolean>) | undefined,
): Promise<IncomingMessage[]> {
  if (!filter) return messages;
  const keep = await Promise.all(
    messages.map(async (m) => {
      if (m.change || m.typing !== undefined || m.invite || m.kind === 'system') return true;
      try {
        return (await filter(m)) !== false;
      } catch {
        return true;
      }
    }),
  );
  return messages.filter((_, i) => keep[i]);
}
