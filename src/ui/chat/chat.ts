import { html, nothing } from 'lit';
import { ifDefined } from 'lit/directives/if-defined.js';
import { CkElement } from '../base/ck-element.js';
import { tokens } from '../../theme/tokens.js';
import { sharedStyles } from '../shared/shared.styles.js';
import { icons } from '../shared/icons.js';
import { styles } from './chat.styles.js';
import { CkErrorEvent, CkSelectEvent, type CkPickEvent } from '../../kit/events.js';
import type { CkContactPicker } from '../contact-picker/contact-picker.js';
import '../conversation-list/conversation-list.js';
import '../chat-view/chat-view.js';
import '../contact-picker/contact-picker.js';

/**
 * The all-in-one drop-in: conversation list, chat view and a "new chat" contact
 * picker. Below `breakpoint` px wide it shows one pane at a time with a back button.
 *
 * @summary List + view + new-chat picker in one element.
 * @fires ck-select - a conversation was opened (`event.conversationId`)
 * @fires ck-error - starting a conversation failed
 * @csspart toolbar - the bar above the list
 * @csspart new-chat-button - opens the contact picker for a 1:1 chat
 * @csspart new-group-button - opens the contact picker to choose members of a new group
 * @csspart list - the `<ck-conversation-list>`
 * @csspart view - the `<ck-chat-view>`
 * @csspart picker - the `<ck-contact-picker>` in its dialog
 * @cssproperty [--ck-list-width=320px] - width of the list pane
 * @cssproperty [--ck-visual-height] - set by the element to the visual viewport's height (soft keyboard)
 */
export class CkChat extends CkElement {
  static override styles = [tokens, sharedStyles, styles];
  static override properties = {
    ...CkElement.properties,
    conversation: { type: String, reflect: true },
    breakpoint: { type: Number },
    narrow: { type: Boolean, reflect: true },
    noHistory: { type: Boolean, attribute: 'no-history' },
    _group: { state: true },
  };

  /** The open conversation. */
  declare conversation: string | null;
  /** Below this width (px) one pane shows at a time. */
  declare breakpoint: number;
  /** Set while the element is narrower than `breakpoint` (reflected for styling). */
  declare narrow: boolean;
  /** The picker is choosing members for a new group. */
  declare _group: boolean;
  /** Do not add browser history entries (by default, on narrow screens, opening a conversation does, so Back returns to the list). */
  declare noHistory: boolean;
  /** A history entry this element pushed for the open conversation. */
  #pushed = false;

