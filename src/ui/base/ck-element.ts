import { LitElement } from 'lit';
import { ChatKit } from '../../kit/chatkit.js';
import { translate, type MessageKey } from '../../i18n/index.js';

/**
 * Base of every ck-* element: finds its kit (the `kit` property, else
 * `ChatKit.default`), re-renders when the kit switches account or status, and
 * translates strings in the kit's locale.
 */
export class CkElement extends LitElement {
  static override properties = {
    kit: { attribute: false },
  };

  /** The kit this element reads from; `ChatKit.default` when unset. */
  declare kit: ChatKit | undefined;

  #bound: ChatKit | undefined;
  #onKitChange = (): void => this.requestUpdate();

  /** The kit in use. */
  get ck(): ChatKit | undefined {
    return this.kit ?? ChatKit.default;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    ChatKit.registry.addEventListener('ck-default-change', this.#onKitChange);
    this.#bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    ChatKit.registry.removeEventListener('ck-default-change', this.#onKitChange);
    this.#unbind();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (this.ck !== this.#bound) this.#bind();
  }

  protected t(key: MessageKey, params?: Record<string, string | number>): string {
    return translate(this.ck?.locale ?? 'en', key, params);
  }

  #bind(): void {
    const kit = this.ck;
    if (kit === this.#bound) return;
    this.#unbind();
    this.#bound = kit;
    kit?.addEventListener('ck-session', this.#onKitChange);
    kit?.addEventListener('ck-status', this.#onKitChange);
  }

  #unbind(): void {
    this.#bound?.removeEventListener('ck-session', this.#onKitChange);
    this.#bound?.removeEventListener('ck-status', this.#onKitChange);
    this.#bound = undefined;
  }
}
