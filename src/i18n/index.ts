import { en, type MessageKey, type Messages } from './en.js';
import { zhCN } from './zh-CN.js';

export type { MessageKey, Messages };

/** Languages by primary tag (and script/region where it matters). Adding one is one file and one line. */
const catalogs: Record<string, Messages> = { en, zh: zhCN, 'zh-CN': zhCN, 'zh-Hans': zhCN };

export function registerMessages(locale: string, messages: Messages): void {
  catalogs[locale] = messages;
}

export function messagesFor(locale: string): Messages {
  if (catalogs[locale]) return catalogs[locale];
  const parts = locale.split('-');
  while (parts.length > 1) {
    parts.pop();
    const hit = catalogs[parts.join('-')];
    if (hit) return hit;
  }
  return en;
}

/** The string for `key` in `locale`, with `{name}` placeholders filled. */
export function translate(locale: string, key: MessageKey, params?: Record<string, string | number>): string {
  const text = messagesFor(locale)[key] ?? en[key];
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}
