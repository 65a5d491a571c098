import { html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { cssProps } from '../shared/css-props.js';
import { repeat } from 'lit/directives/repeat.js';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName, presenceText } from '../shared/people.js';
import { icons } from '../shared/icons.js';
import { styles } from './chat-view.styles.js';
import { messageRow, type RowContext } from './message-row.js';
import { onLongPress, type Press } from './press.js';
import {
  INITIAL,
  LATEST,
  newerWindow,
  olderWindow,
  readWindow,
  sameWindow,
  type MessageWindow,
  type WindowData,
} from './message-window.js';
import { profilesById, roomMembers } from '../../store/queries.js';
import '../members/members.js';
import { blockedIds, isBlockedId } from '../../store/contacts.js';
import type { ChatDB } from '../../store/schema.js';
import type { ContactRecord, ConversationRecord, MemberRecord, Mention, PresenceRecord, ProfileRecord } from '../../store/records.js';
import { CkErrorEvent, CkOpenProfileEvent } from '../../kit/events.js';
import type { ConnectionStatus } from '../../kit/types.js';
import { formatDaySeparator, isSameDay } from '../../render/dates.js';
import { MAX_RENDER_CHARS } from '../../render/text.js';

/** Within this many px of the bottom the log counts as "at the latest message" and follows new ones. */
const STICK_PX = 48;
/** Within this many px of an end of the log, the window steps further that way. */
const EDGE_PX = 600;
const BACK_ONLINE_MS = 3000;
/** A pull of this many px down from the top of the log loads older messages (touch). */
const PULL_PX = 60;

/** Messages count as seen only in a visible tab that has focus. */
function isSeen(): boolean {
  return document.visibilityState === 'visible' && document.hasFocus();
}

interface ViewData extends WindowData {
  /** What this was read for (a stale result may belong to another conversation or window). */
  id: string | null;
  window: MessageWindow;
  conversation?: ConversationRecord;
  profiles: Map<string, ProfileRecord>;
  contact?: ContactRecord;
  presence?: PresenceRecord;
  /** Group members (for the @-mention picker). */
  members: MemberRecord[];
  /** Blocked senders (hidden from the log). */
  hidden: ReadonlySet<string>;
}

interface Anchor {
  id: string;
  /** Distance from the log's top edge to the row's top, in px. */
  offset: number;
}

