/**
 * Untrusted message text -> Lit templates.
 *
 * Every piece of user text reaches the DOM as a Lit text binding or a
 * Lit-set attribute; nothing here builds HTML strings. The renderer is a few
 * linear passes with no regular expressions, so hostile input cannot trigger
 * backtracking, and `maxChars` bounds the DOM it can produce.
 *
 * Styling follows XEP-0393 (blocks, then spans within single lines) and keeps
 * the directive characters visible in `.ck-sd` spans, as the XEP recommends.
 * Rendering preserves the text exactly: the output's textContent equals the
 * (possibly truncated) body, so the caller renders it with
 * `white-space: pre-wrap`.
 */
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { safeHref } from './url.js';

/** Default cap on the UTF-16 length rendered by {@link renderText}. */
export const MAX_RENDER_CHARS = 20000;

/**
 * A XEP-0372 reference: `begin` (inclusive) and `end` (exclusive, as in the
 * XEP's example) count code points into the body, not UTF-16 units.
 */
export interface MentionRange {
  begin: number;
  end: number;
  uri: string;
}

export interface RenderTextOptions {
  mentions?: readonly MentionRange[];
  /** The viewer's own URI; mentions of it get `ck-mention-self`. */
  selfUri?: string;
  /** Truncate bodies longer than this many UTF-16 units (default {@link MAX_RENDER_CHARS}). */
  maxChars?: number;
}

/**
 * Cuts `text` to at most `maxChars` UTF-16 units without splitting a surrogate
 * pair. A NaN or negative limit means no limit.
 */
export function truncateText(text: string, maxChars: number): { text: string; truncated: boolean } {
  if (!(maxChars >= 0) || text.length <= maxChars) return { text, truncated: false };
  let cut = Math.floor(maxChars);
  if (cut > 0 && isHighSurrogate(text.charCodeAt(cut - 1))) cut--;
  return { text: text.slice(0, cut), truncated: true };
}

/** Renders a message body; see the module comment for the rules. */
export function renderText(body: string, opts: RenderTextOptions = {}): TemplateResult {
  const { text, truncated } = truncateText(String(body ?? ''), opts.maxChars ?? MAX_RENDER_CHARS);
  const r = new Renderer(text, opts);
  const out = r.render();
  if (truncated) out.push(html`<span class="ck-truncated">…</span>`);
  return html`${unwrap(out)}`;
}

let graphemes: Intl.Segmenter | null | undefined;

/**
 * One-line preview for conversation lists: whitespace runs collapse to one
 * space, styling directives stay, and text longer than `max` grapheme
 * clusters ends in "…" (never splitting a code point or an emoji sequence).
 */
export function plainPreview(body: string, max = 120): string {
  const line = String(body ?? '').replace(/[\p{White_Space}\p{Z}]+/gu, ' ').trim();
  if (max < 1) return '';
  if (line.length <= max) return line; // at most `max` UTF-16 units, so at most `max` graphemes
  if (graphemes === undefined) {
    graphemes = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
  }
  let count = 0;
  let keepEnd = 0; // end of the first max-1 graphemes
  if (graphemes) {
    for (const seg of graphemes.segment(line)) {
      if (count === max) return line.slice(0, keepEnd).trimEnd() + '…';
      count++;
      if (count <= max - 1) keepEnd = seg.index + seg.segment.length;
    }
  } else {
    let i = 0;
    for (const cp of line) {
      if (count === max) return line.slice(0, keepEnd).trimEnd() + '…';
      count++;
      i += cp.length;
      if (count <= max - 1) keepEnd = i;
    }
  }
  return line;
}

// ---------------------------------------------------------------------------

const MAX_QUOTE_DEPTH = 32; // deeper '>' stay text: bounds recursion on ">>>>..."

const STRONG = 0;
const EMPH = 1;
const STRIKE = 2;
const CODE = 3;
const DIRECTIVES = ['*', '_', '~', '`'] as const;
const SPAN_TAGS = ['strong', 'em', 's', 'code'] as const;

