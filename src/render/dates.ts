/**
 * Chat-style timestamps. All comparisons are in the viewer's local time zone,
 * relative to an explicit `now` so lists re-render deterministically (and
 * tests do not depend on the clock).
 */
import { differenceInCalendarDays, format, isSameDay, isSameYear } from 'date-fns';
import type { Locale } from 'date-fns';
import { enUS } from 'date-fns/locale/en-US';
import { zhCN } from 'date-fns/locale/zh-CN';

export { isSameDay };

interface DateWords {
  locale: Locale;
  today: string;
  yesterday: string;
  /** date-fns patterns; quote literal text ('月') so it is never read as a token. */
  time: string;
  weekday: string;
  monthDay: string;
  shortDate: string;
  weekdayDate: string;
  fullDate: string;
}

// One entry per language: adding a language means adding one entry here
// (and to `languageOf` if its tags need more than the primary subtag).
const LANGS = {
  en: {
    locale: enUS,
    today: 'Today',
    yesterday: 'Yesterday',
    time: 'h:mm a',
    weekday: 'EEE',
    monthDay: 'MMM d',
    shortDate: 'M/d/yy',
    weekdayDate: 'EEEE, MMMM d',
    fullDate: 'MMMM d, yyyy',
  },
  zh: {
    locale: zhCN,
    today: '今天',
    yesterday: '昨天',
    time: 'HH:mm',
    weekday: 'EEE',
    monthDay: "M'月'd'日'",
    shortDate: 'yyyy/M/d',
    weekdayDate: "M'月'd'日' EEEE",
    fullDate: "yyyy'年'M'月'd'日'",
  },
} satisfies Record<string, DateWords>;

type Lang = keyof typeof LANGS;

/** BCP 47 tag -> table key. Only Simplified Chinese maps to zh (there is no zh-Hant table). */
function languageOf(tag: string): Lang {
  const t = String(tag ?? '').toLowerCase().replace(/_/g, '-');
  if (t === 'zh' || t === 'zh-cn' || t.startsWith('zh-hans')) return 'zh';
  const primary = t.split('-')[0]!;
  return primary !== 'zh' && primary in LANGS ? (primary as Lang) : 'en';
}

/** The date-fns locale for a BCP 47 tag: zh, zh-CN, zh-Hans* -> zhCN, else enUS. */
export function dateLocale(tag: string): Locale {
  return LANGS[languageOf(tag)].locale;
}

function fmt(ts: number, pattern: string, w: DateWords): string {
  return format(ts, pattern, { locale: w.locale });
}

/**
 * Conversation-list time: today -> time, yesterday -> "Yesterday",
 * 2-6 days ago -> short weekday, this year -> month and day, else short date.
 */
export function formatListTime(ts: number, now: number, locale: string): string {
  if (!Number.isFinite(ts) || !Number.isFinite(now)) return '';
  const w: DateWords = LANGS[languageOf(locale)];
  const days = differenceInCalendarDays(now, ts);
  if (days === 0) return fmt(ts, w.time, w);
  if (days === 1) return w.yesterday;
  if (days > 1 && days <= 6) return fmt(ts, w.weekday, w);
  if (isSameYear(ts, now)) return fmt(ts, w.monthDay, w);
  return fmt(ts, w.shortDate, w);
}

/** Message-log day separator: "Today", "Yesterday", weekday and date this year, else the full date. */
export function formatDaySeparator(ts: number, now: number, locale: string): string {
  if (!Number.isFinite(ts) || !Number.isFinite(now)) return '';
  const w: DateWords = LANGS[languageOf(locale)];
  const days = differenceInCalendarDays(now, ts);
  if (days === 0) return w.today;
  if (days === 1) return w.yesterday;
  if (isSameYear(ts, now)) return fmt(ts, w.weekdayDate, w);
  return fmt(ts, w.fullDate, w);
}

/** Short time of day for a message bubble ("2:05 PM", "14:05"). */
export function formatMessageTime(ts: number, locale: string): string {
  if (!Number.isFinite(ts)) return '';
  const w: DateWords = LANGS[languageOf(locale)];
  return fmt(ts, w.time, w);
}
