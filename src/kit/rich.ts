/**
 * The logic behind the kit's rich-message methods (ChatKit delegates here so it stays
 * small): replies, locations, custom types, corrections, recalls, reactions, typing
 * notices, and the integrator's `beforeSend` / `filterIncoming` hooks.
 *
 * Shared helpers for other kit code (e.g. `sendFile`):
 * - `runBeforeSend(kit.options, outgoing)` applies `beforeSend`: resolves with the message
 *   to send (only `text`, and `custom.data` for custom types, may have changed), or
 *   rejects with ChatKitError `send-vetoed` carrying the hook's reason.
 * - `RichMessages.reply(db, conversationId, replyTo)` checks a `replyTo` and returns the
 *   `ReplyRef` to store on the new record (code `invalid-argument` for unknown/recalled).
 * - `addOutgoing(db, draft, fields)` (store/messages.ts) queues a message with its rich fields in one transaction.
 */
import type { ChatDB } from '../store/schema.js';
import type { CustomData, CustomPayload, GeoLocation, MessageRecord, ReplyRef } from '../store/records.js';
import type { IncomingMessage } from '../store/messages.js';
import { editOwnMessage, ownReactions, recallOwnMessage, setOwnReactions } from '../store/ops.js';
import type { Connection } from '../protocol/connection.js';
import type { Session as ProtocolSession } from '../protocol/session.js';
import { isValidBareJid } from '../protocol/jid.js';
import { debug } from '../protocol/log.js';
import { buildChatState, geoUri, type ChatState, type CustomSerializer } from '../protocol/outgoing.js';
import type { PayloadElement } from '../protocol/payload.js';
import { ChatKitError } from './errors.js';
import type { MessageTypes } from './message-types.js';
import type { ChatKitOptions, IncomingMessageView, OutgoingMessage } from './types.js';

/** Longest custom payload `sendCustom` accepts, as UTF-8 JSON. */
export const MAX_CUSTOM_BYTES = 16 * 1024;
/** Custom data nested deeper than this is refused (it must fit the wire's element depth too). */
const MAX_CUSTOM_DEPTH = 16;
/** A reaction is one emoji (a ZWJ sequence or flag can take several UTF-16 units). */
export const MAX_EMOJI_CHARS = 32;
/** Distinct reactions one user may put on one message. */
export const MAX_OWN_REACTIONS = 20;
/** A reply's quote of its original is cut to this many code points. */
const EXCERPT_CHARS = 100;
/** Typing: `composing` is repeated at most this often while typing goes on; `paused` follows this long after the last keystroke. */
export const TYPING_INTERVAL_MS = 5000;

/** What the rich operations need of the kit's open session. */
export interface RichContext {
  clientId: string;
  db: ChatDB;
  conn?: Connection;
  protocol?: ProtocolSession;
}

/**
 * Applies the integrator's `beforeSend` hook. A throw or rejection vetoes the message
 * (ChatKitError `send-vetoed` with the hook's reason); a returned message may change
 * `text` and, for custom types, `custom.data`; anything else it changes is ignored.
 */
export async function runBeforeSend(options: Pick<ChatKitOptions, 'beforeSend'>, message: OutgoingMessage): Promise<OutgoingMessage> {
  const hook = options.beforeSend;
  if (!hook) return message;
  let result: OutgoingMessage | void;
  try {
    // The hook gets a copy: mutating it in place changes nothing unless it is returned.
    result = await hook(structuredClone(message));
  } catch (cause) {
    throw new ChatKitError('send-vetoed', `The message was not sent: beforeSend refused it (${reasonOf(cause)}).`, { cause });
  }
  if (result === undefined || result === null) return message;
  if (typeof result !== 'object') throw new ChatKitError('send-vetoed', 'The message was not sent: beforeSend returned something that is not a message.');
  const out: OutgoingMessage = { ...message };
  if (typeof result.text === 'string') out.text = result.text;
  if (message.custom && result.custom && typeof result.custom === 'object' && 'data' in result.custom) {
    out.custom = { type: message.custom.type, data: result.custom.data };
  }
  return out;
}

function reasonOf(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : typeof cause === 'string' ? cause : String(cause);
  return text.slice(0, 500) || 'no reason given';
}