  #resize = new ResizeObserver((entries) => {
    const width = entries[entries.length - 1]?.contentRect.width ?? 0;
    // Next frame: switching panes inside the observer's callback would re-enter it.
    requestAnimationFrame(() => (this.narrow = width > 0 && width < this.breakpoint));
  });

  constructor() {
    super();
    this.conversation = null;
    this.breakpoint = 600;
    this.narrow = false;
    this._group = false;
    this.noHistory = false;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.#resize.observe(this);
    window.addEventListener('popstate', this.#onPopState);
    window.visualViewport?.addEventListener('resize', this.#onViewport);
    this.#onViewport();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#resize.disconnect();
    window.removeEventListener('popstate', this.#onPopState);
    window.visualViewport?.removeEventListener('resize', this.#onViewport);
  }

  protected override updated(changed: Map<PropertyKey, unknown>): void {
    super.updated(changed);
    // On a phone, a conversation is a page of its own: the system Back button returns to the list.
    if (changed.has('conversation') && this.conversation && this.narrow && !this.noHistory && !this.#pushed) {
      history.pushState({ ...(history.state as object | null), ckChat: this.conversation }, '');
      this.#pushed = true;
    }
  }

  #onPopState = (): void => {
    if (!this.#pushed) return;
    this.#pushed = false;
    this.conversation = null;
  };

  /** With a soft keyboard open the visual viewport is shorter than the layout one: fit into it. */
  #onViewport = (): void => {
    const vv = window.visualViewport;
    if (vv) this.style.setProperty('--ck-visual-height', `${Math.round(vv.height)}px`);
  };

  /** Opens the contact picker: one contact for a 1:1 chat, or several (`group`) for a group. */
  openPicker(group = false): void {
    this._group = group;
    const dialog = this.renderRoot.querySelector('dialog');
    const picker = this.renderRoot.querySelector<CkContactPicker>('ck-contact-picker');
    picker?.reset();
    dialog?.showModal();
    picker?.updateComplete.then(() => picker.focus());
  }

  override render() {
    const showView = !this.narrow || !!this.conversation;
    const showList = !this.narrow || !this.conversation;
    return html`
      <aside ?hidden-narrow=${!showList}>
        <div part="toolbar" class="toolbar">
          <span class="title">${this.t('list.label')}</span>
          <button part="new-group-button" class="icon-button" type="button" aria-label=${this.t('chat.newGroup')} title=${this.t('chat.newGroup')} @click=${() => this.openPicker(true)}>
            ${icons.group}
          </button>
          <button part="new-chat-button" class="icon-button" type="button" aria-label=${this.t('chat.new')} title=${this.t('chat.new')} @click=${() => this.openPicker(false)}>
            ${icons.plus}
          </button>
        </div>
        <ck-conversation-list part="list" theme=${ifDefined(this.effectiveTheme)} .kit=${this.kit} .selected=${this.conversation} @ck-select=${this.#onSelect}></ck-conversation-list>
      </aside>
      <ck-chat-view part="view" theme=${ifDefined(this.effectiveTheme)} ?hidden-narrow=${!showView} .kit=${this.kit} .conversation=${this.conversation}>
        ${this.narrow
          ? html`<button slot="header-start" class="icon-button" type="button" aria-label=${this.t('chat.back')} @click=${this.#back}>
              ${icons.back}
            </button>`
          : nothing}
      </ck-chat-view>
      <dialog aria-label=${this.t(this._group ? 'chat.newGroup' : 'chat.new')} @close=${this.#onDialogClose}>
        <h2>${this.t(this._group ? 'chat.newGroup' : 'chat.new')}</h2>
        <ck-contact-picker part="picker" mode=${this._group ? 'multiple' : 'single'} theme=${ifDefined(this.effectiveTheme)} .kit=${this.kit} @ck-pick=${this.#onPick} @ck-cancel=${this.#closePicker}></ck-contact-picker>
      </dialog>
    `;
  }

  #onSelect = (e: CkSelectEvent): void => {
    if (e.target === this) return;
    this.conversation = e.conversationId;
  };

  #onPick = async (e: CkPickEvent): Promise<void> => {
    e.stopPropagation();
    this.#closePicker();
    const kit = this.ck;
    if (!kit) return;
    try {
      const id = await kit.startConversation(e.userIds);
      this.conversation = id;
      this.dispatchEvent(new CkSelectEvent(id));
      await this.updateComplete;
      this.renderRoot.querySelector('ck-chat-view')?.renderRoot.querySelector<HTMLTextAreaElement>('textarea')?.focus();
    } catch (err) {
      this.dispatchEvent(new CkErrorEvent(err instanceof Error ? err : new Error(String(err))));
    }
  };

  #closePicker = (): void => {
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) dialog.close();
  };

  #onDialogClose = (): void => {
    this.renderRoot.querySelector<HTMLButtonElement>(`[part=${this._group ? 'new-group-button' : 'new-chat-button'}]`)?.focus();
  };

  #back = (): void => {
    // Going back through history keeps it consistent with the system Back button.
    if (this.#pushed) history.back();
    else this.conversation = null;
  };
}

customElements.define('ck-chat', CkChat);

declare global {
  interface HTMLElementTagNameMap {
    'ck-chat': CkChat;
  }
}
