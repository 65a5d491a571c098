import type { Element } from '@xmpp/client';
import type { IncomingMessage } from '../store/messages.js';
import type { Affiliation, Mention, Role } from '../store/records.js';
import { bareJid, isValidBareJid, resourceOf, toUserId } from './jid.js';
import { delayStamp, MAX_BODY_CHARS, type Self } from './message.js';
import { NS } from './ns.js';
import { MUC_NS } from './muc-ns.js';
import { parseRichMessage, shiftMentions } from './rich.js';

export { MUC_NS };

/** Stanza parsing and building for group chats (XEP-0045, with XEP-0372 mentions and XEP-0421 occupant ids). Pure functions. */

export const MAX_NAME_CHARS = 256;
export const MAX_SUBJECT_CHARS = 1024;
export const MAX_MENTIONS = 50;
const MAX_ID_CHARS = 256;

const AFFILIATIONS = new Set(['owner', 'admin', 'member', 'none', 'outcast']);
const ROLES = new Set(['moderator', 'participant', 'visitor', 'none']);

/** What this client knows about the room a stanza claims to come from. */
export interface RoomContext {
  /** The room's bare JID. */
  room: string;
  self: Self;
  /** Our own XEP-0421 occupant id in this room (from our self-presence). */
  selfOccupantId?: string;
  /** The real bare JID behind a nick, from the room's presence (non-anonymous rooms). */
  occupantJid(nick: string): string | undefined;
}

export type ParsedGroupMessage =
  | { kind: 'message'; message: IncomingMessage }
  /** The room's subject; `actor` is the setter's bare JID (absent when the room itself sent it). */
  | { kind: 'subject'; subject: string; actor?: string }
  /** A notice from the room itself (XEP-0045 status codes, e.g. 104: configuration changed). */
  | { kind: 'status'; codes: string[] };

function validId(id: string | undefined): id is string {
  return !!id && id.length <= MAX_ID_CHARS;
}

/**
 * A live `type="groupchat"` message. Believed only when it comes from `ctx.room` and
 * from an occupant whose real JID the room told us; anything else is null.
 */
export function parseGroupMessage(stanza: Element, ctx: RoomContext, now = Date.now()): ParsedGroupMessage | null {
  if (!stanza.is('message') || stanza.attrs.type !== 'groupchat' || !stanza.attrs.from) return null;
  if (bareJid(stanza.attrs.from) !== ctx.room) return null;
  const nick = resourceOf(stanza.attrs.from);
  return parseRoomMessage(stanza, ctx, nick ? ctx.occupantJid(nick) : undefined, now, delayStamp(stanza, now) ?? now, undefined);
}

/**
 * One forwarded message from the room's archive (XEP-0313 on the room JID). The
 * sender's real JID is the room's own `<x><item jid/></x>`, which the room appends
 * last: an earlier one in the message could have been written by the sender.
 */
export function parseArchivedGroupMessage(forwarded: Element, archiveId: string, ctx: RoomContext, now = Date.now()): ParsedGroupMessage | null {
  const inner = forwarded.getChild('message');
  if (!inner || inner.attrs.type !== 'groupchat' || !inner.attrs.from || bareJid(inner.attrs.from) !== ctx.room) return null;
  const items = inner.getChildren('x', MUC_NS.user);
  const stamped = items[items.length - 1]?.getChild('item')?.attrs.jid;
  const nick = resourceOf(inner.attrs.from);
  const jid = stamped ? bareJid(stamped) : nick ? ctx.occupantJid(nick) : undefined;
  const ts = delayStamp(forwarded, now) ?? delayStamp(inner, now) ?? now;
  return parseRoomMessage(inner, ctx, jid, now, ts, archiveId);
}

