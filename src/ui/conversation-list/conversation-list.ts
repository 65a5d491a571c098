import { html, nothing } from 'lit';
import { repeat } from '../shared/repeat.js';
import { cssProps } from '../shared/css-props.js';
import { FixedVirtualizer } from '../base/fixed-virtualizer.js';
import { icons } from '../shared/icons.js';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName } from '../shared/people.js';
import { styles } from './conversation-list.styles.js';
import type { ConversationRecord } from '../../store/records.js';
import { CkErrorEvent, CkOpenProfileEvent, CkSelectEvent } from '../../kit/events.js';
import { formatListTime, prepareDateFormats } from '../../render/dates.js';
import { plainPreview } from '../../render/text.js';
import { previewText } from '../../render/preview.js';
import { describeSystemEvent } from '../../render/system.js';
import { detailBucket, loadListData, type ListData } from './list-data.js';
import { whenIdle } from '../base/idle.js';

/** Every row has this height (px), which lets the list render only what is on screen. */
const ROW_HEIGHT = 68;
/** A horizontal drag this long (px) opens or closes a row's actions. */
const SWIPE_PX = 40;

/**
 * The user's conversations, most recent first, with avatar, name, last-message
 * preview, time and unread count. Arrow keys move between rows; Enter opens one.
 *
 * @summary Conversation list.
 * @fires ck-select - a conversation was chosen (`event.conversationId`)
 * @slot empty - shown when there are no conversations
 * @csspart list - the list element
 * @csspart item - one conversation row
 * @csspart avatar - a row's avatar
 * @csspart name - a row's title
 * @csspart preview - a row's last-message preview
 * @csspart time - a row's time
 * @csspart badge - a row's unread count (a dot when muted)
 * @csspart marker - "[Mention]" / "[Draft]" before a preview
 * @csspart row-actions - pin, mute and delete for a row, shown by a swipe left or a right click
 * @fires ck-open-profile - a 1:1 row's avatar was clicked (`event.userId`)
 * @cssproperty [--ck-color-selected=#dbeafe] - background of the selected row
 * @cssproperty [--ck-color-badge=#dc2626] - unread badge background
 */