/**
 * One conversation: header, message log with day separators, own and peer
 * bubbles with delivery state, a connection banner, and the composer (Enter
 * sends, Shift+Enter starts a new line). The log holds a window of at most a
 * few hundred rows of a conversation of any length: scrolling steps the window
 * through the store (and, past its start, through the server archive) while the
 * message under the reader's eyes stays where it is.
 *
 * @summary Chat view.
 * @fires ck-open-profile - the header avatar or name was activated (`event.userId`)
 * @fires ck-error - a send was refused (the text stays in the composer)
 * @slot empty - shown when no conversation is set
 * @slot header-start - content before the avatar (e.g. a back button)
 * @slot header-actions - extra buttons at the end of the header
 * @slot composer-actions - extra buttons beside the send button (e.g. an app's attachment or emoji button)
 * @slot footer - content under the composer (e.g. a disclaimer or an app's quick replies)
 * @csspart header - the header bar
 * @csspart avatar - the header avatar and message avatars
 * @csspart title - the conversation name
 * @csspart status - the peer's presence or last-seen line under the name
 * @csspart block-button - blocks or unblocks the peer (1:1)
 * @csspart members-button - shows the members panel (groups)
 * @csspart leave-button - leaves the group
 * @csspart details - the members panel (a `<ck-members>`)
 * @csspart mention-picker - the member list that typing "@" opens in groups
 * @csspart show-all - shows the whole of a message cut for length (see the `maxDisplayChars` option)
 * @csspart message-menu - a message's menu (right click or long press): copy, resend, delete
 * @csspart banner - the connection status banner
 * @csspart log - the scrolling message log (`role="log"`)
 * @csspart loading - the spinner while older messages load
 * @csspart day - a day separator
 * @csspart message - one message row (also `system` for system lines)
 * @csspart sender - the sender's name above a bubble in groups
 * @csspart unread-separator - the "New messages" line
 * @csspart jump-button - "jump to the latest message", with the count of new ones
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
    _window: { state: true },
    _draft: { state: true },
    _backOnline: { state: true },
    _loading: { state: true },
    _atBottom: { state: true },
    _unseen: { state: true },
    _showMembers: { state: true },
    _mention: { state: true },
    _menu: { state: true },
  };

  /** Id of the conversation shown: the peer's or the room's bare JID. */
  declare conversation: string | null;
  declare _window: MessageWindow;
  declare _draft: string;
  declare _backOnline: boolean;
  declare _loading: boolean;
  declare _atBottom: boolean;
  declare _unseen: number;
  declare _showMembers: boolean;
  /** The @-mention being typed: where its '@' is and the text after it. */
  declare _mention: { at: number; query: string; active: number } | null;
  /** The message whose menu is open, and where. */
  declare _menu: { id: string; x: number; y: number } | null;

  #live = new LiveQueryController<ViewData>(
    this,
    (db) => this.#load(db),
    () => [this.conversation, this._window],
  );
  /** The data rendered last (to tell a new result from a re-render for other reasons). */
  #rendered: ViewData | undefined;
  #anchor: Anchor | undefined;
  #stick = true;
  /** A window step is on its way: no further step until its data arrives. */
  #stepping = false;
  #scrollFrame = 0;
  #firstUnread: { conversation: string; id: string | undefined } | undefined;
  #lastStatus: ConnectionStatus | undefined;
  #triedConnect = false;
  #backOnlineTimer: ReturnType<typeof setTimeout> | undefined;
  #endViewing: (() => void) | undefined;
  #viewingKey: string | undefined;
  /** The conversation whose short history was already topped up from the archive. */
  #autoLoaded: string | null = null;
  /** The newest peer message already reported as displayed. */
  #reported: string | undefined;
  /** Mentions inserted in the draft, as XEP-0372 ranges (code points). */
  #mentions: Mention[] = [];
  #draftTimer: ReturnType<typeof setTimeout> | undefined;
  #stopLongPress: (() => void) | undefined;
  /** Long messages the reader expanded. */
  #expanded = new Set<string>();
  /** Where a pull-down at the top of the log began (touch). */
  #pullFrom: number | undefined;
  /** The conversation whose saved draft was put in the composer. */
  #draftLoaded: string | null = null;

  constructor() {
    super();
    this.conversation = null;
    this._window = LATEST;
    this._draft = '';
    this._backOnline = false;
    this._loading = false;
    this._atBottom = true;
    this._unseen = 0;
    this._showMembers = false;
    this._mention = null;
    this._menu = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('focus', this.#onVisibility);
    window.addEventListener('blur', this.#onVisibility);
    window.visualViewport?.addEventListener('resize', this.#onViewport);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('focus', this.#onVisibility);
    window.removeEventListener('blur', this.#onVisibility);
    window.visualViewport?.removeEventListener('resize', this.#onViewport);
    this.#stopLongPress?.();
    this.#stopLongPress = undefined;
    cancelAnimationFrame(this.#scrollFrame);
    this.#setViewing(undefined);
    clearTimeout(this.#backOnlineTimer);
  }

  /** Shows the newest messages and follows new ones. */
  scrollToLatest(): void {
    this.#stick = true;
    this._unseen = 0;
    if (sameWindow(this._window, LATEST)) {
      const log = this.#log();
      if (log) log.scrollTop = log.scrollHeight;
      this._atBottom = true;
    } else {
      this._window = LATEST;
    }
  }

  /** The live data, if it is for the conversation shown now. */
  get #data(): ViewData | undefined {
    const value = this.#live.value;
    return value && value.id === this.conversation ? value : undefined;
  }

  async #load(db: ChatDB): Promise<ViewData> {
    const id = this.conversation;
    const window = this._window;
    const kit = this.ck;
    const none = { id, window, rows: [], before: 0, after: 0, total: 0, reachesLatest: true, profiles: new Map(), hidden: new Set<string>(), members: [] };
    if (!id || !kit) return none;
    const hidden = await blockedIds(db);
    const [conversation, slice] = await Promise.all([db.conversations.get(id), readWindow(db, id, window, hidden)]);
    const peer = kit.userIdOf(id);
    const group = conversation?.type === 'group';
    const members = group ? await roomMembers(db, id) : [];
    const ids = new Set<string>(group ? members.map((m) => m.userId) : [peer]);
    for (const m of slice.rows) {
      if (!m.own) ids.add(m.from);
      if (m.system?.actor) ids.add(m.system.actor);
      if (m.system?.target) ids.add(m.system.target);
    }
    const [profiles, contact, presence] = await Promise.all([profilesById(db, [...ids]), db.contacts.get(peer), db.presence.get(peer)]);
    return { id, window, conversation, ...slice, profiles, contact, presence, hidden, members };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('conversation')) {
      this.#saveDraftNow(changed.get('conversation') as string | null | undefined);
      this._draft = '';
      this.#mentions = [];
      this._mention = null;
      this._showMembers = false;
      this._window = LATEST;
      this.#stick = true;
      this.#stepping = false;
      this._unseen = 0;
      this.#anchor = undefined;
      this.#rendered = undefined;
    }
    this.#trackStatus();
    const data = this.#data;
    if (data && data !== this.#rendered) {
      // Before the DOM changes: remember which message is at the top of the screen.
      const log = this.#log();
      this.#anchor = log && this.#rendered ? this.#topRow(log) : undefined;
      if (data.window === this._window) this.#stepping = false;
      const prev = this.#rendered;
      if (prev && (!this._atBottom || !data.reachesLatest)) this._unseen += Math.max(0, data.total - prev.total);
      this.#markFirstUnread(data);
      if (this.#draftLoaded !== data.id) {
        this.#draftLoaded = data.id;
        if (!this._draft && data.conversation?.draft) this._draft = data.conversation.draft;
      }
    }
  }

  protected override firstUpdated(): void {
    this.#bindLog();
  }

  /** Long-press opens a message's menu; a pull down at the top of the log loads older messages. */
  #bindLog(): void {
    const log = this.#log();
    if (!log || this.#stopLongPress) return;
    this.#stopLongPress = onLongPress(log, (press) => this.#openMenuFor(press));
    log.addEventListener('pointerdown', (e) => {
      this.#pullFrom = e.pointerType !== 'mouse' && log.scrollTop <= 0 ? e.clientY : undefined;
    });
    log.addEventListener('pointermove', (e) => {
      if (this.#pullFrom !== undefined && e.clientY - this.#pullFrom > PULL_PX) {
        this.#pullFrom = undefined;
        this.#pullEarlier();
      }
    });
    log.addEventListener('pointerup', () => (this.#pullFrom = undefined));
  }

  protected override updated(): void {
    if (!this.#stopLongPress) this.#bindLog();
    const data = this.#data;
    const kit = this.ck;
    const log = this.#log();
    if (log && data && data !== this.#rendered) {
      const prev = this.#rendered;
      this.#rendered = data;
      const last = data.rows[data.rows.length - 1];
      const ownNew = !!last?.own && last.id !== prev?.rows[prev.rows.length - 1]?.id && data.reachesLatest;
      if (!prev || ownNew || (this.#stick && data.reachesLatest)) {
        log.scrollTop = log.scrollHeight;
        this.#stick = true;
        this._atBottom = true;
        this._unseen = 0;
      } else if (this.#anchor) {
        const row = log.querySelector<HTMLElement>(`[data-id="${CSS.escape(this.#anchor.id)}"]`);
        if (row) log.scrollTop += row.getBoundingClientRect().top - log.getBoundingClientRect().top - this.#anchor.offset;
      }
      this.#anchor = undefined;
      // A short window may not fill the screen: keep stepping until it does or the store ends.
      this.#onScroll();
    }
    if (!kit || !data || !this.conversation) return;
    const seen = isSeen();
    this.#setViewing(seen ? this.conversation : undefined);
    const lastPeer = [...data.rows].reverse().find((m) => !m.own && m.kind !== 'system');
    const unreported = data.reachesLatest && lastPeer && lastPeer.state !== 'read' && lastPeer.id !== this.#reported;
    if (seen && ((data.conversation?.unread ?? 0) > 0 || unreported)) {
      this.#reported = lastPeer?.id;
      void kit.markRead(this.conversation);
    }
    // A conversation with little stored history (a new device) fills from the archive at once.
    if (
      this.#autoLoaded !== this.conversation &&
      data.total < INITIAL &&
      data.conversation &&
      !data.conversation.historyComplete &&
      kit.status === 'online'
    ) {
      this.#autoLoaded = this.conversation;
      void this.#loadEarlier();
    }
    if (data.conversation?.type !== 'group' && (!data.presence || data.presence.show === 'offline')) {
      kit.requestLastSeen([kit.userIdOf(this.conversation)]);
    }
    const missing = [...new Set([kit.userIdOf(this.conversation), ...data.rows.filter((m) => !m.own).map((m) => m.from)])].filter(
      (id) => !data.profiles.has(id),
    );
    if (missing.length) kit.requestProfiles(missing);
  }

  override render() {
    if (!this.conversation) {
      return html`<slot name="empty"><p class="empty">${this.t('view.empty')}</p></slot>`;
    }
    const data = this.#data;
    const kit = this.ck;
    const peer = kit?.userIdOf(this.conversation) ?? this.conversation;
    const profile = data?.profiles.get(peer);
    const group = data?.conversation?.type === 'group';
    const name = group ? (data?.conversation?.name ?? this.conversation) : displayName(peer, profile, data?.contact);
    const showJump = !!data && (!this._atBottom || !data.reachesLatest);
    return html`
      <header part="header">
        <slot name="header-start"></slot>
        <span class="profile-link" @click=${() => !group && this.#openProfile(peer)}
          >${avatar(peer, name, group ? undefined : profile, group ? undefined : data?.presence)}</span
        >
        <span class="heading">
          <span part="title" class="title" dir="auto" @click=${() => !group && this.#openProfile(peer)}
            >${name ?? html`<span class="placeholder" role="img" aria-label=${this.t('profile.loading')}></span>`}</span
          >
          ${!group && data?.presence
            ? html`<span part="status" class="status" dir="auto">${presenceText(data.presence, kit?.locale ?? 'en')}</span>`
            : nothing}
          ${group && data?.conversation?.subject
            ? html`<span part="status" class="status" dir="auto" title=${this.t('group.subject')}>${data.conversation.subject}</span>`
            : nothing}
        </span>
        <slot name="header-actions"></slot>
        ${!group && kit && data ? this.#blockButton(peer, isBlockedId(data.hidden, peer)) : nothing}
        ${group && data && !data.conversation?.left && !data.conversation?.invitePending
          ? html`<button
                part="members-button"
                class="header-button"
                type="button"
                aria-expanded=${this._showMembers ? 'true' : 'false'}
                aria-controls="details"
                @click=${() => (this._showMembers = !this._showMembers)}
              >
                ${this.t('members.label')}
              </button>
              <button part="leave-button" class="header-button" type="button" @click=${() => this.#leave()}>${this.t('group.leave')}</button>`
          : nothing}
      </header>
      ${this.#banner()} ${data?.conversation ? this.#groupBanner(data.conversation) : nothing}
      ${kit?.storage === 'memory' && kit.options.storage !== 'memory'
        ? html`<div part="banner" class="banner" data-status="storage" role="status">${this.t('view.memoryOnly')}</div>`
        : nothing}
      ${group && this._showMembers
        ? html`<aside part="details" id="details" class="details"><ck-members .kit=${this.kit} conversation=${this.conversation}></ck-members></aside>`
        : nothing}
      <div class="log-wrap">
        <div
          part="log"
          class="log"
          role="log"
          aria-live="polite"
          aria-label=${this.t('view.log')}
          tabindex="0"
          @scroll=${this.#onScrollEvent}
          @contextmenu=${this.#onContextMenu}
        >
          ${data ? this.#messages(data) : nothing}
        </div>
        ${this.#messageMenu(data)}
        ${this._loading
          ? html`<div part="loading" class="loading" role="status" aria-label=${this.t('view.loadEarlier')}><span class="spinner"></span></div>`
          : nothing}
        ${showJump
          ? html`<button part="jump-button" class="jump" type="button" aria-label=${this.t('view.jumpLatest')} @click=${() => this.scrollToLatest()}>
              ${this._unseen > 0 ? html`<span>${this.t('view.newMessages', { count: this._unseen })}</span>` : nothing}${icons.down}
            </button>`
          : nothing}
      </div>
      ${this.#mentionPicker(data)}
      <form part="composer" @submit=${this.#onSubmit}>
        <textarea
          part="input"
          rows="1"
          aria-label=${this.t('view.input')}
          placeholder=${this.t('view.placeholder')}
          ?disabled=${!!(data?.conversation?.left || data?.conversation?.invitePending)}
          aria-autocomplete=${group ? 'list' : nothing}
          aria-controls=${this._mention ? 'mentions' : nothing}
          .value=${live(this._draft)}
          @input=${this.#onInput}
          @keydown=${this.#onKeydown}
        ></textarea>
        <slot name="composer-actions"></slot>
        <button part="send-button" class="send" type="submit" aria-label=${this.t('view.send')} ?disabled=${this._draft.trim() === ''}>
          ${icons.send}
        </button>
      </form>
      <slot name="footer"></slot>
    `;
  }

  #messages(data: ViewData) {
    if (data.rows.length === 0) return html`<p class="empty">${this.t('view.noMessages')}</p>`;
    const kit = this.ck;
    const locale = kit?.locale ?? 'en';
    const now = Date.now();
    const group = data.conversation?.type === 'group';
    const firstUnread = this.#firstUnread?.conversation === data.id ? this.#firstUnread.id : undefined;
    const ctx: RowContext = {
      locale,
      t: (key, params) => this.t(key, params),
      resend: (id) => void kit?.resend(id),
      remove: (id) => void kit?.deleteMessage(id),
      nameOf: (id) => (id === kit?.clientId ? this.t('members.you') : (displayName(id, data.profiles.get(id)) ?? id)),
      maxChars: kit?.options.maxDisplayChars ?? MAX_RENDER_CHARS,
      expanded: this.#expanded,
      expand: (id) => {
        this.#expanded.add(id);
        this.requestUpdate();
      },
      selfUri: kit?.clientId ? kit.mentionUri(kit.clientId) : undefined,
      // TODO(rich messages, composer engineer): real implementations replace these placeholders.
      cancelUpload: () => undefined,
      jumpTo: () => undefined,
      toggleReaction: () => undefined,
      openImage: () => undefined,
      selfId: kit?.clientId ?? undefined,
      renderCustom: () => undefined,
    };
    const items = data.rows.map((m, i) => ({ m, i, prev: i > 0 ? data.rows[i - 1] : undefined }));
    return repeat(
      items,
      ({ m }) => m.id,
      ({ m, i, prev }) => {
        // The window's first row always gets its day line: dropping it when older rows come
        // in above is then a change above the anchor, which the scroll restore absorbs.
        const day = !prev || !isSameDay(prev.ts, m.ts);
        const sender =
          group && !m.own && m.kind !== 'system' && prev?.from !== m.from
            ? (displayName(m.from, data.profiles.get(m.from)) ?? m.from)
            : undefined;
        // Fixed slots (day, unread line, row): separators coming and going never re-create the row.
        return html`${day ? html`<div part="day" class="day" role="separator">${formatDaySeparator(m.ts, now, locale)}</div>` : nothing}${m.id ===
        firstUnread
          ? html`<div part="unread-separator" class="unread-separator" role="separator">${this.t('view.unreadSeparator')}</div>`
          : nothing}${messageRow(m, data.before + i + 1, data.total, { ...ctx, sender })}`;
      },
    );
  }

  #onContextMenu = (e: MouseEvent): void => {
    if (this.#openMenuFor({ path: e.composedPath(), x: e.clientX, y: e.clientY })) e.preventDefault();
  };

  /** Opens the menu of the message the press was on; false when there is none. */
  #openMenuFor({ path, x, y }: Press): boolean {
    const row = path.find((el): el is HTMLElement => el instanceof HTMLElement && !!el.dataset.id && el.getAttribute('part') === 'message');
    const wrap = this.renderRoot.querySelector<HTMLElement>('.log-wrap');
    if (!row || !wrap) return false;
    const box = wrap.getBoundingClientRect();
    this._menu = { id: row.dataset.id!, x: Math.max(0, Math.min(x - box.left, box.width - 180)), y: Math.max(0, Math.min(y - box.top, box.height - 140)) };
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('[part=message-menu] [role=menuitem]')?.focus());
    return true;
  }

  #closeMenu(): void {
    this._menu = null;
  }

  /** Copy, resend and delete for one message (what a right click or a long press offers). */
  #messageMenu(data: ViewData | undefined) {
    const open = this._menu;
    const m = open && data?.rows.find((r) => r.id === open.id);
    if (!open || !m) return nothing;
    const kit = this.ck;
    const act = (fn: () => unknown) => () => {
      this.#closeMenu();
      void Promise.resolve(fn()).catch((err: unknown) => this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err)))));
    };
    return html`<div class="menu-backdrop" @click=${() => this.#closeMenu()} @contextmenu=${(e: Event) => (e.preventDefault(), this.#closeMenu())}></div>
      <div
        part="message-menu"
        class="menu"
        role="menu"
        aria-label=${this.t('view.messageMenu')}
        ${cssProps({ insetInlineStart: `${open.x}px`, insetBlockStart: `${open.y}px` })}
        @keydown=${(e: KeyboardEvent) => this.#onMenuKey(e)}
      >
        <button role="menuitem" type="button" @click=${act(() => navigator.clipboard?.writeText(m.body))}>${this.t('view.copy')}</button>
        ${m.own && m.state === 'failed'
          ? html`<button role="menuitem" type="button" @click=${act(() => kit?.resend(m.id))}>${this.t('view.resend')}</button>`
          : nothing}
        <button role="menuitem" type="button" @click=${act(() => kit?.deleteMessage(m.id))}>${this.t('view.delete')}</button>
      </div>`;
  }

  #onMenuKey(e: KeyboardEvent): void {
    const items = [...this.renderRoot.querySelectorAll<HTMLElement>('[part=message-menu] [role=menuitem]')];
    const i = items.indexOf(e.composedPath()[0] as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      this.#closeMenu();
      this.#log()?.focus();
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      items[(i + (e.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length]?.focus();
    }
  }

  /** A pull down at the top: older messages from the store, else from the archive. */
  #pullEarlier(): void {
    const data = this.#data;
    const db = this.ck?.db;
    if (!data || !db || !this.conversation) return;
    if (data.before > 0) this.#step(olderWindow(db, this.conversation, data.rows, this._window, data.hidden));
    else if (!data.conversation?.historyComplete) void this.#loadEarlier();
  }

  /** An invitation waiting for an answer, or a group the user is no longer in. */
  #groupBanner(c: ConversationRecord) {
    if (c.type !== 'group') return nothing;
    const data = this.#data;
    const nameOf = (id: string) => displayName(id, data?.profiles.get(id)) ?? id;
    if (c.invitePending) {
      return html`<div part="banner" class="banner" data-status="invite" role="status">
        <span>${this.t('group.invitePending', { actor: c.invitedBy ? nameOf(this.ck?.userIdOf(c.invitedBy) ?? c.invitedBy) : '' })}</span>
        <button type="button" @click=${() => this.#run(() => this.ck!.acceptInvite(c.id))}>${this.t('group.accept')}</button>
        <button type="button" @click=${() => this.#run(() => this.ck!.declineInvite(c.id))}>${this.t('group.decline')}</button>
      </div>`;
    }
    if (c.left) {
      const reason = c.leftReason === 'kicked' || c.leftReason === 'destroyed' ? c.leftReason : 'left';
      return html`<div part="banner" class="banner" data-status="left" role="status">${this.t(`group.${reason}`)}</div>`;
    }
    return nothing;
  }

  #leave(): void {
    const id = this.conversation;
    if (id) this.#run(() => this.ck!.leave(id));
  }

  #run(action: () => Promise<unknown>): void {
    if (!this.ck) return;
    action().catch((err: unknown) => this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err)))));
  }

  /** Members matching the @-mention being typed. */
  #mentionCandidates(data: ViewData | undefined): MemberRecord[] {
    const m = this._mention;
    const kit = this.ck;
    if (!m || !data || data.conversation?.type !== 'group') return [];
    const q = m.query.toLowerCase();
    return data.members
      .filter((x) => x.userId !== kit?.clientId)
      .filter((x) => {
        const name = displayName(x.userId, data.profiles.get(x.userId)) ?? x.userId;
        return !q || name.toLowerCase().includes(q) || x.userId.toLowerCase().startsWith(q);
      })
      .slice(0, 8);
  }

  #mentionPicker(data: ViewData | undefined) {
    const candidates = this.#mentionCandidates(data);
    if (!candidates.length) return nothing;
    const active = Math.min(this._mention?.active ?? 0, candidates.length - 1);
    return html`<ul part="mention-picker" id="mentions" class="mentions" role="listbox" aria-label=${this.t('members.label')}>
      ${candidates.map((c, i) => {
        const name = displayName(c.userId, data?.profiles.get(c.userId)) ?? c.userId;
        return html`<li
          role="option"
          aria-selected=${i === active ? 'true' : 'false'}
          @mousedown=${(e: Event) => {
            e.preventDefault();
            this.#insertMention(c.userId, name);
          }}
        >
          ${avatar(c.userId, name, data?.profiles.get(c.userId))}<span dir="auto">${name}</span>
        </li>`;
      })}
    </ul>`;
  }

  #onInput = (e: InputEvent): void => {
    const area = e.target as HTMLTextAreaElement;
    this._draft = area.value;
    // An '@' at a word start, followed by no whitespace, up to the caret: a mention being typed.
    const before = area.value.slice(0, area.selectionStart ?? area.value.length);
    const match = /(^|\s)@([^\s@]{0,32})$/u.exec(before);
    this._mention = match && this.#data?.conversation?.type === 'group' ? { at: before.length - match[2]!.length - 1, query: match[2]!, active: 0 } : null;
    this.#saveDraftSoon();
  };

  #insertMention(userId: string, name: string): void {
    const m = this._mention;
    const kit = this.ck;
    if (!m || !kit) return;
    const area = this.renderRoot.querySelector<HTMLTextAreaElement>('textarea');
    const caret = area?.selectionStart ?? this._draft.length;
    const label = `@${name}`;
    const text = `${this._draft.slice(0, m.at)}${label} ${this._draft.slice(caret)}`;
    const begin = [...this._draft.slice(0, m.at)].length;
    this.#mentions.push({ begin, end: begin + [...label].length, uri: kit.mentionUri(userId) });
    this._draft = text;
    this._mention = null;
    void this.updateComplete.then(() => {
      const pos = m.at + label.length + 1;
      area?.focus();
      area?.setSelectionRange(pos, pos);
    });
    this.#saveDraftSoon();
  }

  /** Mentions whose text is still where it was inserted (editing may have moved or broken them). */
  #validMentions(text: string): Mention[] {
    const points = [...text];
    return this.#mentions.filter((m) => {
      const span = points.slice(m.begin, m.end).join('');
      return span.startsWith('@') && span.length > 1;
    });
  }

  #saveDraftSoon(): void {
    clearTimeout(this.#draftTimer);
    const id = this.conversation;
    this.#draftTimer = setTimeout(() => {
      if (id && id === this.conversation) void this.ck?.setDraft(id, this._draft).catch(() => undefined);
    }, 400);
  }

  #saveDraftNow(id: string | null | undefined): void {
    clearTimeout(this.#draftTimer);
    // Leaving a conversation keeps what was typed in it.
    if (id && this.#draftLoaded === id) void this.ck?.setDraft(id, this._draft).catch(() => undefined);
    this.#draftLoaded = null;
  }

  #blockButton(peer: string, blocked: boolean) {
    const label = this.t(blocked ? 'contact.unblock' : 'contact.block');
    return html`<button part="block-button" class="header-button" type="button" aria-pressed=${blocked ? 'true' : 'false'} @click=${() => this.#toggleBlock(peer, blocked)}>
      ${label}
    </button>`;
  }

  async #toggleBlock(peer: string, blocked: boolean): Promise<void> {
    const kit = this.ck;
    if (!kit) return;
    try {
      await (blocked ? kit.unblock(peer) : kit.block(peer));
    } catch (err) {
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    }
  }

  /** Remembers where "New messages" goes when a conversation opens with unread ones. */
  #markFirstUnread(data: ViewData): void {
    if (this.#firstUnread?.conversation === data.id || !data.id || !data.conversation) return;
    let unread = data.conversation.unread;
    let id: string | undefined;
    for (let i = data.rows.length - 1; i >= 0 && unread > 0; i--) {
      const m = data.rows[i]!;
      if (!m.own && m.kind !== 'system') {
        id = m.id;
        unread--;
      }
    }
    this.#firstUnread = { conversation: data.id, id };
  }

  #topRow(log: HTMLElement): Anchor | undefined {
    const top = log.getBoundingClientRect().top;
    for (const el of log.querySelectorAll<HTMLElement>('[data-id]')) {
      const r = el.getBoundingClientRect();
      if (r.bottom > top) return { id: el.dataset.id!, offset: r.top - top };
    }
    return undefined;
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

  #onScrollEvent = (): void => {
    if (this.#scrollFrame) return;
    this.#scrollFrame = requestAnimationFrame(() => {
      this.#scrollFrame = 0;
      this.#onScroll();
    });
  };

  /** Tracks "at the bottom" and steps the window when the reader nears one of its ends. */
  #onScroll(): void {
    const log = this.#log();
    const data = this.#data;
    const db = this.ck?.db;
    if (!log || !data || !db || !this.conversation) return;
    // Until the requested window arrives, the DOM shows the old one: judge nothing by it.
    if (this.#stepping || data.window !== this._window) return;
    const fromBottom = log.scrollHeight - log.scrollTop - log.clientHeight;
    const atBottom = fromBottom <= STICK_PX;
    this.#stick = atBottom && data.reachesLatest;
    if (atBottom !== this._atBottom) this._atBottom = atBottom;
    if (this.#stick && this._unseen) this._unseen = 0;
    const id = this.conversation;
    if (log.scrollTop < EDGE_PX) {
      if (data.before > 0) {
        this.#step(olderWindow(db, id, data.rows, this._window, data.hidden));
        return;
      }
      if (!data.conversation?.historyComplete && log.scrollTop < STICK_PX * 2) void this.#loadEarlier();
    }
    if (fromBottom < EDGE_PX && !data.reachesLatest) this.#step(newerWindow(db, id, data.rows, data.hidden));
  }

  #step(next: Promise<MessageWindow | null>): void {
    this.#stepping = true;
    const conversation = this.conversation;
    next
      .then((w) => {
        if (w && conversation === this.conversation && !sameWindow(w, this._window)) this._window = w;
        else this.#stepping = false;
      })
      .catch(() => (this.#stepping = false));
  }

  /** Pages older messages in from the server archive, once at a time. */
  async #loadEarlier(): Promise<void> {
    const kit = this.ck;
    const id = this.conversation;
    if (!kit || !id || this._loading || kit.status !== 'online') return;
    this._loading = true;
    try {
      const added = await kit.loadEarlier(id);
      // The older messages are in the store now: step the window onto them.
      if (added > 0 && this.conversation === id) this.#onScroll();
    } catch (err) {
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    } finally {
      this._loading = false;
    }
  }

  #onKeydown = (e: KeyboardEvent): void => {
    const candidates = this.#mentionCandidates(this.#data);
    if (this._mention && candidates.length) {
      const active = Math.min(this._mention.active, candidates.length - 1);
      if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        const next = (active + (e.key === 'ArrowDown' ? 1 : candidates.length - 1)) % candidates.length;
        this._mention = { ...this._mention, active: next };
        return;
      }
      if ((e.key === 'Enter' && !e.isComposing) || e.key === 'Tab') {
        e.preventDefault();
        const c = candidates[active]!;
        this.#insertMention(c.userId, displayName(c.userId, this.#data?.profiles.get(c.userId)) ?? c.userId);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        this._mention = null;
        return;
      }
    }
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
    const id = this.conversation;
    const mentions = this.#validMentions(text);
    this._draft = '';
    this.#mentions = [];
    this._mention = null;
    clearTimeout(this.#draftTimer);
    // Sending shows the newest messages, wherever the reader was.
    this.scrollToLatest();
    try {
      await kit.send(id, text, mentions.length ? { mentions } : {});
      void kit.setDraft(id, '').catch(() => undefined);
    } catch (err) {
      // Nothing was queued: give the text back rather than lose it.
      this._draft = text;
      this.#mentions = mentions;
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    }
  }

  #openProfile(userId: string): void {
    this.dispatchEvent(new CkOpenProfileEvent(userId));
  }

  /** The soft keyboard opening shrinks the log: a reader at the latest message stays there. */
  #onViewport = (): void => {
    if (!this.#stick) return;
    requestAnimationFrame(() => {
      const log = this.#log();
      if (log && this.#stick) log.scrollTop = log.scrollHeight;
    });
  };

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
