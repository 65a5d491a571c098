import { LitElement } from 'lit';
import { ChatKit } from '../../kit/chatkit.js';
import { translate, type MessageKey } from '../../i18n/index.js';

// One observer of <html theme> for every element on the page.
const themed = new Set<LitElement>();
let observer: MutationObserver | undefined;

function pageTheme(): 'light' | 'dark' | undefined {
  const value = document.documentElement.getAttribute('theme');
  return value === 'light' || value === 'dark' ? value : undefined;
}

function watchPageTheme(el: LitElement): void {
  themed.add(el);
  observer ??= new MutationObserver(() => themed.forEach((e) => e.requestUpdate()));
  if (themed.size === 1) observer.observe(document.documentElement, { attributes: true, attributeFilter: ['theme'] });
}

function unwatchPageTheme(el: LitElement): void {
  themed.delete(el);
  if (themed.size === 0) observer?.disconnect();
}

/**
 * Base of every ck-* element: finds its kit (the `kit` property, else
 * `ChatKit.default`), re-renders when the kit switches account or status, and
 * translates strings in the kit's locale.
 */
export class CkElement extends LitElement {
  static override properties = {
    kit: { attribute: false },
    theme: { type: String, reflect: true },
  };

  /** The kit this element reads from; `ChatKit.default` when unset. */
  declare kit: ChatKit | undefined;
  /** `light` or `dark` to force a theme; unset follows `<html theme>`, then the OS setting. */
  declare theme: 'light' | 'dark' | undefined;

  #bound: ChatKit | undefined;
  #onKitChange = (): void => this.requestUpdate();

  /** The kit in use. */
  get ck(): ChatKit | undefined {
    return this.kit ?? ChatKit.default;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    ChatKit.registry.addEventListener('ck-default-change', this.#onKitChange);
    watchPageTheme(this);
    this.#bind();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    ChatKit.registry.removeEventListener('ck-default-change', this.#onKitChange);
    unwatchPageTheme(this);
    this.#unbind();
  }

  /** The theme in force: the element's own, else the page's, else undefined (follow the OS). */
  get effectiveTheme(): 'light' | 'dark' | undefined {
    const own = this.theme === 'light' || this.theme === 'dark' ? this.theme : undefined;
    return own ?? pageTheme();
  }

  protected override willUpdate(changed: Map<PropertyKey, unknown>): void {
    super.willUpdate(changed);
    if (this.ck !== this.#bound) this.#bind();
    const theme = this.effectiveTheme;
    if (theme) this.setAttribute('data-ck-theme', theme);
    else this.removeAttribute('data-ck-theme');
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