/**
 * The protocol's `filter` for `filterIncoming`: the hook sees the record as it would be
 * stored; false hides it; a hook that throws keeps the message.
 */
export function incomingFilter(options: Pick<ChatKitOptions, 'filterIncoming'>): ((m: IncomingMessage) => Promise<boolean>) | undefined {
  const hook = options.filterIncoming;
  if (!hook) return undefined;
  return async (m) => {
    const view: Record<string, unknown> = structuredClone(m);
    // Pipeline-only fields are not part of the record.
    for (const key of ['conversationType', 'invite', 'change', 'typing']) delete view[key];
    try {
      return (await hook(Object.freeze(view) as unknown as IncomingMessageView)) !== false;
    } catch (err) {
      debug('filterIncoming threw; the message is kept', err);
      return true;
    }
  };
}

/** The registry as the protocol's custom serializer (a type that fails to serialize sends its fallback body alone). */
export function customSerializer(types: MessageTypes): CustomSerializer {
  return (c: CustomPayload) => {
    const def = types.get(c.type);
    if (!def) return undefined;
    try {
      return def.serialize(c.data);
    } catch (err) {
      debug(`custom type ${c.type} failed to serialize`, err);
      return undefined;
    }
  };
}

/** Checks JSON-like data (plain objects, arrays, strings, finite numbers, booleans, null), not too deep. */
export function isCustomData(value: unknown, depth = 0): value is CustomData {
  if (depth > MAX_CUSTOM_DEPTH) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isCustomData(v, depth + 1));
  if (typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.values(value).every((v) => isCustomData(v, depth + 1));
}

function isPayloadElement(value: unknown): value is PayloadElement {
  const p = value as PayloadElement | null;
  return !!p && typeof p === 'object' && typeof p.name === 'string' && /^[A-Za-z_][\w.-]*$/.test(p.name);
}

interface TypingState {
  state: ChatState;
  /** When `composing` last went out. */
  composingAt: number;
  timer?: ReturnType<typeof setTimeout>;
}

/** The kit's rich-message operations (ChatKit's public methods delegate here). */
export class RichMessages {
  #typing = new Map<string, TypingState>();

  constructor(
    private readonly context: () => RichContext | undefined,
    private readonly types: MessageTypes,
  ) {}

  // ---------------------------------------------------------------------------------------
  // New messages

  /** The `ReplyRef` for answering `replyTo` in `conversationId`; `invalid-argument` for an unknown, system or recalled message. */
  async reply(db: ChatDB, conversationId: string, replyTo: string): Promise<ReplyRef> {
    const target = typeof replyTo === 'string' && replyTo ? await db.messages.get(replyTo) : undefined;
    if (!target || target.conversationId !== conversationId || target.kind === 'system') {
      throw new ChatKitError('invalid-argument', `No message ${String(replyTo)} to reply to in this conversation.`);
    }
    if (target.retracted) throw new ChatKitError('invalid-argument', 'A recalled message cannot be replied to.');
    const group = (await db.conversations.get(conversationId))?.type === 'group';
    // Groups name the room's stanza-id; our own message not echoed yet gets it later (the outbox waits).
    const ref = group ? (target.stanzaId ?? '') : target.own ? (target.originId ?? target.id) : (target.remoteId ?? target.originId ?? '');
    if (!ref && !(group && target.own)) throw new ChatKitError('invalid-argument', 'This message has no id other clients know; it cannot be replied to.');
    const reply: ReplyRef = { ref, id: target.id, to: target.from };
    const excerpt = this.#excerpt(target);
    if (excerpt) reply.excerpt = excerpt;
    return reply;
  }

