import type { MessageKey } from '../../i18n/index.js';
import type { TypingRecord } from '../../store/records.js';

/** A typing notice older than this is stale (its sender went quiet without saying so). */
export const TYPING_FRESH_MS = 30_000;

/** Who is typing in the conversation now, besides the viewer, oldest notice first. */
export function activeTypers(rows: readonly TypingRecord[], selfId: string | null | undefined, now: number): TypingRecord[] {
  return rows.filter((r) => r.userId !== selfId && now - r.at < TYPING_FRESH_MS && r.at <= now + TYPING_FRESH_MS).sort((a, b) => a.at - b.at);
}

/** When the first of these notices goes stale (ms from now), to re-check without a store change. */
export function nextStale(rows: readonly TypingRecord[], now: number): number | undefined {
  if (!rows.length) return undefined;
  return Math.max(0, Math.min(...rows.map((r) => r.at + TYPING_FRESH_MS - now))) + 50;
}

/** "Bob is typing…", "Alice and Bob are typing…", "Several people are typing…"; empty when nobody is. */
export function typingText(names: readonly string[], t: (key: MessageKey, params?: Record<string, string>) => string): string {
  if (names.length === 0) return '';
  if (names.length === 1) return t('typing.one', { name: names[0]! });
  if (names.length === 2) return t('typing.two', { a: names[0]!, b: names[1]! });
  return t('typing.many');
}
