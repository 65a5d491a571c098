import { html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName } from '../shared/people.js';
import { icons } from '../shared/icons.js';
import { styles } from './contact-picker.styles.js';
import { allContacts, profilesById } from '../../store/queries.js';
import type { ChatDB } from '../../store/schema.js';
import type { ContactRecord, ProfileRecord } from '../../store/records.js';
import { CkCancelEvent, CkPickEvent } from '../../kit/events.js';

interface PickerData {
  contacts: ContactRecord[];
  profiles: Map<string, ProfileRecord>;
}

interface Row {
  id: string;
  name: string | undefined;
  profile: ProfileRecord | undefined;
  /** Lower-cased name and id, matched against the query. */
  haystack: string;
}

/**
 * The user's contacts (roster), searchable by name or id. In `single` mode a
 * click or Enter picks one; in `multiple` mode rows toggle and a button confirms.
 * Escape cancels.
 *
 * @summary Contact picker.
 * @fires ck-pick - users were picked (`event.userIds`)
 * @fires ck-cancel - the picker was dismissed
 * @slot empty - shown when there are no contacts
 * @csspart search - the search field
 * @csspart list - the list of contacts
 * @csspart item - one contact row
 * @csspart avatar - a row's avatar
 * @csspart chip - a selected contact (multiple mode)
 * @csspart confirm-button - confirms the selection (multiple mode)
 * @csspart cancel-button - dismisses the picker
 */