function parseRoomMessage(
  stanza: Element,
  ctx: RoomContext,
  senderJid: string | undefined,
  now: number,
  ts: number,
  archiveId: string | undefined,
): ParsedGroupMessage | null {
  const nick = resourceOf(stanza.attrs.from ?? '');
  const body = stanza.getChildText('body');
  const subject = stanza.getChild('subject');
  if (!nick) {
    // From the room itself: its subject on join, or status notices.
    if (subject && body === null) return { kind: 'subject', subject: subject.text().slice(0, MAX_SUBJECT_CHARS) };
    const codes = (stanza.getChild('x', MUC_NS.user)?.getChildren('status') ?? []).map((s) => s.attrs.code ?? '').filter(Boolean);
    return codes.length ? { kind: 'status', codes } : null;
  }
  if (subject && body === null) {
    // The room repeats the subject on every join, from its setter's nick even after they left.
    const value = subject.text().slice(0, MAX_SUBJECT_CHARS);
    return senderJid && isValidBareJid(senderJid) ? { kind: 'subject', subject: value, actor: senderJid } : { kind: 'subject', subject: value };
  }
  if (!senderJid || !isValidBareJid(senderJid)) return null; // cannot tell who wrote it

  const occupantId = stanza.getChild('occupant-id', MUC_NS.occupantId)?.attrs.id;
  const own = senderJid === ctx.self.jid || (!!ctx.selfOccupantId && occupantId === ctx.selfOccupantId);
  const text = body !== null && body.length > MAX_BODY_CHARS ? body.slice(0, MAX_BODY_CHARS) : body;
  const rich = parseRichMessage(stanza, text, {
    // Our own chat states echoed by the room, and archived ones, say nothing.
    chatStates: archiveId === undefined && !own,
    userOf: (jid) => replyAuthor(jid, ctx),
    recognise: ctx.self.recognise,
  });
  if (!rich) return null;

  const originId = stanza.getChild('origin-id', NS.sid)?.attrs.id;
  // Only the room's own stanza-id identifies the message in its archive.
  const stanzaId = archiveId ?? stanza.getChildren('stanza-id', NS.sid).find((el) => el.attrs.by && bareJid(el.attrs.by) === ctx.room)?.attrs.id;
  const message: IncomingMessage = {
    id: own && validId(originId) ? originId : crypto.randomUUID(),
    conversationId: ctx.room,
    conversationType: 'group',
    from: toUserId(senderJid, ctx.self.domain),
    own,
    body: '',
    ts: Math.min(ts, now),
    state: own ? 'sent' : 'received',
  };
  if (validId(originId)) message.originId = originId;
  if (validId(stanzaId)) message.stanzaId = stanzaId;
  if (validId(stanza.attrs.id)) message.remoteId = stanza.attrs.id;
  if (rich.kind !== 'content') {
    if (rich.kind === 'change') message.change = rich.change;
    if (rich.typing !== undefined) message.typing = rich.typing;
    return { kind: 'message', message };
  }
  const { attachment, location, reply, custom, cut } = rich.content;
  message.body = rich.content.body;
  if (attachment) message.attachment = attachment;
  if (location) message.location = location;
  if (reply) message.reply = reply;
  if (custom) message.custom = custom;
  // Mention offsets count into the body as sent, fallback quote included.
  const mentions = shiftMentions(text === null ? [] : parseMentions(stanza, text), cut);
  if (mentions.length) {
    message.mentions = mentions;
    if (!own && mentions.some((m) => m.uri === `xmpp:${ctx.self.jid}`)) message.mentioned = true;
  }
  return { kind: 'message', message };
}

/** A reply's `to`: the occupant JID of the answered message's author (or a real JID), as a user id. */
function replyAuthor(jid: string, ctx: RoomContext): string | undefined {
  if (bareJid(jid) === ctx.room) {
    const nick = resourceOf(jid);
    const real = nick ? ctx.occupantJid(nick) : undefined;
    return real && isValidBareJid(real) ? toUserId(real, ctx.self.domain) : undefined;
  }
  return isValidBareJid(bareJid(jid)) ? toUserId(jid, ctx.self.domain) : undefined;
}

/**
 * XEP-0372 mentions of users. Offsets count code points into the body (the XEP's unit,
 * and `renderText`'s), `end` exclusive; bad ones are dropped.
 */
export function parseMentions(stanza: Element, body: string): Mention[] {
  const refs = stanza.getChildren('reference', MUC_NS.reference).filter((r) => r.attrs.type === 'mention');
  if (refs.length === 0) return [];
  const length = codePoints(body);
  const out: Mention[] = [];
  for (const ref of refs.slice(0, MAX_MENTIONS)) {
    const uri = ref.attrs.uri ?? '';
    const jid = uri.startsWith('xmpp:') ? uri.slice(5) : '';
    if (!isValidBareJid(jid)) continue;
    const begin = Number(ref.attrs.begin);
    const end = Number(ref.attrs.end);
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end <= begin || end > length) continue;
    out.push({ begin, end, uri: `xmpp:${bareJid(jid)}` });
  }
  return out;
}

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n += 1;
  return n;
}