  /** What a reply quotes of its original: its text, a file's name, a custom type's preview. */
  #excerpt(m: MessageRecord): string {
    let text = m.body;
    if (m.attachment) text = m.body && m.body !== m.attachment.url ? m.body : m.attachment.name;
    else if (m.custom) {
      try {
        text = this.types.get(m.custom.type)?.preview(m.custom.data as never) ?? m.body;
      } catch {
        text = m.body;
      }
    }
    const points = [...text.trim()];
    return points.length > EXCERPT_CHARS ? `${points.slice(0, EXCERPT_CHARS - 1).join('')}…` : points.join('');
  }

  /** Checks a location and returns it as stored (only the known fields). */
  location(value: GeoLocation): GeoLocation {
    const { lat, lon, accuracy } = (value ?? {}) as Partial<GeoLocation>;
    const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);
    if (!finite(lat) || lat < -90 || lat > 90) throw new ChatKitError('invalid-argument', 'A location needs `lat` between -90 and 90.');
    if (!finite(lon) || lon < -180 || lon > 180) throw new ChatKitError('invalid-argument', 'A location needs `lon` between -180 and 180.');
    if (accuracy !== undefined && (!finite(accuracy) || accuracy < 0 || accuracy > 40_000_000)) {
      throw new ChatKitError('invalid-argument', 'A location `accuracy` is metres, 0 or more.');
    }
    return accuracy === undefined ? { lat, lon } : { lat, lon, accuracy };
  }

  /** The body a location carries (RFC 5870 `geo:` URI). */
  locationBody(location: GeoLocation): string {
    return geoUri(location);
  }

  /**
   * Checks a custom message: the type is registered, the data JSON-like and at most
   * MAX_CUSTOM_BYTES, and the type can serialize it. Returns the fallback body.
   */
  custom(type: string, data: unknown): { data: CustomData; body: string } {
    const def = typeof type === 'string' ? this.types.get(type) : undefined;
    if (!def) throw new ChatKitError('invalid-argument', `No message type "${String(type)}" is registered (kit.registerMessageType).`);
    if (!isCustomData(data)) throw new ChatKitError('invalid-argument', 'Custom message data must be JSON-like: objects, arrays, strings, finite numbers, booleans or null.');
    const bytes = new TextEncoder().encode(JSON.stringify(data)).length;
    if (bytes > MAX_CUSTOM_BYTES) throw new ChatKitError('invalid-argument', `Custom message data is ${bytes} bytes as JSON; the limit is ${MAX_CUSTOM_BYTES}.`);
    let fallback: string;
    try {
      if (!isPayloadElement(def.serialize(data))) throw new Error('serialize() returned no element');
      fallback = String(def.fallback(data) ?? '');
    } catch (cause) {
      throw new ChatKitError('invalid-argument', `Message type "${type}" could not serialize this data: ${reasonOf(cause)}`, { cause });
    }
    const body = fallback.trim() ? fallback : `[${type}]`;
    return { data, body: [...body].slice(0, 4096).join('') };
  }

  // ---------------------------------------------------------------------------------------
  // Changes

  /** See `ChatKit.edit`. */
  async edit(messageId: string, text: string, maxChars: number, options: Pick<ChatKitOptions, 'beforeSend'> = {}): Promise<void> {
    const ctx = this.#ctx();
    let body = typeof text === 'string' ? text : '';
    if (body.trim() === '') throw new ChatKitError('invalid-argument', 'A message cannot be edited to nothing; recall it instead.');
    if (body.length > maxChars) throw new ChatKitError('invalid-argument', `A message is limited to ${maxChars} characters.`);
    const m = await this.#message(ctx, messageId);
    if (!m.own) throw new ChatKitError('forbidden', "Only a message's author can edit it.");
    if (m.retracted) throw new ChatKitError('invalid-argument', 'A recalled message cannot be edited.');
    if (m.location || m.custom) throw new ChatKitError('invalid-argument', 'Only text messages and file captions can be edited.');
    // An edit is new text on the wire: the app's filter sees it like any message.
    const checked = await runBeforeSend(options, { conversationId: m.conversationId, kind: m.attachment ? 'file' : 'text', text: body, editOf: m.id });
    body = checked.text;
    if (body.trim() === '' || body.length > maxChars) throw new ChatKitError('send-vetoed', 'beforeSend turned the edit into an empty or over-long text.');
    if (m.body === body) return;
    if (await editOwnMessage(ctx.db, m.id, body)) void ctx.protocol?.ops.drain();
  }

  /** See `ChatKit.recall`. */
  async recall(messageId: string): Promise<void> {
    const ctx = this.#ctx();
    const m = await this.#message(ctx, messageId);
    if (!m.own) throw new ChatKitError('forbidden', "Only a message's author can recall it.");
    if (m.retracted) return;
    if (await recallOwnMessage(ctx.db, m.id)) void ctx.protocol?.ops.drain();
  }

  /** See `ChatKit.react`. */
  async react(messageId: string, emoji: string, on?: boolean): Promise<void> {
    const ctx = this.#ctx();
    if (typeof emoji !== 'string' || emoji.length === 0 || emoji.length > MAX_EMOJI_CHARS || emoji.trim() === '') {
      throw new ChatKitError('invalid-argument', `A reaction is an emoji (1 to ${MAX_EMOJI_CHARS} characters, not blank).`);
    }
    const m = await this.#message(ctx, messageId);
    if (m.retracted) throw new ChatKitError('invalid-argument', 'A recalled message cannot be reacted to.');
    const mine = ownReactions(m, ctx.clientId);
    const has = mine.includes(emoji);
    const want = typeof on === 'boolean' ? on : !has;
    if (want === has) return;
    const next = want ? [...mine, emoji] : mine.filter((e) => e !== emoji);
    if (next.length > MAX_OWN_REACTIONS) throw new ChatKitError('invalid-argument', `At most ${MAX_OWN_REACTIONS} reactions per message.`);
    await setOwnReactions(ctx.db, m.id, ctx.clientId, next);
    void ctx.protocol?.ops.drain();
  }

  async #message(ctx: RichContext, messageId: string): Promise<MessageRecord> {
    const m = typeof messageId === 'string' && messageId ? await ctx.db.messages.get(messageId) : undefined;
    if (!m || m.kind === 'system') throw new ChatKitError('invalid-argument', `No message ${String(messageId)}.`);
    return m;
  }

  // ---------------------------------------------------------------------------------------
  // Typing (XEP-0085)

  /** See `ChatKit.setTyping`. Never throws. */
  setTyping(conversationId: string, typing: boolean): void {
    try {
      const ctx = this.context();
      if (!ctx || typeof conversationId !== 'string' || !isValidBareJid(conversationId) || ctx.conn?.status !== 'online') return;
      const t = this.#typing.get(conversationId) ?? { state: 'active' as ChatState, composingAt: 0 };
      this.#typing.set(conversationId, t);
      clearTimeout(t.timer);
      t.timer = undefined;
      if (typing) {
        const now = Date.now();
        if (t.state !== 'composing' || now - t.composingAt >= TYPING_INTERVAL_MS) {
          t.state = 'composing';
          t.composingAt = now;
          this.#sendState(ctx, conversationId, 'composing');
        }
        t.timer = setTimeout(() => {
          t.timer = undefined;
          if (t.state !== 'composing') return;
          t.state = 'paused';
          this.#sendState(ctx, conversationId, 'paused');
        }, TYPING_INTERVAL_MS);
      } else if (t.state !== 'active') {
        t.state = 'active';
        this.#sendState(ctx, conversationId, 'active');
      }
    } catch (err) {
      debug('typing notice not sent', err);
    }
  }

  /** A message went out in the conversation: it carries `<active/>`, so typing is over without a notice of its own. */
  sent(conversationId: string): void {
    const t = this.#typing.get(conversationId);
    if (!t) return;
    clearTimeout(t.timer);
    this.#typing.delete(conversationId);
  }

  /** The session ended: no notice is pending any more. */
  reset(): void {
    for (const t of this.#typing.values()) clearTimeout(t.timer);
    this.#typing.clear();
  }

  #sendState(ctx: RichContext, conversationId: string, state: ChatState): void {
    const { conn, protocol } = ctx;
    if (!conn || !protocol || conn.status !== 'online' || this.context() !== ctx) return;
    void (async () => {
      const readiness = await protocol.muc.readiness(conversationId);
      // A group not joined (or left) hears nothing from us.
      if (readiness === 'hold' || readiness === 'fail' || conn.status !== 'online') return;
      await conn.send(buildChatState({ to: conversationId, type: readiness === 'ready' ? 'groupchat' : 'chat' }, state));
    })().catch((err: unknown) => debug('typing notice not sent', err));
  }

  #ctx(): RichContext {
    const ctx = this.context();
    if (!ctx) throw new ChatKitError('not-open', 'Call kit.open() first.');
    return ctx;
  }
}