export class CkContactPicker extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    mode: { type: String, reflect: true },
    exclude: { type: String },
    _query: { state: true },
    _selected: { state: true },
  };

  /** `single` (pick on click) or `multiple` (toggle, then confirm). */
  declare mode: 'single' | 'multiple';
  /** User ids not to offer, separated by spaces or commas. */
  declare exclude: string;
  declare _query: string;
  declare _selected: string[];

  #data = new LiveQueryController<PickerData>(this, (db) => this.#load(db));
  #focus = 0;

  constructor() {
    super();
    this.mode = 'single';
    this.exclude = '';
    this._query = '';
    this._selected = [];
  }

  /** Clears the search and the selection. */
  reset(): void {
    this._query = '';
    this._selected = [];
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLInputElement>('input')?.focus(options);
  }

  async #load(db: ChatDB): Promise<PickerData> {
    const contacts = (await allContacts(db)).filter((c) => c.subscription !== 'none' || c.ask);
    const profiles = await profilesById(db, contacts.map((c) => c.id));
    return { contacts, profiles };
  }

  #rows(data: PickerData): Row[] {
    const excluded = new Set(this.exclude.split(/[\s,]+/u).filter(Boolean));
    const self = this.ck?.clientId;
    const collator = new Intl.Collator(this.ck?.locale ?? 'en', { sensitivity: 'base', numeric: true });
    const q = this._query.trim().toLowerCase();
    return data.contacts
      .filter((c) => !excluded.has(c.id) && c.id !== self)
      .map((c) => {
        const profile = data.profiles.get(c.id);
        const name = displayName(c.id, profile, c);
        return { id: c.id, name, profile, haystack: `${name ?? ''}\n${c.id}`.toLowerCase() };
      })
      .filter((r) => !q || r.haystack.includes(q))
      .sort((a, b) => collator.compare(a.name ?? a.id, b.name ?? b.id));
  }

  protected override updated(): void {
    const data = this.#data.value;
    const missing = data?.contacts.filter((c) => !data.profiles.has(c.id)).map((c) => c.id);
    if (missing?.length) this.ck?.requestProfiles(missing);
  }

  override render() {
    const data = this.#data.value;
    const rows = data ? this.#rows(data) : [];
    this.#focus = Math.min(this.#focus, Math.max(0, rows.length - 1));
    const multiple = this.mode === 'multiple';
    return html`
      <input
        part="search"
        class="search"
        type="search"
        autocomplete="off"
        aria-label=${this.t('picker.search')}
        placeholder=${this.t('picker.search')}
        aria-controls="list"
        .value=${live(this._query)}
        @input=${(e: InputEvent) => {
          this._query = (e.target as HTMLInputElement).value;
          this.#focus = 0;
        }}
        @keydown=${this.#onKeydown}
      />
      ${multiple && this._selected.length ? this.#chips(data) : nothing}
      ${!data
        ? nothing
        : data.contacts.length === 0
          ? html`<slot name="empty"><p class="empty">${this.t('picker.empty')}</p></slot>`
          : rows.length === 0
            ? html`<p class="empty" role="status">${this.t('picker.noMatch', { query: this._query })}</p>`
            : html`<ul
                part="list"
                id="list"
                role="listbox"
                aria-label=${this.t('picker.label')}
                aria-multiselectable=${multiple ? 'true' : 'false'}
                @keydown=${this.#onKeydown}
              >
                ${rows.map((r, i) => this.#row(r, i, rows.length))}
              </ul>`}
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

  #chips(data: PickerData | undefined) {
    return html`<div class="chips" aria-label=${this.t('picker.selected', { count: this._selected.length })}>
      ${this._selected.map((id) => {
        const c = data?.contacts.find((x) => x.id === id);
        const name = displayName(id, data?.profiles.get(id), c) ?? id;
        return html`<span part="chip" class="chip"
          >${name}<button type="button" aria-label=${`${this.t('picker.cancel')} ${name}`} @click=${() => this.#toggle(id)}>
            ${icons.close}
          </button></span
        >`;
      })}
    </div>`;
  }

  #row(r: Row, index: number, total: number) {
    const selected = this._selected.includes(r.id);
    return html`<li
      part="item"
      role="option"
      data-id=${r.id}
      aria-selected=${selected ? 'true' : 'false'}
      aria-posinset=${index + 1}
      aria-setsize=${total}
      tabindex=${index === this.#focus ? 0 : -1}
      @click=${() => this.#activate(r.id, index)}
    >
      ${this.mode === 'multiple' ? html`<span class="check" aria-hidden="true">${selected ? icons.check : nothing}</span>` : nothing}
      ${avatar(r.id, r.name, r.profile)}
      <span class="name" dir="auto">${r.name ?? html`<span class="placeholder"></span>`}</span>
      ${r.name !== r.id ? html`<span class="id">${r.id}</span>` : nothing}
    </li>`;
  }

  #activate(id: string, index: number): void {
    this.#focus = index;
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

  #onKeydown = (e: KeyboardEvent): void => {
    const rows = [...this.renderRoot.querySelectorAll<HTMLLIElement>('li[role="option"]')];
    const inSearch = (e.composedPath()[0] as HTMLElement)?.tagName === 'INPUT';
    if (e.key === 'Escape') {
      e.preventDefault();
      this.#cancel();
      return;
    }
    if (rows.length === 0) return;
    const current = inSearch ? -1 : rows.indexOf(e.composedPath()[0] as HTMLLIElement);
    let next: number;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(rows.length - 1, current + 1);
        break;
      case 'ArrowUp':
        if (current <= 0) {
          e.preventDefault();
          this.renderRoot.querySelector<HTMLInputElement>('input')?.focus();
          return;
        }
        next = current - 1;
        break;
      case 'Enter':
      case ' ': {
        if (inSearch && e.key === ' ') return;
        e.preventDefault();
        const index = current >= 0 ? current : 0;
        const id = rows[index]?.dataset.id;
        if (id) this.#activate(id, index);
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    this.#focus = next;
    rows.forEach((r, i) => (r.tabIndex = i === next ? 0 : -1));
    rows[next]?.focus();
  };
}

customElements.define('ck-contact-picker', CkContactPicker);

declare global {
  interface HTMLElementTagNameMap {
    'ck-contact-picker': CkContactPicker;
  }
}