/** Checks mentions a caller passes to `send` (code-point offsets); returns them normalised or throws a message. */
export function validateMentions(body: string, mentions: readonly Mention[]): Mention[] {
  if (mentions.length > MAX_MENTIONS) throw new Error(`At most ${MAX_MENTIONS} mentions per message.`);
  const length = codePoints(body);
  return mentions.map((m) => {
    const { begin, end, uri } = m ?? ({} as Mention);
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end <= begin || end > length) {
      throw new Error(`A mention's begin/end must be code-point offsets into the text (0 ≤ begin < end ≤ ${length}).`);
    }
    const jid = typeof uri === 'string' && uri.startsWith('xmpp:') ? bareJid(uri.slice(5)) : '';
    if (!isValidBareJid(jid)) throw new Error(`A mention's uri must be "xmpp:" and a bare JID, not ${String(uri)}.`);
    return { begin, end, uri: `xmpp:${jid}` };
  });
}



/** One occupant's presence as the room broadcasts it. */
export interface OccupantPresence {
  nick: string;
  available: boolean;
  /** Real bare JID (non-anonymous rooms, or our own). */
  jid?: string;
  affiliation?: Affiliation | 'none' | 'outcast';
  role?: Role | 'none';
  occupantId?: string;
  codes: Set<string>;
  /** Who caused the change (a kick), by nick and/or real bare JID. */
  actorNick?: string;
  actorJid?: string;
  /** The room was destroyed. */
  destroyed: boolean;
}

/** A presence from `room`'s occupant, or null when it is not one. Errors are not parsed here. */
export function parseOccupantPresence(stanza: Element, room: string): OccupantPresence | null {
  if (!stanza.is('presence') || !stanza.attrs.from || bareJid(stanza.attrs.from) !== room) return null;
  const type = stanza.attrs.type;
  if (type && type !== 'unavailable') return null;
  const nick = resourceOf(stanza.attrs.from);
  const x = stanza.getChild('x', MUC_NS.user);
  if (!nick || !x) return null;
  const item = x.getChild('item');
  const p: OccupantPresence = {
    nick,
    available: type !== 'unavailable',
    codes: new Set(x.getChildren('status').map((s) => s.attrs.code ?? '')),
    destroyed: !!x.getChild('destroy'),
  };
  const jid = item?.attrs.jid ? bareJid(item.attrs.jid) : '';
  if (jid && isValidBareJid(jid)) p.jid = jid;
  const aff = item?.attrs.affiliation;
  if (aff && AFFILIATIONS.has(aff)) p.affiliation = aff as OccupantPresence['affiliation'];
  const role = item?.attrs.role;
  if (role && ROLES.has(role)) p.role = role as OccupantPresence['role'];
  const occupantId = stanza.getChild('occupant-id', MUC_NS.occupantId)?.attrs.id;
  if (validId(occupantId)) p.occupantId = occupantId;
  const actor = item?.getChild('actor');
  if (actor?.attrs.nick) p.actorNick = actor.attrs.nick;
  if (actor?.attrs.jid && isValidBareJid(bareJid(actor.attrs.jid))) p.actorJid = bareJid(actor.attrs.jid);
  return p;
}

/** A room's announcement that a member's affiliation changed while they were not in it. */
export interface AffiliationNotice {
  jid: string;
  affiliation: Affiliation | 'none' | 'outcast';
  actorJid?: string;
}

export function parseAffiliationNotice(stanza: Element, room: string): AffiliationNotice | null {
  if (!stanza.is('message') || !stanza.attrs.from || stanza.attrs.from !== room) return null;
  const type = stanza.attrs.type ?? 'normal';
  if (type !== 'normal' || stanza.getChild('body')) return null;
  const item = stanza.getChild('x', MUC_NS.user)?.getChild('item');
  const jid = item?.attrs.jid ? bareJid(item.attrs.jid) : '';
  const affiliation = item?.attrs.affiliation;
  if (!jid || !isValidBareJid(jid) || !affiliation || !AFFILIATIONS.has(affiliation)) return null;
  const notice: AffiliationNotice = { jid, affiliation: affiliation as AffiliationNotice['affiliation'] };
  const actor = item?.getChild('actor')?.attrs.jid;
  if (actor && isValidBareJid(bareJid(actor))) notice.actorJid = bareJid(actor);
  return notice;
}