function directiveOf(c: number): number {
  switch (c) {
    case 0x2a: return STRONG;
    case 0x5f: return EMPH;
    case 0x7e: return STRIKE;
    case 0x60: return CODE;
    default: return -1;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}

/** XEP-0393 whitespace: Unicode White_Space or category Z (all in the BMP). */
function isWs(c: number): boolean {
  if (c < 0x80) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  return (
    c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/** Characters that end an auto-detected URL. */
function endsUrl(c: number): boolean {
  if (c <= 0x20 || (c >= 0x7f && c <= 0xa0) || isWs(c)) return true;
  if (c === 0x3c || c === 0x3e || c === 0x22 || c === 0x60) return true; // < > " `
  // Invisible format characters (zero-width, bidi controls) stay text.
  if ((c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || c === 0xfeff) {
    return true;
  }
  // CJK and fullwidth punctuation: Chinese text often runs straight on after a link.
  return (
    (c >= 0x3000 && c <= 0x303f) || (c >= 0xff01 && c <= 0xff0f) || (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) || (c >= 0xff5b && c <= 0xff65)
  );
}

/** A URL may not start right after these (e.g. "xhttp://", "a.www.b", "me@www.x"). */
function gluesToUrl(c: number): boolean {
  return (
    (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) ||
    c === 0x40 || c === 0x2e || c === 0x2f || c === 0x2d || c === 0x2b || c === 0x3a ||
    c === 0x25 || c === 0x3d || c === 0x26 || c === 0x23
  );
}

// Trailing characters that end a sentence rather than a URL.
const TRAILING = new Set([0x2e, 0x2c, 0x3a, 0x3b, 0x21, 0x3f, 0x27, 0x22, 0x2a, 0x5f, 0x7e]);
const URL_PREFIXES = ['https://', 'http://', 'mailto:', 'xmpp:', 'www.'] as const;

interface Line {
  ls: number; // line start in the body
  s: number; // content start after quote prefixes
  e: number; // content end, excluding '\n'
  nl: boolean; // followed by '\n'
}

type Node =
  | { k: 'text'; s: number; e: number; plain: boolean } // plain: no links/mentions (code, prefixes)
  | { k: 'sd'; s: number; e: number; quote: boolean }
  | { k: 'span'; type: number; open: number; close: number; kids: Node[] } // open/close: directive offsets
  | { k: 'quote'; kids: Node[] }
  | { k: 'pre'; kids: Node[] };

interface Deco {
  s: number;
  e: number;
  href?: string;
  uri?: string;
}

class Renderer {
  private readonly n: number;
  private readonly masked: Uint8Array;
  private readonly nextClose: Array<Int32Array | null> = [null, null, null, null];
  private readonly decos: Deco[];
  private cursor = 0;
  private readonly selfUri: string | undefined;

  constructor(private readonly text: string, opts: RenderTextOptions) {
    this.n = text.length;
    this.selfUri = opts.selfUri;
    const mentions = this.mentionRanges(opts.mentions ?? []);
    const links = this.findLinks();
    this.decos = mergeDecos(mentions, links);
    // Directive characters inside links and mentions are content, not styling.
    this.masked = new Uint8Array(this.n);
    for (const d of this.decos) this.masked.fill(1, d.s, d.e);
  }

  render(): unknown[] {
    const nodes = this.parseBlocks(this.splitLines(), 0);
    return this.emit(nodes);
  }

  // --- decorations -------------------------------------------------------

  /** XEP-0372 code-point offsets -> UTF-16 ranges; invalid or overlapping ones are dropped. */
  private mentionRanges(mentions: readonly MentionRange[]): Deco[] {
    const valid = mentions
      .filter(
        (m) =>
          m && Number.isInteger(m.begin) && Number.isInteger(m.end) && m.begin >= 0 &&
          m.end > m.begin && typeof m.uri === 'string',
      )
      .sort((a, b) => a.begin - b.begin);
    const { text, n } = this;
    const out: Deco[] = [];
    // Kept ranges are sorted and disjoint, so one forward walk converts them all.
    let i = 0; // UTF-16 index of code point `cp`
    let cp = 0;
    const walkTo = (target: number): void => {
      while (cp < target && i < n) {
        i += isHighSurrogate(text.charCodeAt(i)) && isLowSurrogate(text.charCodeAt(i + 1)) ? 2 : 1;
        cp++;
      }
    };
    let lastEnd = 0;
    for (const m of valid) {
      if (m.begin < lastEnd) continue;
      walkTo(m.begin);
      if (i >= n) break; // starts past the (truncated) end
      const s = i;
      walkTo(m.end); // a range running past the end keeps what is shown
      out.push({ s, e: i, uri: m.uri });
      lastEnd = m.end;
    }
    return out;
  }

  /** Auto-links http(s), mailto, xmpp and www. URLs in one left-to-right pass. */
  private findLinks(): Deco[] {
    const { text, n } = this;
    const out: Deco[] = [];
    let i = 0;
    while (i < n) {
      // Cheap filter on the first two letters before slicing: h[t], m[a], x[m], w[w].
      const c = text.charCodeAt(i) | 0x20; // ASCII lower-case
      const c2 = text.charCodeAt(i + 1) | 0x20;
      const candidate =
        (c === 0x68 && c2 === 0x74) || (c === 0x6d && c2 === 0x61) || (c === 0x78 && c2 === 0x6d) || (c === 0x77 && c2 === 0x77);
      if (!candidate || (i > 0 && gluesToUrl(text.charCodeAt(i - 1)))) {
        i++;
        continue;
      }
      const head = text.slice(i, i + 8).toLowerCase();
      const prefix = URL_PREFIXES.find((p) => head.startsWith(p));
      if (!prefix) {
        i++;
        continue;
      }
      const bodyStart = i + prefix.length;
      let j = bodyStart;
      let open = 0; // '(' '[' '{' minus their closers, to keep balanced ones
      let sq = 0;
      let cu = 0;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (endsUrl(d)) break;
        if (d === 0x28) open++;
        else if (d === 0x29) open--;
        else if (d === 0x5b) sq++;
        else if (d === 0x5d) sq--;
        else if (d === 0x7b) cu++;
        else if (d === 0x7d) cu--;
      }
      // Sentence punctuation and unbalanced closers belong to the text around the URL.
      let end = j;
      while (end > bodyStart) {
        const d = text.charCodeAt(end - 1);
        if (d === 0x29 && open < 0) open++;
        else if (d === 0x5d && sq < 0) sq++;
        else if (d === 0x7d && cu < 0) cu++;
        else if (!TRAILING.has(d)) break;
        end--;
      }
      const first = text.charCodeAt(bodyStart);
      const hostLike = prefix === 'mailto:' || prefix === 'xmpp:' || isAsciiAlnum(first) || first > 0x7f;
      const raw = text.slice(i, end);
      const href = end > bodyStart && hostLike ? safeHref(prefix === 'www.' ? 'https://' + raw : raw) : null;
      if (href) {
        out.push({ s: i, e: end, href });
        i = end;
      } else {
        i = Math.max(j, i + 1); // skip the whole run: keeps "http://http://..." linear
      }
    }
    return out;
  }

  // --- blocks --------------------------------------------------------------

  private splitLines(): Line[] {
    const lines: Line[] = [];
    let ls = 0;
    for (;;) {
      const nl = this.text.indexOf('\n', ls);
      const e = nl < 0 ? this.n : nl;
      lines.push({ ls, s: ls, e, nl: nl >= 0 });
      if (nl < 0) return lines;
      ls = nl + 1;
    }
  }

  private parseBlocks(lines: Line[], depth: number): Node[] {
    const { text } = this;
    const out: Node[] = [];
    let i = 0;
    while (i < lines.length) {
      const line = lines[i]!;
      if (depth < MAX_QUOTE_DEPTH && this.isQuoteLine(line)) {
        const inner: Line[] = [];
        for (; i < lines.length && this.isQuoteLine(lines[i]!); i++) {
          const q = lines[i]!;
          let s = q.s + 1;
          if (s < q.e && isWs(text.charCodeAt(s))) s++; // the XEP trims one leading space
          inner.push({ ...q, s });
        }
        out.push({ k: 'quote', kids: this.parseBlocks(inner, depth + 1) });
      } else if (text.startsWith('```', line.s) && line.e - line.s >= 3) {
        // A block runs to a line of only ``` or to the end of its parent.
        let j = i + 1;
        while (j < lines.length && !this.isFence(lines[j]!)) j++;
        const last = j < lines.length ? j : lines.length - 1;
        const kids: Node[] = [];
        for (let k = i; k <= last; k++) {
          const l = lines[k]!;
          this.prefix(l, kids);
          if (l.e > l.s) {
            const fence = k === i || (k === j && j < lines.length);
            if (fence) kids.push({ k: 'sd', s: l.s, e: l.e, quote: false });
            else addText(kids, l.s, l.e, true);
          }
          if (l.nl) addText(kids, l.e, l.e + 1, true);
        }
        out.push({ k: 'pre', kids });
        i = last + 1;
      } else {
        this.prefix(line, out);
        this.parseSpans(line.s, line.e, out);
        // A newline is never part of a link, so it can join the line's text node.
        if (line.nl) addText(out, line.e, line.e + 1, false);
        i++;
      }
    }
    return out;
  }

  private isQuoteLine(l: Line): boolean {
    return l.s < l.e && this.text.charCodeAt(l.s) === 0x3e;
  }

  private isFence(l: Line): boolean {
    let e = l.e;
    if (e > l.s && this.text.charCodeAt(e - 1) === 0x0d) e--; // tolerate CRLF bodies
    return e - l.s === 3 && this.text.startsWith('```', l.s);
  }

  /** Quote prefixes are drawn inside the innermost block so each line keeps its markers. */
  private prefix(l: Line, out: Node[]): void {
    for (let p = l.ls; p < l.s; p++) {
      if (this.text.charCodeAt(p) === 0x3e) out.push({ k: 'sd', s: p, e: p + 1, quote: true });
      else addText(out, p, p + 1, true);
    }
  }

  // --- spans ---------------------------------------------------------------

  /**
   * XEP-0393 spans within [s, e) (one line, or a span's content): an opening
   * directive starts the range or follows whitespace, is followed by
   * non-whitespace, and matches the first valid closing directive lazily.
   */
  private parseSpans(s: number, e: number, out: Node[]): void {
    const { text } = this;
    let plainFrom = s;
    for (let i = s; i < e; i++) {
      const type = directiveOf(text.charCodeAt(i));
      // Needs room for a directive, some text and the closing directive.
      if (type < 0 || this.masked[i] || i + 2 >= e) continue;
      if (i !== s && !isWs(text.charCodeAt(i - 1))) continue;
      const next = text.charCodeAt(i + 1);
      // Also refuse a doubled directive so "**" and "****" stay plain, as the XEP's examples require.
      if (isWs(next) || directiveOf(next) === type) continue;
      const close = this.closeAfter(type, i + 2);
      if (close >= e) continue;
      if (plainFrom < i) addText(out, plainFrom, i, false);
      const kids: Node[] = [];
      if (type === CODE) addText(kids, i + 1, close, true);
      else this.parseSpans(i + 1, close, kids);
      out.push({ k: 'span', type, open: i, close, kids });
      i = close;
      plainFrom = close + 1;
    }
    if (plainFrom < e) addText(out, plainFrom, e, false);
  }

  /** First valid closing directive of `type` at or after `from` (or n). */
  private closeAfter(type: number, from: number): number {
    if (from >= this.n) return this.n;
    let table = this.nextClose[type];
    if (!table) {
      // Built once per directive, back to front: O(n) and reused by every opening.
      const { text, n } = this;
      const ch = DIRECTIVES[type]!.charCodeAt(0);
      table = new Int32Array(n + 1);
      table[n] = n;
      for (let j = n - 1; j >= 0; j--) {
        const ok = text.charCodeAt(j) === ch && j > 0 && !isWs(text.charCodeAt(j - 1)) && !this.masked[j];
        table[j] = ok ? j : table[j + 1]!;
      }
      this.nextClose[type] = table;
    }
    return table[from]!;
  }

  // --- templates -----------------------------------------------------------

  private emit(nodes: Node[]): unknown[] {
    const out: unknown[] = [];
    for (const node of nodes) {
      switch (node.k) {
        case 'text':
          if (node.plain) {
            this.skipDecos(node.e);
            pushText(out, this.text.slice(node.s, node.e));
          } else {
            this.decorate(node.s, node.e, out);
          }
          break;
        case 'sd': {
          this.skipDecos(node.e);
          out.push(directive(this.text.slice(node.s, node.e), node.quote));
          break;
        }
        case 'span': {
          const open = this.text[node.open]!;
          const kids = unwrap(this.emit(node.kids));
          out.push(spanTemplate(node.type, open, kids, this.text[node.close]!));
          break;
        }
        case 'quote':
          out.push(html`<blockquote>${unwrap(this.emit(node.kids))}</blockquote>`);
          break;
        case 'pre':
          out.push(html`<pre>${unwrap(this.emit(node.kids))}</pre>`);
          break;
      }
    }
    return out;
  }

  /** Drops decorations that end before `pos` (they fell in code). Nodes arrive in text order. */
  private skipDecos(pos: number): void {
    while (this.cursor < this.decos.length && this.decos[this.cursor]!.e <= pos) this.cursor++;
  }

  private decorate(s: number, e: number, out: unknown[]): void {
    const { text, decos } = this;
    let at = s;
    this.skipDecos(s);
    while (this.cursor < decos.length && decos[this.cursor]!.s < e) {
      const d = decos[this.cursor]!;
      const from = Math.max(at, d.s);
      const to = Math.min(e, d.e);
      if (at < from) pushText(out, text.slice(at, from));
      const t = text.slice(from, to);
      if (d.href !== undefined) {
        out.push(html`<a class="ck-link" href=${d.href} target="_blank" rel="noopener noreferrer">${t}</a>`);
      } else {
        const cls = d.uri === this.selfUri ? 'ck-mention ck-mention-self' : 'ck-mention';
        out.push(html`<span class=${cls} data-uri=${d.uri ?? nothing}>${t}</span>`);
      }
      at = to;
      if (d.e > e) break; // continues into the next node
      this.cursor++;
    }
    if (at < e) pushText(out, text.slice(at, e));
  }
}

/** Lit gives every array item its own part and markers; a lone child needs none. */
function unwrap(kids: unknown[]): unknown {
  return kids.length === 1 ? kids[0] : kids;
}

/** Adjacent text becomes one string: one DOM text node instead of thousands in a long pre. */
function pushText(out: unknown[], t: string): void {
  const last = out.length - 1;
  if (last >= 0 && typeof out[last] === 'string') out[last] += t;
  else out.push(t);
}

function directive(t: string, quote: boolean): TemplateResult {
  return quote
    ? html`<span class="ck-sd ck-sd-quote" aria-hidden="true">${t}</span>`
    : html`<span class="ck-sd" aria-hidden="true">${t}</span>`;
}

// One template per span (directives included): span-dense bodies build a third as many results.
function spanTemplate(type: number, o: string, kids: unknown, c: string): TemplateResult {
  switch (SPAN_TAGS[type]) {
    case 'strong':
      return html`<strong><span class="ck-sd" aria-hidden="true">${o}</span>${kids}<span class="ck-sd" aria-hidden="true">${c}</span></strong>`;
    case 'em':
      return html`<em><span class="ck-sd" aria-hidden="true">${o}</span>${kids}<span class="ck-sd" aria-hidden="true">${c}</span></em>`;
    case 's':
      return html`<s><span class="ck-sd" aria-hidden="true">${o}</span>${kids}<span class="ck-sd" aria-hidden="true">${c}</span></s>`;
    default:
      return html`<code><span class="ck-sd" aria-hidden="true">${o}</span>${kids}<span class="ck-sd" aria-hidden="true">${c}</span></code>`;
  }
}

/** Extends the previous text node when contiguous: long bodies of lines stay a few nodes. */
function addText(out: Node[], s: number, e: number, plain: boolean): void {
  const last = out[out.length - 1];
  if (last && last.k === 'text' && last.e === s && last.plain === plain) last.e = e;
  else out.push({ k: 'text', s, e, plain });
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** Both inputs are sorted and self-disjoint; a link that overlaps a mention loses. */
function mergeDecos(mentions: Deco[], links: Deco[]): Deco[] {
  if (mentions.length === 0) return links;
  const out: Deco[] = [];
  let m = 0;
  for (const l of links) {
    while (m < mentions.length && mentions[m]!.e <= l.s) out.push(mentions[m++]!);
    if (m < mentions.length && mentions[m]!.s < l.e) continue;
    out.push(l);
  }
  while (m < mentions.length) out.push(mentions[m++]!);
  return out;
}