export class CkConversationList extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    selected: { type: String, reflect: true },
    _actions: { state: true },
  };

  /** Id of the highlighted conversation. */
  declare selected: string | null;
  /** The conversation whose actions (pin, mute, delete) are shown. */
  declare _actions: string | null;

  #data = new LiveQueryController<ListData>(
    this,
    (db) => loadListData(db, this.#detailBucket(), (jid) => this.ck?.userIdOf(jid) ?? jid, !this.#full),
    () => [...this.#detailBucket(), this.#full],
  );
  /** False until the first screen has painted: until then only the top rows are read. */
  #full = false;
  #cancelIdle: (() => void) | undefined;
  #virtual = new FixedVirtualizer(this, ROW_HEIGHT);
  #focus = 0;
  #pendingFocus: number | undefined;

  #swipe: { id: string; x: number; y: number } | undefined;

  constructor() {
    super();
    this.selected = null;
    this._actions = null;
  }

  /**
   * Names, avatars and presence are read only for rows near the screen: a list of thousands
   * paints as fast as a list of twenty.
   */
  #detailBucket(): [number, number] {
    const { start, end } = this.#virtual?.range ?? { start: 0, end: 0 };
    return detailBucket(start, end);
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    // The first rows arrive before the list has a layout: size the window now (a tall screen
    // until measured) so this very render shows them, instead of an empty pass first.
    const count = this.#data.value?.total ?? 0;
    if (count && this.#virtual.range.end === 0) this.#virtual.attach(this.renderRoot.querySelector<HTMLElement>('.scroller'), count);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // While the store opens the page is idle: build the time formatters then (see dates.ts).
    setTimeout(() => prepareDateFormats(this.ck?.locale ?? 'en'));
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#cancelIdle?.();
    this.#cancelIdle = undefined;
  }

  protected override updated(): void {
    const data = this.#data.value;
    this.#virtual.attach(this.renderRoot.querySelector<HTMLElement>('.scroller'), data?.total ?? 0);
    if (data && !this.#full) {
      // The first screen is up: read the whole list once the page has a moment, or now when
      // the reader already scrolled or jumped past the rows read so far.
      const readAll = (): void => {
        this.#cancelIdle?.();
        this.#full = true;
        this.requestUpdate();
      };
      if (this.#virtual.range.end > data.conversations.length) readAll();
      else this.#cancelIdle ??= whenIdle(readAll);
    }
    if (this.#pendingFocus !== undefined) {
      const row = this.renderRoot.querySelector<HTMLElement>(`li[data-index="${this.#pendingFocus}"]`);
      // A row beyond the first screen's read is focused once the whole list is in.
      if (row || data?.complete) this.#pendingFocus = undefined;
      row?.focus();
    }
    const kit = this.ck;
    if (!data || !kit) return;
    const { start, end } = this.#virtual.range;
    const missing: string[] = [];
    for (const c of data.conversations.slice(start, end)) {
      const id = c.type === 'chat' ? kit.userIdOf(c.id) : c.last && !c.last.own ? c.last.from : undefined;
      if (id && !data.profiles.has(id)) missing.push(id);
    }
    if (missing.length) kit.requestProfiles(missing);
  }

  override render() {
    const data = this.#data.value;
    if (!data) return html`<div class="scroller"><ul part="list" role="listbox" aria-label=${this.t('list.label')} aria-busy="true"></ul></div>`;
    if (data.conversations.length === 0) {
      return html`<slot name="empty"><p class="empty">${this.t('list.empty')}</p></slot>`;
    }
    const total = data.total;
    this.#focus = Math.min(this.#focus, total - 1);
    const selectedIndex = data.conversations.findIndex((c) => c.id === this.selected);
    if (selectedIndex >= 0 && !this.matches(':focus-within')) this.#focus = selectedIndex;
    const { start, end } = this.#virtual.range;
    // The roving tab stop must be a rendered row.
    const tabStop = this.#focus >= start && this.#focus < end ? this.#focus : start;
    const now = Date.now();
    const rows = data.conversations.slice(start, Math.min(end, data.conversations.length)).map((c, i) => ({ c, index: start + i }));
    return html`<div class="scroller">
      <ul
        part="list"
        role="listbox"
        aria-label=${this.t('list.label')}
        ${cssProps({ blockSize: `${total * ROW_HEIGHT}px`, paddingBlockStart: `${start * ROW_HEIGHT}px` })}
        @keydown=${this.#onKeydown}
      >
        ${repeat(
          rows,
          (r) => r.c.id,
          (r) => this.#row(r.c, r.index, total, data, now, tabStop),
        )}
      </ul>
      ${this.#actionsBar(data)}
    </div>`;
  }

  #row(c: ConversationRecord, index: number, total: number, data: ListData, now: number, tabStop: number) {
    const kit = this.ck;
    const userId = c.type === 'chat' ? (kit?.userIdOf(c.id) ?? c.id) : c.id;
    const profile = data.profiles.get(userId);
    const name = c.type === 'chat' ? displayName(userId, profile, data.contacts.get(userId)) : (c.name ?? c.id);
    const locale = kit?.locale ?? 'en';
    return html`<li
      part="item"
      role="option"
      class=${[c.pin ? 'pinned' : '', c.muted ? 'muted' : '', c.left ? 'left' : '', this._actions === c.id ? 'swiped' : ''].join(' ')}
      data-id=${c.id}
      data-index=${index}
      aria-selected=${c.id === this.selected ? 'true' : 'false'}
      aria-posinset=${index + 1}
      aria-setsize=${total}
      tabindex=${index === tabStop ? 0 : -1}
      @click=${() => (this._actions ? (this._actions = null) : this.#select(c.id, index))}
      @contextmenu=${(e: Event) => {
        e.preventDefault();
        this._actions = c.id;
      }}
      @pointerdown=${(e: PointerEvent) => (this.#swipe = e.pointerType === 'mouse' ? undefined : { id: c.id, x: e.clientX, y: e.clientY })}
      @pointermove=${this.#onSwipeMove}
      @pointerup=${() => (this.#swipe = undefined)}
    >
      <span class="avatar-button" @click=${(e: Event) => this.#openProfile(e, c, userId)}>${avatar(userId, name, profile, c.type === 'chat' ? data.presence.get(userId) : undefined)}</span>
      <div class="main">
        <div class="top">
          <span part="name" class="name" dir="auto">${name ?? html`<span class="placeholder" role="img" aria-label=${this.t('profile.loading')}></span>`}</span>
          ${c.pin ? html`<span class="flag" role="img" aria-label=${this.t('list.pinned')}>${icons.pin}</span>` : nothing}
          ${c.last ? html`<time part="time" class="time" datetime=${new Date(c.lastAt).toISOString()}>${formatListTime(c.lastAt, now, locale)}</time>` : nothing}
        </div>
        <div class="bottom">
          <span part="preview" dir="auto" class="preview ${c.last?.state === 'failed' ? 'failed' : ''}">${this.#preview(c, data)}</span>
          ${c.muted ? html`<span class="flag" role="img" aria-label=${this.t('list.muted')}>${icons.muted}</span>` : nothing}
          ${this.#badge(c)}
        </div>
      </div>
    </li>`;
  }

  #onSwipeMove = (e: PointerEvent): void => {
    const s = this.#swipe;
    if (!s) return;
    const dx = e.clientX - s.x;
    if (Math.abs(e.clientY - s.y) > 24) this.#swipe = undefined;
    else if (dx < -SWIPE_PX) {
      this.#swipe = undefined;
      this._actions = s.id;
    } else if (dx > SWIPE_PX && this._actions === s.id) {
      this.#swipe = undefined;
      this._actions = null;
    }
  };

  /**
   * Pin, mute and delete for one row, revealed by a swipe to the left (or a right click):
   * a toolbar beside the listbox, not buttons inside an option.
   */
  #actionsBar(data: ListData) {
    const id = this._actions;
    const index = id ? data.conversations.findIndex((c) => c.id === id) : -1;
    const c = data.conversations[index];
    const kit = this.ck;
    if (!c || !kit) return nothing;
    const run = (fn: () => Promise<unknown>) => () => {
      this._actions = null;
      fn().catch((err: unknown) => this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err)))));
    };
    return html`<div
      part="row-actions"
      class="row-actions"
      role="toolbar"
      aria-label=${this.t('list.actions')}
      ${cssProps({ insetBlockStart: `${index * ROW_HEIGHT}px`, blockSize: `${ROW_HEIGHT}px` })}
      @keydown=${(e: KeyboardEvent) => e.key === 'Escape' && (this._actions = null)}
    >
      <button type="button" @click=${run(() => kit.pin(c.id, !c.pin))}>${this.t(c.pin ? 'list.unpin' : 'list.pin')}</button>
      <button type="button" @click=${run(() => kit.mute(c.id, !c.muted))}>${this.t(c.muted ? 'list.unmute' : 'list.mute')}</button>
      <button type="button" class="danger" @click=${run(() => kit.hide(c.id))}>${this.t('list.delete')}</button>
    </div>`;
  }

  #preview(c: ConversationRecord, data: ListData) {
    const marker = c.mentioned
      ? html`<span part="marker" class="marker">${this.t('list.mention')}</span>`
      : c.draft
        ? html`<span part="marker" class="marker">${this.t('list.draft')}</span>`
        : nothing;
    if (c.draft && !c.mentioned) return html`${marker}${plainPreview(c.draft)}`;
    if (c.invitePending) return html`<span part="marker" class="marker">${this.t('list.invitation')}</span>`;
    const last = c.last;
    if (!last) return html`${marker}${this.t('list.noMessages')}`;
    if (last.kind === 'system' && last.system) {
      const locale = this.ck?.locale ?? 'en';
      const nameOf = (id: string) =>
        id === this.ck?.clientId ? this.t('members.you') : (displayName(id, data.profiles.get(id), data.contacts.get(id)) ?? id);
      return html`${marker}${describeSystemEvent(last.system, locale, nameOf)}`;
    }
    let who = '';
    if (last.own) who = this.t('list.you');
    else if (c.type === 'group') who = `${displayName(last.from, data.profiles.get(last.from), data.contacts.get(last.from)) ?? last.from}: `;
    const types = this.ck?.messageTypes;
    return html`${marker}${who}${previewText(last, { t: (key, params) => this.t(key, params), types })}`;
  }

  #badge(c: ConversationRecord) {
    if (c.unread <= 0) return nothing;
    // Muted conversations show that something is new, not how much.
    if (c.muted) return html`<span part="badge" class="badge dot" aria-label=${this.t('list.unread', { count: c.unread })}></span>`;
    return html`<span part="badge" class="badge" aria-label=${this.t('list.unread', { count: c.unread })}>${c.unread > 99 ? '99+' : c.unread}</span>`;
  }

  #openProfile(e: Event, c: ConversationRecord, userId: string): void {
    if (c.type !== 'chat') return;
    e.stopPropagation();
    this.dispatchEvent(new CkOpenProfileEvent(userId));
  }

  #select(id: string, index: number): void {
    this.#focus = index;
    this.selected = id;
    this.dispatchEvent(new CkSelectEvent(id));
  }

  #onKeydown = (e: KeyboardEvent): void => {
    const data = this.#data.value;
    const total = data?.total ?? 0;
    if (!data || total === 0) return;
    const row = (e.composedPath()[0] as HTMLElement).closest?.('li[role="option"]') as HTMLElement | null;
    const current = row ? Number(row.dataset.index) : this.#focus;
    let next = current;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(total - 1, current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, current - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = total - 1;
        break;
      case 'PageDown':
        next = Math.min(total - 1, current + 8);
        break;
      case 'PageUp':
        next = Math.max(0, current - 8);
        break;
      case 'Enter':
      case ' ': {
        const c = data.conversations[current];
        if (c) this.#select(c.id, current);
        e.preventDefault();
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    this.#focus = next;
    this.#pendingFocus = next;
    this.#virtual.reveal(next);
    this.requestUpdate();
  };
}

customElements.define('ck-conversation-list', CkConversationList);

declare global {
  interface HTMLElementTagNameMap {
    'ck-conversation-list': CkConversationList;
  }
}
