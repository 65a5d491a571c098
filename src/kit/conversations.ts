import { liveQuery, type Subscription } from 'dexie';
import type { ChatDB } from '../store/schema.js';
import type { ConversationType, Mention } from '../store/records.js';
import { markConversationRead } from '../store/messages.js';
import { profilesById, totalUnread } from '../store/queries.js';
import { MAX_DRAFT_CHARS, setConversationFlags } from '../store/conversations.js';
import type { Connection } from '../protocol/connection.js';
import type { Session as ProtocolSession } from '../protocol/session.js';
import type { Self } from '../protocol/message.js';
import { isValidBareJid, toUserId, userIdToJid } from '../protocol/jid.js';
import { GroupError, MAX_NAME_CHARS, MAX_SUBJECT_CHARS } from '../protocol/muc.js';
import { validateMentions } from '../protocol/groupchat.js';
import type { SignedAction, SignedActionName } from '../protocol/signature.js';
import { ChatKitError } from './errors.js';
import { CkConversationLeftEvent, CkInviteEvent, CkUnreadEvent } from './events.js';
import type { ChatKitOptions, SendOptions } from './types.js';

/** What the conversation operations need of the kit's open session. */
export interface ConversationsContext {
  clientId: string;
  db: ChatDB;
  self: Self;
  conn?: Connection;
  protocol?: ProtocolSession;
}

const PROFILE_WAIT_MS = 5000;

/**
 * The kit's group and conversation-list operations (ChatKit's public methods delegate
 * here): groups over XEP-0045 with signed actions, list flags, and the total unread count.
 */
export class Conversations {
  #total = 0;
  #watch: Subscription | undefined;

  constructor(
    private readonly context: () => ConversationsContext | undefined,
    private readonly options: Readonly<ChatKitOptions>,
    private readonly events: EventTarget,
  ) {}

  /** Unread messages over all listed conversations, muted ones excluded. */
  get totalUnread(): number {
    return this.#total;
  }

  /** A protocol session began: its group events become kit events. */
  attach(protocol: ProtocolSession): void {
    protocol.muc.on('left', (id, reason, actor) => this.events.dispatchEvent(new CkConversationLeftEvent(id, reason, actor)));
    protocol.muc.on('invited', (id, inviter, pending) => this.events.dispatchEvent(new CkInviteEvent(id, inviter, pending)));
  }

