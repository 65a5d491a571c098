/**
 * Chat-style timestamps. All comparisons are in the viewer's local time zone,
 * relative to an explicit `now` so lists re-render deterministically (and
 * tests do not depend on the clock).
 *
 * Calendar arithmetic is date-fns (tree-shaken functions only); the browser's Intl
 * supplies month and weekday names, and the layouts are ours (assembled from
 * formatToParts), so every browser prints the same strings and no date-fns locale
 * data ships in the bundle.
 */
import { differenceInCalendarDays, isSameDay as sameDay, isSameYear, isValid } from 'date-fns';

type Part = 'year' | 'month' | 'day' | 'weekday' | 'hour' | 'minute' | 'dayPeriod';
type Parts = Partial<Record<Part, string>>;
/** Which names and numbers a layout needs from Intl. */
type Style = 'time' | 'weekday' | 'monthDay' | 'numeric' | 'long';

interface DateWords {
  /** The Intl locale whose names are used. */
  tag: string;
  today: string;
  yesterday: string;
  styles: Record<Style, Intl.DateTimeFormatOptions>;
  time: (p: Parts) => string;
  monthDay: (p: Parts) => string;
  shortDate: (p: Parts) => string;
  weekdayDate: (p: Parts) => string;
  fullDate: (p: Parts) => string;
}

// One entry per language: adding a language means adding one entry here
// (and to `languageOf` if its tags need more than the primary subtag).
const LANGS = {
  en: {
    tag: 'en-US',
    today: 'Today',
    yesterday: 'Yesterday',
    styles: {
      time: { hour: 'numeric', minute: '2-digit', hourCycle: 'h12' },
      weekday: { weekday: 'short' },
      monthDay: { month: 'short', day: 'numeric' },
      numeric: { year: '2-digit', month: 'numeric', day: 'numeric' },
      long: { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' },
    },
    time: (p) => `${p.hour}:${p.minute} ${p.dayPeriod}`,
    monthDay: (p) => `${p.month} ${p.day}`,
    shortDate: (p) => `${p.month}/${p.day}/${p.year}`,
    weekdayDate: (p) => `${p.weekday}, ${p.month} ${p.day}`,
    fullDate: (p) => `${p.month} ${p.day}, ${p.year}`,
  },
  zh: {
    tag: 'zh-CN',
    today: '今天',
    yesterday: '昨天',
    styles: {
      time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
      weekday: { weekday: 'short' },
      monthDay: { month: 'numeric', day: 'numeric' },
      numeric: { year: 'numeric', month: 'numeric', day: 'numeric' },
      long: { year: 'numeric', month: 'numeric', day: 'numeric', weekday: 'long' },
    },
    time: (p) => `${p.hour}:${p.minute}`,
    monthDay: (p) => `${p.month}月${p.day}日`,
    shortDate: (p) => `${p.year}/${p.month}/${p.day}`,
    weekdayDate: (p) => `${p.month}月${p.day}日 ${p.weekday}`,
    fullDate: (p) => `${p.year}年${p.month}月${p.day}日`,
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

/** The locale whose month and weekday names are used for a BCP 47 tag: zh, zh-CN, zh-Hans* -> zh-CN, else en-US. */
export function dateLocale(tag: string): string {
  return LANGS[languageOf(tag)].tag;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function parts(ts: number, style: Style, w: DateWords): Parts {
  const key = `${w.tag} ${style}`;
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = new Intl.DateTimeFormat(w.tag, w.styles[style])));
  const out: Parts = {};
  for (const { type, value } of f.formatToParts(ts)) if (type !== 'literal') out[type as Part] = value;
  return out;
}

/**
 * Builds a language's formatters ahead of need: the first Intl formatter of a page loads its
 * locale data (~20 ms here), which a list should pay while it waits for the store, not while
 * it paints.
 */
export function prepareDateFormats(locale: string): void {
  const w: DateWords = LANGS[languageOf(locale)];
  const now = Date.now();
  for (const style of Object.keys(w.styles) as Style[]) parts(now, style, w);
}

/** A timestamp a Date can hold (a finite number beyond ±8.64e15 ms is not one). */
const valid = (ts: number): boolean => isValid(ts);

export function isSameDay(a: number, b: number): boolean {
  return sameDay(a, b);
}

/**
 * Conversation-list time: today -> time, yesterday -> "Yesterday",
 * 2-6 days ago -> short weekday, this year -> month and day, else short date.
 */
export function formatListTime(ts: number, now: number, locale: string): string {
  if (!valid(ts) || !valid(now)) return '';
  const w: DateWords = LANGS[languageOf(locale)];
  const days = differenceInCalendarDays(now, ts);
  if (days === 0) return w.time(parts(ts, 'time', w));
  if (days === 1) return w.yesterday;
  if (days > 1 && days <= 6) return parts(ts, 'weekday', w).weekday ?? '';
  if (isSameYear(ts, now)) return w.monthDay(parts(ts, 'monthDay', w));
  return w.shortDate(parts(ts, 'numeric', w));
}

/** Message-log day separator: "Today", "Yesterday", weekday and date this year, else the full date. */
export function formatDaySeparator(ts: number, now: number, locale: string): string {
  if (!valid(ts) || !valid(now)) return '';
  const w: DateWords = LANGS[languageOf(locale)];
  const days = differenceInCalendarDays(now, ts);
  if (days === 0) return w.today;
  if (days === 1) return w.yesterday;
  const p = parts(ts, 'long', w);
  return isSameYear(ts, now) ? w.weekdayDate(p) : w.fullDate(p);
}

/** Short time of day for a message bubble ("2:05 PM", "14:05"). */
export function formatMessageTime(ts: number, locale: string): string {
  if (!valid(ts)) return '';
  const w: DateWords = LANGS[languageOf(locale)];
  return w.time(parts(ts, 'time', w));
}
