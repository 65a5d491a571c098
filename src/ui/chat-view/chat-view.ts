import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName } from '../shared/people.js';
import { icons } from '../shared/icons.js';
import { styles } from './chat-view.styles.js';
import { countMessages, latestMessages, profilesById } from '../../store/queries.js';
import type { ChatDB } from '../../store/schema.js';
import type { ContactRecord, ConversationRecord, MessageRecord, MessageState, ProfileRecord } from '../../store/records.js';
import { CkErrorEvent, CkOpenProfileEvent } from '../../kit/events.js';
import type { ConnectionStatus } from '../../kit/types.js';
import { formatDaySeparator, formatMessageTime, isSameDay } from '../../render/dates.js';
import { renderText } from '../../render/text.js';

const PAGE = 50;
/** Within this many px of the bottom the log counts as "at the latest message" and follows new ones. */
const STICK_PX = 48;
const BACK_ONLINE_MS = 3000;

/** Messages count as seen only in a visible tab that has focus. */
function isSeen(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

interface ViewData {
  /** The conversation this was read for (a stale result may belong to the previous one). */
  id: string | null;
  conversation?: ConversationRecord;
  messages: MessageRecord[];
  total: number;
  profiles: Map<string, ProfileRecord>;
  contact?: ContactRecord;
}

const stateIcon: Record<MessageState, TemplateResult | typeof nothing> = {
  pending: icons.clock,
  sent: icons.check,
  delivered: icons.checks,
  read: icons.checks,
  failed: icons.alert,
  received: nothing,
};

/**
 * One conversation: header, message log with day separators, own and peer
 * bubbles with delivery state, a connection banner, and the composer (Enter
 * sends, Shift+Enter starts a new line).
 *
 * @summary Chat view.
 * @fires ck-open-profile - the header avatar or name was activated (`event.userId`)
 * @fires ck-error - a send was refused (the text stays in the composer)
 * @slot empty - shown when no conversation is set
 * @slot header-start - content before the avatar (e.g. a back button)
 * @slot header-actions - extra buttons at the end of the header
 * @csspart header - the header bar
 * @csspart avatar - the header avatar and message avatars
 * @csspart title - the conversation name
 * @csspart banner - the connection status banner
 * @csspart log - the scrolling message log (`role="log"`)
 * @csspart loading - the spinner while older messages load
 * @csspart day - a day separator
 * @csspart message - one message row
 * @csspart bubble - a message bubble
 * @csspart state - the delivery state mark on own messages
 * @csspart composer - the form around the input
 * @csspart input - the text entry
 * @csspart send-button - the send button
 * @cssproperty [--ck-bubble-own-background=var(--ck-color-accent)] - own bubble color
 * @cssproperty [--ck-bubble-peer-background=var(--ck-color-surface)] - peer bubble color
 * @cssproperty [--ck-bubble-radius=16px] - bubble corner radius
 */
export class CkChatView extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    conversation: { type: String, reflect: true },
    _limit: { state: true },
    _draft: { state: true },
    _backOnline: { state: true },
    _loading: { state: true },
  };

  /** Id of the conversation shown: the peer's or the room's bare JID. */
  declare conversation: string | null;
  declare _limit: number;
  declare _draft: string;
  declare _backOnline: boolean;
  declare _loading: boolean;

  #live = new LiveQueryController<ViewData>(
    this,
    (db) => this.#load(db),
    () => [this.conversation, this._limit],
  );

  /** The live data, if it is for the conversation shown now. */
  get #data(): { value: ViewData | undefined } {
    const value = this.#live.value;
    return { value: value && value.id === this.conversation ? value : undefined };
  }
  #scroll: { height: number; top: number; atBottom: boolean; first?: string; last?: string } | undefined;
  #lastStatus: ConnectionStatus | undefined;
  #triedConnect = false;
  #backOnlineTimer: ReturnType<typeof setTimeout> | undefined;
  #endViewing: (() => void) | undefined;
  #viewingKey: string | undefined;
  /** The conversation whose short history was already topped up from the archive. */
  #autoLoaded: string | null = null;
  /** The newest peer message already reported as displayed. */
  #reported: string | undefined;

  constructor() {
    super();
    this.conversation = null;
    this._limit = PAGE;
    this._draft = '';
    this._backOnline = false;
    this._loading = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('focus', this.#onVisibility);
    window.addEventListener('blur', this.#onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('focus', this.#onVisibility);
    window.removeEventListener('blur', this.#onVisibility);
    this.#setViewing(undefined);
    clearTimeout(this.#backOnlineTimer);
  }

  async #load(db: ChatDB): Promise<ViewData> {
    const id = this.conversation;
    const kit = this.ck;
    if (!id || !kit) return { id, messages: [], total: 0, profiles: new Map() };
    const [conversation, messages, total] = await Promise.all([
      db.conversations.get(id),
      latestMessages(db, id, this._limit),
      countMessages(db, id),
    ]);
    const peer = kit.userIdOf(id);
    const ids = new Set<string>([peer, ...messages.map((m) => m.from)]);
    const [profiles, contact] = await Promise.all([profilesById(db, [...ids]), db.contacts.get(peer)]);
    return { id, conversation, messages, total, profiles, contact };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('conversation')) {
      this._limit = PAGE;
      this.#scroll = undefined;
    }
    this.#trackStatus();
    const log = this.#log();
    const msgs = this.#data.value?.messages;
    if (log && msgs) {
      this.#scroll = {
        height: log.scrollHeight,
        top: log.scrollTop,
        atBottom: log.scrollHeight - log.scrollTop - log.clientHeight <= STICK_PX,
        first: msgs[0]?.id,
        last: msgs[msgs.length - 1]?.id,
      };
    }
  }

  protected override updated(): void {
    const data = this.#data.value;
    const kit = this.ck;
    const log = this.#log();
    if (log && data) {
      const before = this.#scroll;
      const first = data.messages[0]?.id;
      const last = data.messages[data.messages.length - 1]?.id;
      const ownNew = data.messages[data.messages.length - 1]?.own && last !== before?.last;
      if (!before || before.atBottom || ownNew) {
        log.scrollTop = log.scrollHeight;
      } else if (first !== before.first && last === before.last) {
        // Earlier messages were prepended: keep the same message under the reader's eyes.
        log.scrollTop = before.top + (log.scrollHeight - before.height);
      }
    }
    if (!kit || !data || !this.conversation) return;
    const seen = isSeen();
    this.#setViewing(seen ? this.conversation : undefined);
    const lastPeer = [...data.messages].reverse().find((m) => !m.own);
    const unreported = lastPeer && lastPeer.state !== 'read' && lastPeer.id !== this.#reported;
    if (seen && ((data.conversation?.unread ?? 0) > 0 || unreported)) {
      this.#reported = lastPeer?.id;
      void kit.markRead(this.conversation);
    }
    // A conversation with little stored history (a new device) fills from the archive at once.
    if (
      this.#autoLoaded !== this.conversation &&
      data.messages.length < PAGE &&
      data.conversation &&
      !data.conversation.historyComplete &&
      kit.status === 'online'
    ) {
      this.#autoLoaded = this.conversation;
      void this.#loadEarlier();
    }
    const missing = [kit.userIdOf(this.conversation), ...data.messages.map((m) => m.from)].filter(
      (id) => !data.profiles.has(id),
    );
    if (missing.length) kit.requestProfiles(new Set(missing));
  }

  override render() {
    if (!this.conversation) {
      return html`<slot name="empty"><p class="empty">${this.t('view.empty')}</p></slot>`;
    }
    const data = this.#data.value;
    const kit = this.ck;
    const peer = kit?.userIdOf(this.conversation) ?? this.conversation;
    const profile = data?.profiles.get(peer);
    const name = data?.conversation?.type === 'group' ? (data.conversation.name ?? this.conversation) : displayName(peer, profile, data?.contact);
    return html`
      <header part="header">
        <slot name="header-start"></slot>
        <span class="profile-link" @click=${() => this.#openProfile(peer)}>${avatar(peer, name, profile)}</span>
        <span part="title" class="title" dir="auto" @click=${() => this.#openProfile(peer)}
          >${name ?? html`<span class="placeholder" aria-label=${this.t('profile.loading')}></span>`}</span
        >
        <slot name="header-actions"></slot>
      </header>
      ${this.#banner()}
      <div class="log-wrap">
        <div part="log" class="log" role="log" aria-live="polite" aria-label=${this.t('view.log')} tabindex="0" @scroll=${this.#onScroll}>
          ${data ? this.#messages(data) : nothing}
        </div>
        ${this._loading
          ? html`<div part="loading" class="loading" role="status" aria-label=${this.t('view.loadEarlier')}><span class="spinner"></span></div>`
          : nothing}
      </div>
      <form part="composer" @submit=${this.#onSubmit}>
        <textarea
          part="input"
          rows="1"
          aria-label=${this.t('view.input')}
          placeholder=${this.t('view.placeholder')}
          .value=${live(this._draft)}
          @input=${(e: InputEvent) => (this._draft = (e.target as HTMLTextAreaElement).value)}
          @keydown=${this.#onKeydown}
        ></textarea>
        <button part="send-button" class="send" type="submit" aria-label=${this.t('view.send')} ?disabled=${this._draft.trim() === ''}>
          ${icons.send}
        </button>
      </form>
    `;
  }

  #messages(data: ViewData) {
    if (data.messages.length === 0) return html`<p class="empty">${this.t('view.noMessages')}</p>`;
    const locale = this.ck?.locale ?? 'en';
    const now = Date.now();
    const offset = data.total - data.messages.length;
    const out: TemplateResult[] = [];
    let prev: MessageRecord | undefined;
    data.messages.forEach((m, i) => {
      if (!prev || !isSameDay(prev.ts, m.ts)) {
        out.push(html`<div part="day" class="day" role="separator">${formatDaySeparator(m.ts, now, locale)}</div>`);
      }
      out.push(this.#message(m, offset + i + 1, data.total, locale));
      prev = m;
    });
    return out;
  }

  #message(m: MessageRecord, pos: number, total: number, locale: string) {
    const time = formatMessageTime(m.sentAt ?? m.ts, locale);
    return html`<div
      part="message"
      class="row ${m.own ? 'own' : 'peer'} ${m.state}"
      data-id=${m.id}
      data-state=${m.state}
      aria-posinset=${pos}
      aria-setsize=${total}
    >
      <div part="bubble" class="bubble" dir="auto">${renderText(m.body)}</div>
      <span class="meta">
        <time datetime=${new Date(m.sentAt ?? m.ts).toISOString()}>${time}</time>
        ${m.own
          ? html`<span part="state" data-state=${m.state} role="img" aria-label=${this.t(`state.${m.state as Exclude<MessageState, 'received'>}`)} title=${this.t(`state.${m.state as Exclude<MessageState, 'received'>}`)}
              >${stateIcon[m.state]}</span
            >`
          : nothing}
      </span>
    </div>
    ${m.own && m.state === 'failed'
      ? html`<div class="failure" role="alert">
          <span>${m.error ?? this.t('state.failed')}</span>
          <button type="button" @click=${() => void this.ck?.resend(m.id)}>${this.t('view.resend')}</button>
          <button type="button" @click=${() => void this.ck?.deleteMessage(m.id)}>${this.t('view.delete')}</button>
        </div>`
      : nothing}`;
  }

  #banner() {
    const status = this.ck?.status ?? 'offline';
    // "Offline" is news only after a connection was tried (not for a store opened to paint).
    if (status === 'offline' && !this.#triedConnect) return nothing;
    if (status === 'online') {
      return this._backOnline
        ? html`<div part="banner" class="banner" data-status="online" role="status">${this.t('status.online')}</div>`
        : nothing;
    }
    return html`<div part="banner" class="banner" data-status=${status} role="status">
      <span>${this.t(`status.${status}`)}</span>
      ${status === 'reconnecting'
        ? html`<button type="button" @click=${() => this.ck?.reconnectNow()}>${this.t('status.retry')}</button>`
        : nothing}
    </div>`;
  }

  #trackStatus(): void {
    const status = this.ck?.status;
    if (status === this.#lastStatus) return;
    const wasDown = this.#lastStatus === 'reconnecting';
    this.#lastStatus = status;
    if (status && status !== 'offline') this.#triedConnect = true;
    clearTimeout(this.#backOnlineTimer);
    this._backOnline = status === 'online' && wasDown;
    if (this._backOnline) this.#backOnlineTimer = setTimeout(() => (this._backOnline = false), BACK_ONLINE_MS);
  }

  #log(): HTMLElement | null {
    return this.renderRoot?.querySelector<HTMLElement>('.log') ?? null;
  }

  #onScroll = (): void => {
    const log = this.#log();
    const data = this.#data.value;
    if (!log || !data || log.scrollTop >= 80) return;
    if (data.messages.length < data.total) {
      if (data.messages.length >= this._limit) this._limit += PAGE;
    } else if (!data.conversation?.historyComplete) {
      void this.#loadEarlier();
    }
  };

  /** Pages older messages in from the server archive, once at a time. */
  async #loadEarlier(): Promise<void> {
    const kit = this.ck;
    const id = this.conversation;
    if (!kit || !id || this._loading || kit.status !== 'online') return;
    this._loading = true;
    try {
      const added = await kit.loadEarlier(id);
      if (added > 0 && this.conversation === id) this._limit += added;
    } catch (err) {
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    } finally {
      this._loading = false;
    }
  }

  #onKeydown = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void this.#send();
    }
  };

  #onSubmit = (e: SubmitEvent): void => {
    e.preventDefault();
    void this.#send();
  };

  async #send(): Promise<void> {
    const kit = this.ck;
    const text = this._draft;
    if (!kit || !this.conversation || text.trim() === '') return;
    this._draft = '';
    try {
      await kit.send(this.conversation, text);
    } catch (err) {
      // Nothing was queued: give the text back rather than lose it.
      this._draft = text;
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    }
  }

  #openProfile(userId: string): void {
    this.dispatchEvent(new CkOpenProfileEvent(userId));
  }

  #onVisibility = (): void => {
    this.requestUpdate();
    if (!isSeen()) this.#setViewing(undefined);
  };

  #setViewing(id: string | undefined): void {
    if (id === this.#viewingKey) return;
    this.#endViewing?.();
    this.#endViewing = undefined;
    this.#viewingKey = id;
    if (id && this.ck) this.#endViewing = this.ck.viewing(id);
  }
}

customElements.define('ck-chat-view', CkChatView);

declare global {
  interface HTMLElementTagNameMap {
    'ck-chat-view': CkChatView;
  }
}