  /** Follows the total unread count of `db` (undefined: no store, the count is 0). */
  watch(db: ChatDB | undefined): void {
    this.#watch?.unsubscribe();
    this.#watch = undefined;
    this.#setTotal(0);
    if (!db) return;
    this.#watch = liveQuery(() => totalUnread(db)).subscribe({
      next: (total) => this.#setTotal(total),
      error: () => undefined,
    });
  }

  #setTotal(total: number): void {
    if (total === this.#total) return;
    this.#total = total;
    this.events.dispatchEvent(new CkUnreadEvent(total));
  }

  // ---------------------------------------------------------------------------------------
  // Groups

  /** Creates a group with `memberIds` (see `ChatKit.startConversation`). */
  async startGroup(memberIds: readonly string[], name: string | undefined): Promise<string> {
    const { ctx, p } = this.#online();
    const { ids, jids } = this.#members(ctx, memberIds, true);
    if (ids.length === 0) throw new ChatKitError('invalid-argument', 'A group needs at least one other member.');
    const given = typeof name === 'string' ? name.trim() : '';
    if (given.length > MAX_NAME_CHARS) throw new ChatKitError('invalid-argument', `A group name is limited to ${MAX_NAME_CHARS} characters.`);
    const service = await p.muc.service().catch((err: unknown) => {
      throw new ChatKitError('unsupported', 'The server offers no group chat service (set `mucDomain`?).', { cause: err });
    });
    const roomId = `${crypto.randomUUID()}@${service}`.toLowerCase();
    const groupName = given || (await this.#defaultName(ctx, ids));
    const signature = await this.#sign('start', ctx, roomId, ids, jids);
    try {
      await p.muc.create(roomId, { name: groupName, members: jids, signature });
    } catch (err) {
      throw refusal(err, 'creating the group');
    }
    return roomId;
  }

  /** Adds members to a group (they are invited and see it in their list). */
  async invite(conversationId: string, memberIds: readonly string[]): Promise<void> {
    const { ctx, p } = this.#online();
    await this.#group(ctx, conversationId);
    const { ids, jids } = this.#members(ctx, memberIds, true);
    if (ids.length === 0) throw new ChatKitError('invalid-argument', 'invite needs at least one other member.');
    const signature = await this.#sign('invite', ctx, conversationId, ids, jids);
    try {
      await p.muc.addMembers(conversationId, jids, signature);
    } catch (err) {
      throw refusal(err, 'the invitation');
    }
  }

  /** Removes members from a group; only its owners and admins may. */
  async kick(conversationId: string, memberIds: readonly string[]): Promise<void> {
    const { ctx, p } = this.#online();
    await this.#group(ctx, conversationId);
    const { ids, jids } = this.#members(ctx, memberIds, false);
    if (ids.length === 0) throw new ChatKitError('invalid-argument', 'kick needs at least one member to remove.');
    if (jids.includes(ctx.self.jid)) throw new ChatKitError('invalid-argument', 'To leave a group, use leave().');
    const own = await ctx.db.members.get([conversationId, ctx.clientId]);
    if (own && own.affiliation !== 'owner' && own.affiliation !== 'admin') {
      // Refused before anyone is asked to sign: the server would refuse anyway.
      throw new ChatKitError('forbidden', "Only the group's owners and admins can remove members.");
    }
    const signature = await this.#sign('kick', ctx, conversationId, ids, jids);
    try {
      await p.muc.removeMembers(conversationId, jids, signature);
    } catch (err) {
      throw refusal(err, 'removing members');
    }
  }

  /** Leaves a group: it stays in the list, marked `left`, with its history. */
  async leave(conversationId: string): Promise<void> {
    const ctx = this.#ctx();
    const conv = await ctx.db.conversations.get(conversationId);
    if (conv?.type !== 'group') throw new ChatKitError('invalid-argument', `Not a group: ${conversationId}`);
    if (conv.left) return;
    if (conv.invitePending) return this.declineInvite(conversationId);
    if (!ctx.protocol || ctx.conn?.status !== 'online') throw new ChatKitError('offline', 'Leaving a group needs a connection to the server.');
    await ctx.protocol.muc.leave(conversationId);
  }

  /** Renames a group (owners only). */
  async rename(conversationId: string, name: string): Promise<void> {
    const { ctx, p } = this.#online();
    await this.#group(ctx, conversationId);
    const value = typeof name === 'string' ? name.trim() : '';
    if (!value || value.length > MAX_NAME_CHARS) throw new ChatKitError('invalid-argument', `A group name is 1 to ${MAX_NAME_CHARS} characters.`);
    try {
      await p.muc.rename(conversationId, value);
    } catch (err) {
      throw refusal(err, 'renaming the group');
    }
  }

  /** Sets a group's subject (any member). */
  async setSubject(conversationId: string, subject: string): Promise<void> {
    const { ctx, p } = this.#online();
    await this.#group(ctx, conversationId);
    const value = typeof subject === 'string' ? subject : '';
    if (value.length > MAX_SUBJECT_CHARS) throw new ChatKitError('invalid-argument', `A subject is limited to ${MAX_SUBJECT_CHARS} characters.`);
    try {
      await p.muc.setSubject(conversationId, value);
    } catch (err) {
      throw refusal(err, 'the subject');
    }
  }

  /** Joins a group whose invitation came from someone who is not a contact. */
  async acceptInvite(conversationId: string): Promise<void> {
    const { ctx, p } = this.#online();
    const conv = await ctx.db.conversations.get(conversationId);
    if (conv?.type !== 'group' || !conv.invitePending) throw new ChatKitError('invalid-argument', `No invitation to ${conversationId}.`);
    try {
      await p.muc.accept(conversationId);
    } catch (err) {
      throw refusal(err, 'joining the group');
    }
  }

  /** Declines a waiting invitation: the group disappears from this device. */
  async declineInvite(conversationId: string): Promise<void> {
    const ctx = this.#ctx();
    const conv = await ctx.db.conversations.get(conversationId);
    if (conv?.type !== 'group' || !conv.invitePending) throw new ChatKitError('invalid-argument', `No invitation to ${conversationId}.`);
    if (ctx.protocol) await ctx.protocol.muc.decline(conversationId);
  }

  // ---------------------------------------------------------------------------------------
  // Messages and the list

  /** Type and checked mentions for a message about to be queued. */
  async prepareSend(db: ChatDB, conversationId: string, body: string, options: SendOptions): Promise<{ type: ConversationType; mentions?: Mention[] }> {
    const conv = await db.conversations.get(conversationId);
    const type: ConversationType = conv?.type ?? 'chat';
    if (type === 'group' && (conv?.left || conv?.invitePending)) {
      throw new ChatKitError('forbidden', 'You are not a member of this group.');
    }
    if (!options.mentions?.length) return { type };
    if (type !== 'group') throw new ChatKitError('invalid-argument', 'Mentions are for group conversations.');
    try {
      return { type, mentions: validateMentions(body, options.mentions) };
    } catch (err) {
      throw new ChatKitError('invalid-argument', err instanceof Error ? err.message : String(err));
    }
  }

  /** Whether a conversation is a group (groups get no XEP-0333 markers and page the room's archive). */
  async isGroup(db: ChatDB, conversationId: string): Promise<boolean> {
    return (await db.conversations.get(conversationId))?.type === 'group';
  }

  async markGroupRead(db: ChatDB, conversationId: string): Promise<void> {
    await markConversationRead(db, conversationId);
  }

  async setDraft(conversationId: string, text: string): Promise<void> {
    const ctx = this.#ctx();
    const draft = typeof text === 'string' ? text.slice(0, MAX_DRAFT_CHARS) : '';
    await setConversationFlags(ctx.db, this.#conversationId(conversationId), { draft: draft.trim() ? draft : undefined });
  }

  async mute(conversationId: string, on: boolean): Promise<void> {
    await setConversationFlags(this.#ctx().db, this.#conversationId(conversationId), { muted: !!on });
  }

  async pin(conversationId: string, on: boolean): Promise<void> {
    await setConversationFlags(this.#ctx().db, this.#conversationId(conversationId), { pin: on ? 1 : 0 });
  }

  async hide(conversationId: string): Promise<void> {
    const ctx = this.#ctx();
    const id = this.#conversationId(conversationId);
    if (!(await ctx.db.conversations.get(id))) return;
    await setConversationFlags(ctx.db, id, { hidden: true });
  }

  // ---------------------------------------------------------------------------------------

  #ctx(): ConversationsContext {
    const ctx = this.context();
    if (!ctx) throw new ChatKitError('not-open', 'Call kit.open() first.');
    return ctx;
  }

  #online(): { ctx: ConversationsContext; p: ProtocolSession } {
    const ctx = this.#ctx();
    if (!ctx.protocol || ctx.conn?.status !== 'online') throw new ChatKitError('offline', 'This needs a connection to the server.');
    return { ctx, p: ctx.protocol };
  }

  #conversationId(id: string): string {
    const value = typeof id === 'string' ? id.trim().toLowerCase() : '';
    if (!isValidBareJid(value)) throw new ChatKitError('invalid-argument', `Unknown conversation: ${String(id)}`);
    return value;
  }

  async #group(ctx: ConversationsContext, conversationId: string): Promise<void> {
    // Right after sign-in the store may not know the group yet (a new device learns it from bookmarks).
    if (!(await ctx.db.conversations.get(conversationId))) await ctx.protocol?.muc.started();
    const conv = await ctx.db.conversations.get(conversationId);
    if (conv?.type !== 'group') throw new ChatKitError('invalid-argument', `Not a group: ${conversationId}`);
    if (conv.left || conv.invitePending) throw new ChatKitError('forbidden', 'You are not a member of this group.');
  }

  /** User ids to bare JIDs (deduplicated; the user themself dropped when `dropSelf`). */
  #members(ctx: ConversationsContext, memberIds: readonly string[], dropSelf: boolean): { ids: string[]; jids: string[] } {
    if (!Array.isArray(memberIds)) throw new ChatKitError('invalid-argument', 'Members are given as an array of user ids.');
    const jids: string[] = [];
    for (const raw of memberIds) {
      const jid = typeof raw === 'string' && raw.trim() ? userIdToJid(raw.trim(), this.options.domain) : '';
      if (!isValidBareJid(jid)) throw new ChatKitError('invalid-argument', `Not a valid user id: ${String(raw)}`);
      if (dropSelf && jid === ctx.self.jid) continue;
      if (!jids.includes(jid)) jids.push(jid);
    }
    return { ids: jids.map((j) => toUserId(j, this.options.domain)), jids };
  }

  /** Asks the app to sign; a throw or rejection vetoes the action before anything is sent. */
  async #sign(action: SignedActionName, ctx: ConversationsContext, conversationId: string, memberIds: string[], jids: string[]): Promise<SignedAction | undefined> {
    const hook = this.options.generateSignature;
    if (!hook) return undefined; // the server decides whether unsigned actions pass
    let signed;
    try {
      signed = await hook({ action, clientId: ctx.clientId, conversationId, memberIds: [...memberIds] });
      if (!signed || typeof signed.signature !== 'string' || !signed.signature || typeof signed.nonce !== 'string' || !Number.isFinite(signed.timestamp)) {
        throw new Error('generateSignature returned no { signature, timestamp, nonce }');
      }
    } catch (err) {
      throw new ChatKitError('signature-vetoed', `The "${action}" action was refused by generateSignature.`, { cause: err });
    }
    return { action, members: jids, signature: signed.signature, timestamp: signed.timestamp, nonce: signed.nonce };
  }

  /** "Alice, Bob, Carol": the creator and members by profile name, else roster name, else id. */
  async #defaultName(ctx: ConversationsContext, memberIds: string[]): Promise<string> {
    const ids = [ctx.clientId, ...memberIds];
    const known = await profilesById(ctx.db, ids);
    const fetched = new Map<string, string>();
    const missing = ids.filter((id) => !known.get(id)?.name);
    const hook = this.options.fetchProfiles;
    if (missing.length && hook) {
      try {
        const result = await Promise.race([hook(missing), new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), PROFILE_WAIT_MS))]);
        for (const p of Array.isArray(result) ? result : []) {
          if (p && typeof p.id === 'string' && typeof p.name === 'string' && p.name.trim()) fetched.set(p.id, p.name.trim());
        }
      } catch {
        // Names are a nicety: ids will do.
      }
    }
    const contacts = await ctx.db.contacts.bulkGet(ids);
    const names = ids.map((id, i) => known.get(id)?.name ?? fetched.get(id) ?? contacts[i]?.name ?? id);
    const name = names.join(', ');
    return name.length > MAX_NAME_CHARS ? `${name.slice(0, MAX_NAME_CHARS - 1)}…` : name;
  }
}

/** A server's refusal as the kit's error. */
function refusal(err: unknown, what: string): ChatKitError {
  if (err instanceof ChatKitError) return err;
  if (!(err instanceof GroupError)) return new ChatKitError('refused', `The server refused ${what}.`, { cause: err });
  if (err.condition === 'not-authorized' && err.text.startsWith('ck-signature:')) {
    return new ChatKitError('signature-refused', `The server refused the signature for ${what}: ${err.text.slice(13).trim()}.`, { cause: err });
  }
  if (err.condition === 'forbidden' || err.condition === 'not-allowed') {
    return new ChatKitError('forbidden', `Not allowed: ${what} (${err.condition}).`, { cause: err });
  }
  if (err.condition === 'remote-server-timeout') return new ChatKitError('offline', `No answer from the server for ${what}.`, { cause: err });
  return new ChatKitError('refused', `The server refused ${what} (${err.condition}${err.text && err.text !== err.condition ? `: ${err.text}` : ''}).`, { cause: err });
}
