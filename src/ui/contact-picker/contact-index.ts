/**
 * Sorting, grouping and searching a contact list the way chat apps do: groups A–Z
 * then # (digits, symbols, other scripts), Chinese names under the initial of their
 * pinyin (张伟 under Z), full-width and accented Latin under its base letter (Ａnna, Émile).
 *
 * No pinyin table is shipped: CLDR's Chinese (pinyin) collation, which every browser's
 * Intl has, contains index boundary strings, U+FDD0 followed by a letter, sorting just
 * before the first character read with that letter (ICU's AlphabeticIndex is built on
 * them). Comparing a character against those boundaries gives its pinyin initial.
 *
 * Everything expensive happens once per data change (`buildIndex`); a keystroke is one
 * substring test per entry over precomputed keys, in the already-sorted order.
 */

export const INDEX_LETTERS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '#'] as const;
export type IndexLetter = (typeof INDEX_LETTERS)[number];

const HAN = /\p{Script=Han}/u;
const MARKS = /\p{M}/gu;
const ASCII = /^[\x20-\x7e]*$/;

let boundaries: Array<[letter: string, boundary: string]> | null | undefined;
let zh: Intl.Collator | undefined;
const hanLetters = new Map<string, string>();

/** The pinyin collator and its usable boundaries, or null when this Intl lacks them. */
function pinyinBoundaries(): Array<[string, string]> | null {
  if (boundaries !== undefined) return boundaries;
  boundaries = null;
  try {
    zh = new Intl.Collator('zh');
    const c = zh;
    const kept: Array<[string, string]> = [];
    for (const letter of INDEX_LETTERS.slice(0, 26)) {
      const b = `\uFDD0${letter}`;
      // Letters no syllable starts with (I, U, V) have no boundary: the string then sorts
      // as plain text after all Han characters and is skipped.
      if (c.compare(b, 'a') < 0 && (!kept.length || c.compare(kept[kept.length - 1]![1], b) < 0)) kept.push([letter, b]);
    }
    // Sanity check on two well-known readings before trusting the scheme.
    if (kept.length > 20 && c.compare('\uFDD0Z', '张') <= 0 && c.compare('\uFDD0L', '李') <= 0 && c.compare('\uFDD0M', '李') > 0) boundaries = kept;
  } catch {
    boundaries = null;
  }
  return boundaries;
}

/** The pinyin initial (A–Z) of one Han character, '#' when unknown. Memoized per character. */
export function hanInitial(ch: string): string {
  let letter = hanLetters.get(ch);
  if (letter) return letter;
  const list = pinyinBoundaries();
  letter = '#';
  if (list && zh) {
    // Last boundary not after `ch`: binary search over ≤ 23 sorted boundaries.
    let lo = 0;
    let hi = list.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (zh.compare(list[mid]![1], ch) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found >= 0) letter = list[found]![0];
  }
  hanLetters.set(ch, letter);
  return letter;
}

/** Lower case, compatibility forms folded (full-width → ASCII), accents dropped: what search compares. */
export function fold(text: string): string {
  // Most names and every id are ASCII: nothing to decompose.
  return ASCII.test(text) ? text.toLowerCase() : text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

/** The index letter a name files under. */
export function initialOf(label: string): IndexLetter {
  const first = [...label.trim()][0];
  if (!first) return '#';
  if (HAN.test(first)) return hanInitial(first) as IndexLetter;
  const c = fold(first).toUpperCase();
  return c >= 'A' && c <= 'Z' && c.length === 1 ? (c as IndexLetter) : '#';
}

/** Pinyin initials of the Han characters in a name ("张伟" → "zw"), so typing "zw" finds it. */
export function pinyinInitials(label: string): string {
  let out = '';
  for (const ch of label) if (HAN.test(ch)) out += hanInitial(ch).toLowerCase();
  return out;
}

export interface IndexInput {
  id: string;
  /** Display name; undefined while unknown (the entry files under its id meanwhile). */
  name: string | undefined;
}

export interface IndexEntry<T extends IndexInput = IndexInput> {
  item: T;
  letter: IndexLetter;
  /** Folded name, id and pinyin initials, joined by newlines (a query never holds one). */
  key: string;
}

/**
 * Sorts items for display: by index letter (A–Z, then #), then Chinese names in pinyin
 * order, then the rest in the locale's order. Call once per data change.
 */
export function buildIndex<T extends IndexInput>(items: readonly T[], locale: string): IndexEntry<T>[] {
  // Default options: V8 compares ASCII strings on a fast path then (numeric or base
  // sensitivity would cost 2-3x on a 10,000-name sort).
  const local = new Intl.Collator(locale);
  const han = pinyinBoundaries() && zh ? zh : local;
  const rank = new Map<string, number>(INDEX_LETTERS.map((l, i) => [l, i]));
  const decorated = items.map((item) => {
    const label = (item.name ?? item.id).trim();
    const letter = initialOf(label);
    const isHan = HAN.test(label[0] ?? '');
    const initials = isHan || HAN.test(label) ? pinyinInitials(label) : '';
    return { entry: { item, letter, key: `${fold(label)}\n${fold(item.id)}\n${initials}` }, label, order: rank.get(letter)! * 2 + (isHan ? 0 : 1) };
  });
  // Numbers decide most comparisons; a collator only breaks ties within one group and script.
  decorated.sort((a, b) => a.order - b.order || (a.order & 1 ? local : han).compare(a.label, b.label) || (a.entry.item.id < b.entry.item.id ? -1 : 1));
  return decorated.map((d) => d.entry);
}

/** The entries matching `query` (name, id or pinyin initials), in index order. */
export function filterIndex<T extends IndexInput>(entries: readonly IndexEntry<T>[], query: string, skip?: (item: T) => boolean): IndexEntry<T>[] {
  const q = fold(query.trim());
  const out: IndexEntry<T>[] = [];
  for (const e of entries) if ((!q || e.key.includes(q)) && !skip?.(e.item)) out.push(e);
  return out;
}
