import { html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import { cssProps } from '../shared/css-props.js';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName, presenceLabel, presenceText } from '../shared/people.js';
import { icons } from '../shared/icons.js';
import { styles } from './contact-picker.styles.js';
import { buildIndex, filterIndex, INDEX_LETTERS, type IndexEntry, type IndexLetter } from './contact-index.js';
import { allContacts } from '../../store/queries.js';
import { blockedIds, isBlockedId, pendingRequests } from '../../store/contacts.js';
import type { ChatDB } from '../../store/schema.js';
import type { ContactRecord, PresenceRecord, ProfileRecord, RequestRecord } from '../../store/records.js';
import { CkCancelEvent, CkErrorEvent, CkOpenProfileEvent, CkPickEvent } from '../../kit/events.js';
import { isValidBareJid } from '../../protocol/jid.js';

interface PickerData {
  contacts: ContactRecord[];
  requests: RequestRecord[];
  profiles: Map<string, ProfileRecord>;
}

interface Row {
  id: string;
  name: string | undefined;
  contact: ContactRecord;
  profile: ProfileRecord | undefined;
}

/** A letter header or a contact, in display order. */
type Item = IndexLetter | IndexEntry<Row>;

interface Layout {
  entries: IndexEntry<Row>[];
  items: Item[];
  /** Top of each item (px); one more element holds the total height. */
  tops: Float64Array;
  /** Item index of each entry. */
  itemOf: Int32Array;
  /** Entry index of each item, -1 for a header. */
  entryOf: Int32Array;
  /** Entry index where each letter's group starts. */
  starts: Map<IndexLetter, number>;
}

// Fixed heights make the layout arithmetic (no measuring 10,000 rows); the styles use the same numbers.
const ROW_PX = 56;
const HEADER_PX = 28;
/** Rendered beyond the viewport on each side, so fast scrolling shows no gaps. */
const MARGIN_PX = 2 * ROW_PX;

const heightOf = (item: Item): number => (typeof item === 'string' ? HEADER_PX : ROW_PX);

/**
 * The user's contacts, grouped by initial (A–Z, #; Chinese names by pinyin initial),
 * searchable by name, id or pinyin initials, with presence dots, incoming contact
 * requests to accept or decline, and an "add contact" row when the search is a user id
 * that is not a contact yet. In `single` mode a click or Enter picks one; in `multiple`
 * mode rows toggle and a button confirms. Escape cancels.
 *
 * Only the rows in view (plus a small margin) are in the DOM, each with
 * `aria-posinset`/`aria-setsize`; the search field drives the list as a combobox
 * (arrows, Page Up/Down, Enter), the list itself also takes Home/End and a letter to jump.
 * The element needs a bounded height: it is at most `--ck-picker-max-height` tall, or
 * give it a height.
 *
 * @summary Contact picker.
 * @fires ck-pick - users were picked (`event.userIds`)
 * @fires ck-cancel - the picker was dismissed
 * @fires ck-open-profile - a row's avatar was clicked (`event.userId`)
 * @fires ck-error - accepting, declining or adding a contact failed (`event.error`)
 * @slot empty - shown when there are no contacts
 * @csspart search - the search field
 * @csspart list - the scrolling list of contacts (`role="listbox"`)
 * @csspart item - one contact row (`role="option"`, `data-id`)
 * @csspart group-header - a letter heading in the list
 * @csspart avatar - a row's avatar
 * @csspart presence - the presence dot on an avatar (`data-show`)
 * @csspart status - a row's second line: status text, last seen, or request state
 * @csspart index - the A–Z, # bar that jumps to a letter
 * @csspart chip - a selected contact (multiple mode)
 * @csspart requests - the incoming contact requests
 * @csspart request - one request
 * @csspart accept-button - accepts a request
 * @csspart decline-button - declines a request
 * @csspart add-button - sends a contact request to the id typed in the search
 * @csspart confirm-button - confirms the selection (multiple mode)
 * @csspart cancel-button - dismisses the picker
 * @cssproperty [--ck-picker-max-height=480px] - the element's maximum height (`none` to size it yourself)
 * @cssproperty [--ck-color-presence-online=#16a34a] - presence dot: online
 * @cssproperty [--ck-color-presence-away=#f59e0b] - presence dot: away
 * @cssproperty [--ck-color-presence-dnd=#dc2626] - presence dot: do not disturb
 * @cssproperty [--ck-color-presence-offline=#9ca3af] - presence dot ring: offline
 */
