import { translate } from '../i18n/index.js';
import type { CkUnreadEvent } from './events.js';

/** What `kit.enableNotifications` turns on. */
export interface NotificationSettings {
  /** Prefix the page title with the unread count, e.g. "(3) Inbox", while the tab is hidden (default true). */
  title?: boolean;
  /** A system notification when unread messages arrive while the tab is hidden (default false; needs permission). */
  system?: boolean;
}

/** The parts of ChatKit the notifier reads. */
export interface UnreadSource extends EventTarget {
  readonly totalUnread: number;
  readonly locale: string;
}

/**
 * Tells a user in another tab that messages came in: a title badge and, when the page has
 * permission, a system notification. Only while the tab is hidden: a visible tab shows the
 * unread badges itself. The page's own title is restored when the tab comes back.
 */
export class UnreadNotifier {
  #settings: Required<NotificationSettings> = { title: false, system: false };
  #baseTitle: string | undefined;
  #shown = 0;
  #enabled = false;

  constructor(
    private readonly kit: UnreadSource,
    private readonly doc: Document = document,
  ) {}

  enable(settings: NotificationSettings = {}): void {
    this.#settings = { title: settings.title ?? true, system: settings.system ?? false };
    if (!this.#enabled) {
      this.#enabled = true;
      this.kit.addEventListener('ck-unread', this.#onUnread);
      this.doc.addEventListener('visibilitychange', this.#onVisibility);
    }
    this.#shown = this.kit.totalUnread;
    this.#update();
  }

  disable(): void {
    if (!this.#enabled) return;
    this.#enabled = false;
    this.kit.removeEventListener('ck-unread', this.#onUnread);
    this.doc.removeEventListener('visibilitychange', this.#onVisibility);
    this.#restoreTitle();
  }

  #hidden(): boolean {
    return this.doc.visibilityState === 'hidden';
  }

  #onUnread = (e: Event): void => {
    const total = (e as CkUnreadEvent).total;
    if (this.#settings.system && this.#hidden() && total > this.#shown) this.#notify(total);
    this.#shown = total;
    this.#update();
  };

  #onVisibility = (): void => this.#update();

  #update(): void {
    const total = this.kit.totalUnread;
    if (!this.#settings.title || !this.#hidden() || total <= 0) {
      this.#restoreTitle();
      return;
    }
    this.#baseTitle ??= this.doc.title;
    this.doc.title = `(${total > 99 ? '99+' : total}) ${this.#baseTitle}`;
  }

  #restoreTitle(): void {
    if (this.#baseTitle === undefined) return;
    this.doc.title = this.#baseTitle;
    this.#baseTitle = undefined;
  }

  #notify(total: number): void {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    // One notification, replaced as the count grows (same tag), not one per message.
    const n = new Notification(this.#baseTitle ?? this.doc.title, {
      body: translate(this.kit.locale, 'list.unread', { count: total }),
      tag: 'xmpp-chatkit-unread',
    });
    n.onclick = () => {
      globalThis.focus?.();
      n.close();
    };
  }
}

/**
 * Asks for permission to show system notifications. Browsers grant it only from a user
 * gesture: call it from a click handler. Resolves with the resulting permission.
 */
export async function requestNotificationPermission(): Promise<NotificationPermission> {
  if (typeof Notification === 'undefined') return 'denied';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}
