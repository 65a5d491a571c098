import { html, nothing } from 'lit';
import { CkElement } from '../base/ck-element.js';
import { LiveQueryController } from '../base/live-query.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { avatar, displayName } from '../shared/people.js';
import { styles } from './conversation-list.styles.js';
import { recentConversations, profilesById } from '../../store/queries.js';
import type { ChatDB } from '../../store/schema.js';
import type { ContactRecord, ConversationRecord, ProfileRecord } from '../../store/records.js';
import { CkSelectEvent } from '../../kit/events.js';
import { formatListTime } from '../../render/dates.js';
import { plainPreview } from '../../render/text.js';

interface ListData {
  conversations: ConversationRecord[];
  profiles: Map<string, ProfileRecord>;
  contacts: Map<string, ContactRecord>;
}

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
 * @csspart badge - a row's unread count
 * @cssproperty [--ck-color-selected=#dbeafe] - background of the selected row
 * @cssproperty [--ck-color-badge=#dc2626] - unread badge background
 */
export class CkConversationList extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    selected: { type: String, reflect: true },
  };

  /** Id of the highlighted conversation. */
  declare selected: string | null;

  #data = new LiveQueryController<ListData>(this, (db) => this.#load(db));
  #focus = 0;

  constructor() {
    super();
    this.selected = null;
  }

  async #load(db: ChatDB): Promise<ListData> {
    const conversations = await recentConversations(db);
    const kit = this.ck;
    const ids = conversations.filter((c) => c.type === 'chat').map((c) => kit?.userIdOf(c.id) ?? c.id);
    const [profiles, contactRows] = await Promise.all([profilesById(db, ids), db.contacts.bulkGet(ids)]);
    const contacts = new Map<string, ContactRecord>();
    contactRows.forEach((c) => c && contacts.set(c.id, c));
    return { conversations, profiles, contacts };
  }

  protected override updated(): void {
    const data = this.#data.value;
    const kit = this.ck;
    if (!data || !kit) return;
    const missing = data.conversations
      .filter((c) => c.type === 'chat')
      .map((c) => kit.userIdOf(c.id))
      .filter((id) => !data.profiles.has(id));
    if (missing.length) kit.requestProfiles(missing);
  }

  override render() {
    const data = this.#data.value;
    if (!data) return html`<ul part="list" role="listbox" aria-label=${this.t('list.label')} aria-busy="true"></ul>`;
    if (data.conversations.length === 0) {
      return html`<slot name="empty"><p class="empty">${this.t('list.empty')}</p></slot>`;
    }
    const total = data.conversations.length;
    this.#focus = Math.min(this.#focus, total - 1);
    const selectedIndex = data.conversations.findIndex((c) => c.id === this.selected);
    const focusIndex = selectedIndex >= 0 && !this.matches(':focus-within') ? selectedIndex : this.#focus;
    const now = Date.now();
    return html`<ul part="list" role="listbox" aria-label=${this.t('list.label')} @keydown=${this.#onKeydown}>
      ${data.conversations.map((c, i) => this.#row(c, i, total, data, now, focusIndex))}
    </ul>`;
  }

  #row(c: ConversationRecord, index: number, total: number, data: ListData, now: number, focusIndex: number) {
    const kit = this.ck;
    const userId = kit?.userIdOf(c.id) ?? c.id;
    const profile = data.profiles.get(userId);
    const name = c.type === 'chat' ? displayName(userId, profile, data.contacts.get(userId)) : (c.name ?? c.id);
    const locale = kit?.locale ?? 'en';
    const last = c.last;
    return html`<li
      part="item"
      role="option"
      id=${`c${index}`}
      data-id=${c.id}
      aria-selected=${c.id === this.selected ? 'true' : 'false'}
      aria-posinset=${index + 1}
      aria-setsize=${total}
      tabindex=${index === focusIndex ? 0 : -1}
      @click=${() => this.#select(c.id, index)}
    >
      ${avatar(userId, name, profile)}
      <div class="main">
        <div class="top">
          <span part="name" class="name" dir="auto">${name ?? html`<span class="placeholder" aria-label=${this.t('profile.loading')}></span>`}</span>
          ${last ? html`<time part="time" class="time" datetime=${new Date(c.lastAt).toISOString()}>${formatListTime(c.lastAt, now, locale)}</time>` : nothing}
        </div>
        <div class="bottom">
          <span part="preview" dir="auto" class="preview ${last?.state === 'failed' ? 'failed' : ''}"
            >${last ? `${last.own ? this.t('list.you') : ''}${plainPreview(last.body)}` : this.t('list.noMessages')}</span
          >
          ${c.unread > 0
            ? html`<span part="badge" class="badge" aria-label=${this.t('list.unread', { count: c.unread })}
                >${c.unread > 99 ? '99+' : c.unread}</span
              >`
            : nothing}
        </div>
      </div>
    </li>`;
  }

  #select(id: string, index: number): void {
    this.#focus = index;
    this.selected = id;
    this.dispatchEvent(new CkSelectEvent(id));
  }

  #onKeydown = (e: KeyboardEvent): void => {
    const rows = [...(this.renderRoot.querySelectorAll<HTMLLIElement>('li[role="option"]') ?? [])];
    if (rows.length === 0) return;
    const current = Math.max(0, rows.indexOf(e.composedPath()[0] as HTMLLIElement));
    let next = current;
    switch (e.key) {
      case 'ArrowDown':
        next = Math.min(rows.length - 1, current + 1);
        break;
      case 'ArrowUp':
        next = Math.max(0, current - 1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = rows.length - 1;
        break;
      case 'Enter':
      case ' ': {
        const id = rows[current]?.dataset.id;
        if (id) this.#select(id, current);
        e.preventDefault();
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

customElements.define('ck-conversation-list', CkConversationList);

declare global {
  interface HTMLElementTagNameMap {
    'ck-conversation-list': CkConversationList;
  }
}