export class CkContactPicker extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    mode: { type: String, reflect: true },
    exclude: { type: String },
    _query: { state: true },
    _selected: { state: true },
    _active: { state: true },
    _note: { state: true },
  };

  /** `single` (pick on click) or `multiple` (toggle, then confirm). */
  declare mode: 'single' | 'multiple';
  /** User ids not to offer, separated by spaces or commas. */
  declare exclude: string;
  declare _query: string;
  declare _selected: string[];
  /** Entry index of the highlighted row (keyboard), -1 for none. */
  declare _active: number;
  declare _note: string;

  #data = new LiveQueryController<PickerData>(this, (db) => this.#load(db));
  /** Presence of the rows on screen only: a presence storm elsewhere in a long list costs nothing. */
  #presence = new LiveQueryController<Map<string, PresenceRecord>>(
    this,
    async (db) => {
      const ids = this.#visibleIds;
      const rows = await db.presence.bulkGet(ids);
      return new Map(rows.flatMap((p) => (p ? [[p.id, p] as const] : [])));
    },
    () => [this.#visibleKey],
  );

  #indexed: { data: PickerData; locale: string; entries: IndexEntry<Row>[] } | undefined;
  #layout: Layout | undefined;
  #layoutKey: unknown[] = [];
  #scrollTop = 0;
  #viewport = 0;
  #visibleIds: string[] = [];
  #visibleKey = '';
  #window: [first: number, end: number] = [0, 0];
  #busy = new Set<string>();
  #lastSeenTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    super();
    this.mode = 'single';
    this.exclude = '';
    this._query = '';
    this._selected = [];
    this._active = -1;
    this._note = '';
  }

  /** Clears the search and the selection and scrolls to the top. */
  reset(): void {
    this._query = '';
    this._selected = [];
    this._active = -1;
    this._note = '';
    this.#scrollTo(0);
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus(options);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#lastSeenTimer);
  }

  async #load(db: ChatDB): Promise<PickerData> {
    // All reads at once: the profiles table is read whole (one sequential read beats a
    // point read per contact), not after the roster.
    const [all, requests, blocked, everyProfile] = await Promise.all([allContacts(db), pendingRequests(db), blockedIds(db), db.profiles.toArray()]);
    const contacts = all.filter((c) => (c.subscription !== 'none' || c.ask) && !isBlockedId(blocked, c.id));
    return { contacts, requests, profiles: new Map(everyProfile.map((p) => [p.id, p])) };
  }

  /** Sorted entries: rebuilt only when the data (or the locale) changes, never per keystroke. */
  #entries(data: PickerData): IndexEntry<Row>[] {
    const locale = this.ck?.locale ?? 'en';
    if (this.#indexed?.data !== data || this.#indexed.locale !== locale) {
      const rows: Row[] = data.contacts.map((c) => {
        const profile = data.profiles.get(c.id);
        return { id: c.id, name: displayName(c.id, profile, c), contact: c, profile };
      });
      this.#indexed = { data, locale, entries: buildIndex(rows, locale) };
    }
    return this.#indexed.entries;
  }

  #computeLayout(data: PickerData): Layout {
    const entries = this.#entries(data);
    const key = [entries, this._query, this.exclude, this.ck?.clientId];
    if (this.#layout && key.every((k, i) => k === this.#layoutKey[i])) return this.#layout;
    const excluded = new Set(this.exclude.split(/[\s,]+/u).filter(Boolean));
    const self = this.ck?.clientId;
    const shown = filterIndex(entries, this._query, excluded.size || self ? (r) => excluded.has(r.id) || r.id === self : undefined);
    const items: Item[] = [];
    const itemOf = new Int32Array(shown.length);
    const entryOf: number[] = [];
    const starts = new Map<IndexLetter, number>();
    shown.forEach((e, i) => {
      if (!starts.has(e.letter)) {
        starts.set(e.letter, i);
        items.push(e.letter);
        entryOf.push(-1);
      }
      itemOf[i] = items.length;
      items.push(e);
      entryOf.push(i);
    });
    const tops = new Float64Array(items.length + 1);
    for (let i = 0; i < items.length; i++) tops[i + 1] = tops[i]! + heightOf(items[i]!);
    this.#layoutKey = key;
    this.#layout = { entries: shown, items, tops, itemOf, entryOf: Int32Array.from(entryOf), starts };
    return this.#layout;
  }

  /** First item whose bottom is below `y`. */
  #itemAt(layout: Layout, y: number): number {
    let lo = 0;
    let hi = layout.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (layout.tops[mid + 1]! <= y) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('_query') || changed.has('exclude')) this._active = -1;
    const data = this.#data.value;
    const layout = data ? this.#computeLayout(data) : undefined;
    if (!layout) return;
    const scrollTop = Math.min(this.#scrollTop, Math.max(0, layout.tops[layout.items.length]! - this.#viewport));
    // Before the first layout the viewport is unknown: assume a screenful, measured right after.
    const viewport = this.#viewport || Math.min(globalThis.innerHeight || 800, 800);
    const first = layout.items.length ? this.#itemAt(layout, Math.max(0, scrollTop - MARGIN_PX)) : 0;
    let end = first;
    while (end < layout.items.length && layout.tops[end]! < scrollTop + viewport + MARGIN_PX) end++;
    this.#window = [first, end];
    const ids: string[] = [];
    for (let i = first; i < end; i++) {
      const item = layout.items[i]!;
      if (typeof item !== 'string') ids.push(item.item.id);
    }
    this.#visibleIds = ids;
    this.#visibleKey = ids.join('\n');
  }

  protected override updated(): void {
    const scroller = this.renderRoot.querySelector<HTMLElement>('.scroller');
    if (scroller) {
      const height = scroller.clientHeight;
      if (height !== this.#viewport) {
        this.#viewport = height;
        this.requestUpdate();
      }
      // A shorter list (a filter) clamps the scroll position; keep ours in step.
      if (Math.abs(scroller.scrollTop - this.#scrollTop) > 1) {
        this.#scrollTop = scroller.scrollTop;
        this.requestUpdate();
      }
    }
    const kit = this.ck;
    const data = this.#data.value;
    if (!kit || !data) return;
    const missing = this.#visibleIds.filter((id) => !data.profiles.has(id));
    for (const r of data.requests) if (!data.profiles.has(r.id)) missing.push(r.id);
    if (missing.length) kit.requestProfiles(missing);
    // Last-seen times for offline rows on screen, once scrolling has settled.
    clearTimeout(this.#lastSeenTimer);
    if (kit.status === 'online') {
      const presence = this.#presence.value;
      const offline = this.#visibleIds.filter((id) => (presence?.get(id)?.show ?? 'offline') === 'offline' && presence?.get(id)?.lastSeen === undefined);
      if (offline.length) this.#lastSeenTimer = setTimeout(() => kit.requestLastSeen(offline), 300);
    }
  }

  override render() {
    const data = this.#data.value;
    const layout = data ? this.#computeLayout(data) : undefined;
    const multiple = this.mode === 'multiple';
    const querying = this._query.trim() !== '';
    const addId = data ? this.#addableId(data, layout) : null;
    const active = layout && this._active >= 0 && this._active < layout.entries.length ? this._active : -1;
    return html`
      <input
        part="search"
        class="search"
        type="search"
        autocomplete="off"
        role="combobox"
        aria-expanded=${layout?.entries.length ? 'true' : 'false'}
        aria-autocomplete="list"
        aria-label=${this.t('picker.search')}
        placeholder=${this.t('picker.search')}
        aria-controls=${layout?.entries.length ? 'list' : nothing}
        aria-activedescendant=${active >= 0 ? `o${active}` : nothing}
        .value=${live(this._query)}
        @input=${(e: InputEvent) => {
          this._query = (e.target as HTMLInputElement).value;
          this._note = '';
          this.#scrollTo(0);
        }}
        @keydown=${this.#onKeydown}
      />
      ${multiple && this._selected.length ? this.#chips(data) : nothing}
      ${data && !querying && data.requests.length ? this.#requests(data) : nothing}
      ${addId
        ? html`<button part="add-button" class="add" type="button" @click=${() => this.#add(addId)}>
            ${icons.plus}<span>${this.t('picker.add', { id: addId })}</span>
          </button>`
        : nothing}
      ${this._note ? html`<p class="note" role="status">${this._note}</p>` : nothing}
      ${!data || !layout
        ? nothing
        : data.contacts.length === 0
          ? html`<slot name="empty"><p class="empty">${this.t('picker.empty')}</p></slot>`
          : layout.entries.length === 0
            ? html`<p class="empty" role="status">${this.t('picker.noMatch', { query: this._query })}</p>`
            : this.#list(layout, active, multiple)}
      <footer>
        <button part="cancel-button" type="button" @click=${this.#cancel}>${this.t('picker.cancel')}</button>
        ${multiple
          ? html`<button part="confirm-button" class="primary" type="button" ?disabled=${this._selected.length === 0} @click=${this.#confirm}>
              ${this.t('picker.done')}
            </button>`
          : nothing}
      </footer>
    `;
  }

  #list(layout: Layout, active: number, multiple: boolean) {
    const [first, end] = this.#window;
    const total = layout.entries.length;
    const presence = this.#presence.value;
    const locale = this.ck?.locale ?? 'en';
    const now = Date.now();
    const rows = [];
    for (let i = first; i < end && i < layout.items.length; i++) {
      const item = layout.items[i]!;
      const top = cssProps({ transform: `translateY(${layout.tops[i]}px)` });
      if (typeof item === 'string') {
        rows.push(html`<div part="group-header" class="header" role="presentation" ${top}>${item}</div>`);
        continue;
      }
      const index = layout.entryOf[i]!;
      rows.push(this.#row(item.item, index, total, top, index === active, multiple, presence?.get(item.item.id), locale, now));
    }
    return html`<div class="body">
      <div
        part="list"
        id="list"
        class="scroller"
        role="listbox"
        tabindex="0"
        aria-label=${this.t('picker.label')}
        aria-multiselectable=${multiple ? 'true' : 'false'}
        aria-activedescendant=${active >= 0 ? `o${active}` : nothing}
        @scroll=${this.#onScroll}
        @keydown=${this.#onKeydown}
      >
        <div class="sizer" ${cssProps({ blockSize: `${layout.tops[layout.items.length]}px` })}>${rows}</div>
      </div>
      <div part="index" class="index" aria-hidden="true" @click=${this.#onIndex} @pointermove=${this.#onIndex}>
        ${INDEX_LETTERS.map((l) => html`<span data-letter=${l} class=${layout.starts.has(l) ? '' : 'off'}>${l}</span>`)}
      </div>
    </div>`;
  }

  #row(r: Row, index: number, total: number, top: ReturnType<typeof cssProps>, active: boolean, multiple: boolean, presence: PresenceRecord | undefined, locale: string, now: number) {
    const selected = this._selected.includes(r.id);
    const c = r.contact;
    const pending = c.ask && (c.subscription === 'none' || c.subscription === 'from');
    const sub = pending ? this.t('picker.pending') : presenceText(presence, locale, now);
    // The dot is decorative: say the presence in words unless the line already does.
    const label = presence && !pending ? presenceLabel(presence.show, locale) : sub;
    return html`<div
      part="item"
      role="option"
      id=${`o${index}`}
      class="row ${active ? 'active' : ''}"
      ${top}
      data-id=${r.id}
      aria-selected=${selected ? 'true' : 'false'}
      aria-posinset=${index + 1}
      aria-setsize=${total}
      @click=${() => this.#activate(r.id, index)}
    >
      ${multiple ? html`<span class="check" aria-hidden="true">${selected ? icons.check : nothing}</span>` : nothing}
      <span class="face" @click=${(e: Event) => this.#openProfile(e, r.id)}>${avatar(r.id, r.name, r.profile, presence)}</span>
      <span class="text">
        <span class="line"
          ><span class="name" dir="auto">${r.name ?? html`<span class="placeholder" role="img" aria-label=${this.t('profile.loading')}></span>`}</span
          >${r.name !== r.id ? html`<span class="id">${r.id}</span>` : nothing}</span
        >
        ${sub
          ? html`<span part="status" class="sub" dir="auto"
              >${label !== sub ? html`<span class="visually-hidden">${label}: </span>` : nothing}${sub}</span
            >`
          : nothing}
      </span>
    </div>`;
  }

  #requests(data: PickerData) {
    return html`<section part="requests" class="requests" aria-label=${this.t('picker.requests')}>
      <h3>${this.t('picker.requests')}</h3>
      ${data.requests.slice(0, 50).map((r) => {
        const profile = data.profiles.get(r.id);
        const name = profile?.name ?? r.nick ?? (profile ? r.id : undefined);
        const busy = this.#busy.has(r.id);
        return html`<div part="request" class="request" data-id=${r.id}>
          <span class="face" @click=${(e: Event) => this.#openProfile(e, r.id)}>${avatar(r.id, name, profile)}</span>
          <span class="text">
            <span class="name" dir="auto">${name ?? r.id}</span>
            <span class="sub" dir="auto">${r.message ?? r.id}</span>
          </span>
          <button part="accept-button" class="primary" type="button" ?disabled=${busy} @click=${() => this.#answer(r.id, true)}>
            ${this.t('picker.accept')}
          </button>
          <button part="decline-button" type="button" ?disabled=${busy} @click=${() => this.#answer(r.id, false)}>${this.t('picker.decline')}</button>
        </div>`;
      })}
    </section>`;
  }

  #chips(data: PickerData | undefined) {
    const byId = new Map(data?.contacts.map((c) => [c.id, c]));
    return html`<div class="chips" aria-label=${this.t('picker.selected', { count: this._selected.length })}>
      ${this._selected.map((id) => {
        const name = displayName(id, data?.profiles.get(id), byId.get(id)) ?? id;
        return html`<span part="chip" class="chip"
          >${name}<button type="button" aria-label=${this.t('picker.deselect', { name })} @click=${() => this.#toggle(id)}>
            ${icons.close}
          </button></span
        >`;
      })}
    </div>`;
  }

  /** The user id typed in the search, when it is someone who could be added as a contact. */
  #addableId(data: PickerData, layout: Layout | undefined): string | null {
    const kit = this.ck;
    const q = this._query.trim();
    if (!kit || kit.status !== 'online' || !q || /\s/u.test(q)) return null;
    // Only when the search finds nobody, or clearly is an address: otherwise it is just a search.
    if (layout?.entries.length && !q.includes('@')) return null;
    const jid = kit.conversationIdFor(q);
    const id = kit.userIdOf(jid);
    if (!isValidBareJid(jid) || id === kit.clientId || data.contacts.some((c) => c.id === id)) return null;
    return id;
  }

  async #add(id: string): Promise<void> {
    try {
      await this.ck?.addContact(id);
      this._note = this.t('picker.requestSent', { id });
    } catch (err) {
      this.#fail(err);
    }
  }

  async #answer(id: string, accept: boolean): Promise<void> {
    const kit = this.ck;
    if (!kit || this.#busy.has(id)) return;
    this.#busy.add(id);
    this.requestUpdate();
    try {
      await (accept ? kit.acceptContact(id) : kit.declineContact(id));
    } catch (err) {
      this.#fail(err);
    } finally {
      this.#busy.delete(id);
      this.requestUpdate();
    }
  }

  #fail(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    this._note = error.message;
    this.dispatchEvent(new CkErrorEvent(error));
  }

  #openProfile(e: Event, id: string): void {
    // The avatar opens the profile; the rest of the row picks.
    e.stopPropagation();
    this.dispatchEvent(new CkOpenProfileEvent(id));
  }

  #activate(id: string, index: number): void {
    this._active = index;
    if (this.mode === 'multiple') this.#toggle(id);
    else this.dispatchEvent(new CkPickEvent([id]));
  }

  #toggle(id: string): void {
    this._selected = this._selected.includes(id) ? this._selected.filter((x) => x !== id) : [...this._selected, id];
  }

  #confirm = (): void => {
    if (this._selected.length) this.dispatchEvent(new CkPickEvent([...this._selected]));
  };

  #cancel = (): void => {
    this.dispatchEvent(new CkCancelEvent());
  };

  #onScroll = (e: Event): void => {
    this.#scrollTop = (e.target as HTMLElement).scrollTop;
    this.requestUpdate();
  };

  #scrollTo(top: number): void {
    this.#scrollTop = top;
    const scroller = this.renderRoot?.querySelector<HTMLElement>('.scroller');
    if (scroller) scroller.scrollTop = top;
    this.requestUpdate();
  }

  /** Scrolls so entry `index` is in view (keyboard moves can go past the rendered rows). */
  #reveal(index: number): void {
    const layout = this.#layout;
    if (!layout || index < 0) return;
    const item = layout.itemOf[index]!;
    // Its letter header comes along when the row opens a group.
    const top = layout.tops[typeof layout.items[item - 1] === 'string' ? item - 1 : item]!;
    const bottom = layout.tops[item + 1]!;
    if (top < this.#scrollTop) this.#scrollTo(top);
    else if (bottom > this.#scrollTop + this.#viewport) this.#scrollTo(bottom - this.#viewport);
  }

  #jump(letter: string | undefined): void {
    const layout = this.#layout;
    if (!layout || !letter) return;
    // An empty letter goes to the next one that has contacts, as phone contact lists do.
    const from = INDEX_LETTERS.indexOf(letter as IndexLetter);
    const target = INDEX_LETTERS.slice(from).find((l) => layout.starts.has(l)) ?? [...layout.starts.keys()].pop();
    const index = target ? layout.starts.get(target) : undefined;
    if (index === undefined) return;
    this._active = index;
    this.#scrollTo(layout.tops[layout.itemOf[index]! - 1]!);
  }

  #onIndex = (e: PointerEvent | MouseEvent): void => {
    if (e.type === 'pointermove' && !(e.buttons & 1)) return;
    // A dragging finger stays captured by the letter it started on: ask what is under it now.
    const at = e.type === 'click' ? (e.target as Element) : (this.renderRoot as ShadowRoot).elementFromPoint(e.clientX, e.clientY);
    this.#jump(at?.closest<HTMLElement>('[data-letter]')?.dataset.letter);
  };

  #onKeydown = (e: KeyboardEvent): void => {
    const layout = this.#layout;
    const inSearch = (e.composedPath()[0] as HTMLElement | undefined)?.tagName === 'INPUT';
    if (e.key === 'Escape') {
      e.preventDefault();
      this.#cancel();
      return;
    }
    const count = layout?.entries.length ?? 0;
    if (!layout || count === 0) return;
    const page = Math.max(1, Math.floor(this.#viewport / ROW_PX) - 1);
    const current = this._active;
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(count - 1, current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(inSearch ? -1 : 0, current - 1);
        break;
      case 'PageDown':
        next = Math.min(count - 1, Math.max(0, current) + page);
        break;
      case 'PageUp':
        next = Math.max(0, current - page);
        break;
      case 'Home':
      case 'End':
        if (inSearch) return;
        next = e.key === 'Home' ? 0 : count - 1;
        break;
      case 'Enter':
      case ' ': {
        if (inSearch && e.key === ' ') return;
        e.preventDefault();
        const index = current >= 0 ? current : 0;
        const entry = layout.entries[index];
        if (entry) this.#activate(entry.item.id, index);
        return;
      }
      default:
        // Typing a letter in the list jumps to its group.
        if (!inSearch && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey) {
          const letter = e.key.toUpperCase();
          this.#jump(letter >= 'A' && letter <= 'Z' ? letter : '#');
          e.preventDefault();
        }
        return;
    }
    e.preventDefault();
    this._active = next;
    this.#reveal(next);
  };
}

customElements.define('ck-contact-picker', CkContactPicker);

declare global {
  interface HTMLElementTagNameMap {
    'ck-contact-picker': CkContactPicker;
  }
}
