/**
 * Roving focus over the message log's rows (WAI-ARIA `log` / `feed` practice): one row is
 * the log's single Tab stop (tabindex 0, all others -1), arrows and Home/End/PageUp/PageDown
 * move it, and Tab from the focused row walks only that row's own controls (links, image,
 * reply quote, reaction chips, voice player, "Show all", download) before leaving the log.
 *
 * Tab stops are managed on the DOM rather than in the row templates, so moving focus costs
 * no re-render: rows render with tabindex -1, controls in every row but the active one are
 * taken out of the Tab order as they appear (a MutationObserver), and only the active row
 * carries an accessible name (a screen reader in browse mode reads the others' content).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export type RowMove = 'previous' | 'next' | 'first' | 'last' | 'page-up' | 'page-down';

/** Where the rendered window stands in the whole conversation. */
export interface RowExtent {
  /** Newer messages exist beyond the last rendered row. */
  newer: boolean;
  /** A window step or an archive page is on its way. */
  busy: boolean;
}

export interface RowFocusOptions {
  /** The log element (`role=log`), once rendered. */
  log(): HTMLElement | null;
  /** What the log shows (the conversation): focus lost to another one is not handed to its rows. */
  scope(): string | null;
  extent(): RowExtent;
  /**
   * Steps the window one step older (or pages the archive; `busy` says whether anything
   * started), one step newer, or to the newest messages.
   */
  loadOlder(): void;
  loadNewer(): void;
  toLatest(): void;
  /** The accessible name and `aria-keyshortcuts` of a message row, while it is the active one. */
  describe(id: string): { label: string; shortcuts: string } | undefined;
  /** A key pressed on a focused row that is not navigation; true when it was handled. */
  rowKey(row: HTMLElement, e: KeyboardEvent): boolean;
}

/** A message row (system lines included). */
export const ROW = '[role=article][data-id]';
/** What the browser puts in the Tab order by itself (shadow hosts are checked separately). */
const CONTROL =
  'a[href], area[href], button, input, select, textarea, iframe, summary, audio[controls], video[controls], [tabindex], [contenteditable]:not([contenteditable=false])';
/** Marks a control this module took out of the Tab order; the value is its own tabindex ('' for none). */
const SAVED = 'data-ck-tabindex';
/** A pending move waits this long at most for the next window (then it stops where it is). */
const PENDING_MS = 8000;
/** Room kept between a revealed row and the log's edge, px. */
const MARGIN = 8;

const KEYS: Record<string, RowMove> = {
  ArrowUp: 'previous',
  ArrowDown: 'next',
  Home: 'first',
  End: 'last',
  PageUp: 'page-up',
  PageDown: 'page-down',
};

type Pending = { kind: 'last'; at: number } | { kind: 'by'; from: string; delta: number; at: number };

export class RowFocus implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  readonly #opts: RowFocusOptions;
  #log: HTMLElement | null = null;
  #observer: MutationObserver | undefined;
  /** The message id of the row that holds the log's Tab stop. */
  #activeId: string | undefined;
  #activeRow: HTMLElement | undefined;
  /** Its index among the rendered rows when last focused (where focus goes if it is removed). */
  #activeIndex = 0;
  /** The element in the log that last had focus, while focus is in the log, and the scope it was in. */
  #focused: HTMLElement | undefined;
  #focusedScope: string | null = null;
  #pending: Pending | undefined;
  #queued = false;

  constructor(host: ReactiveControllerHost & HTMLElement, options: RowFocusOptions) {
    this.#host = host;
    this.#opts = options;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#log) this.#observe(this.#log);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }

  hostUpdated(): void {
    // After the host's own updated() (which restores the scroll position), before paint.
    if (this.#queued) return;
    this.#queued = true;
    queueMicrotask(() => {
      this.#queued = false;
      this.#refresh();
    });
  }

  /** The active row's message id. */
  get activeId(): string | undefined {
    return this.#activeId;
  }

  /** Focuses the row of a message if it is rendered (else the log); false when neither exists. */
  focusMessage(id: string | undefined): boolean {
    const log = this.#opts.log();
    if (!log) return false;
    const row = id ? rowById(log, id) : null;
    if (row) this.focusRow(row);
    else log.focus({ preventScroll: true });
    return true;
  }

  /** Makes `row` the active row, focuses it and (unless `scroll` is false) scrolls it into view inside the log. */
  focusRow(row: HTMLElement, scroll = true): void {
    const log = this.#opts.log();
    if (!log) return;
    this.#activate(row, log);
    row.focus({ preventScroll: true });
    if (scroll) reveal(log, row);
  }

  // ---- Wiring ----

  #refresh(): void {
    const log = this.#opts.log();
    if (log !== this.#log) this.#bind(log);
    if (!log) return;
    const row = this.#activeId ? rowById(log, this.#activeId) : null;
    if (row !== (this.#activeRow ?? null)) {
      // Re-rendered as a new node, or gone (left the window, deleted).
      if (row) this.#activate(row, log, true);
      else {
        this.#activeRow = undefined;
        log.tabIndex = 0;
      }
    } else if (row) this.#label(row);
    this.#recover(log);
    this.#settle(log);
  }

  #bind(log: HTMLElement | null): void {
    this.#observer?.disconnect();
    this.#log?.removeEventListener('keydown', this.#onKey);
    this.#log?.removeEventListener('focusin', this.#onFocusIn);
    this.#log?.removeEventListener('focusout', this.#onFocusOut);
    this.#log = log;
    this.#activeRow = undefined;
    if (!log) return;
    log.addEventListener('keydown', this.#onKey);
    log.addEventListener('focusin', this.#onFocusIn);
    log.addEventListener('focusout', this.#onFocusOut);
    for (const row of log.querySelectorAll<HTMLElement>(ROW)) this.#demote(row);
    this.#observe(log);
  }

  #observe(log: HTMLElement): void {
    this.#observer ??= new MutationObserver((records) => this.#onMutations(records));
    this.#observer.observe(log, { childList: true, subtree: true });
  }

  /** New rows and controls join the Tab order only inside the active row. */
  #onMutations(records: MutationRecord[]): void {
    const log = this.#log;
    if (!log) return;
    for (const r of records) {
      for (const node of r.addedNodes) {
        if (!(node instanceof HTMLElement)) continue;
        const row = rowOf(node, log);
        if (row && row === this.#activeRow) continue;
        if (node.matches(ROW)) this.#demote(node);
        else if (row || node.classList.contains('failure')) hideControls(node);
      }
    }
    if (this.#activeRow && !this.#activeRow.isConnected) this.#refresh();
  }

  #onFocusIn = (e: FocusEvent): void => {
    const log = this.#log;
    const target = e.composedPath()[0];
    if (!log || !(target instanceof HTMLElement)) return;
    this.#focused = target;
    this.#focusedScope = this.#opts.scope();
    // A click or a Tab into a row (or one of its controls) makes it the active row.
    const row = rowOf(target, log);
    if (row && row !== this.#activeRow) this.#activate(row, log);
  };

  #onFocusOut = (e: FocusEvent): void => {
    const to = e.relatedTarget;
    const target = e.composedPath()[0];
    if (to instanceof Node && this.#log?.contains(to)) return;
    // Focus left for elsewhere, unless its element is being removed (then #recover hands it on).
    queueMicrotask(() => {
      if (target instanceof Node && target.isConnected && this.#focused === target) this.#focused = undefined;
    });
  };

  /**
   * Focus was in the log and its element vanished: a deleted message's neighbour takes it,
   * or (the window stepped away under a scrolling reader) a row on screen, without scrolling.
   */
  #recover(log: HTMLElement): void {
    const lost = this.#focused;
    if (!lost || lost.isConnected) return;
    const root = this.#host.shadowRoot;
    if (root?.activeElement || (document.activeElement && document.activeElement !== document.body)) {
      this.#focused = undefined;
      return;
    }
    const rows = rowsOf(log);
    let next: HTMLElement | undefined;
    if (rows.length && this.#focusedScope === this.#opts.scope()) {
      const [top, bottom] = visibleRange(rows, log);
      const i = Math.min(this.#activeIndex, rows.length - 1);
      next = rows[i >= top && i <= bottom ? i : top];
    }
    if (next) this.focusRow(next, false);
    else {
      this.#focused = undefined;
      log.focus({ preventScroll: true });
    }
  }

  // ---- Keys ----

  #onKey = (e: KeyboardEvent): void => {
    const log = this.#log;
    if (!log || e.defaultPrevented) return;
    const target = e.composedPath()[0];
    const row = target instanceof Element ? rowOf(target, log) : null;
    if (target !== log && target !== row) {
      // Escape from a control inside a row goes back to the row.
      if (row && e.key === 'Escape' && !hasModifier(e) && !e.shiftKey) {
        e.preventDefault();
        this.focusRow(row);
      }
      return;
    }
    if (hasModifier(e)) return;
    const move = e.shiftKey ? undefined : KEYS[e.key];
    if (move) {
      e.preventDefault();
      this.#move(move, row, log);
      return;
    }
    if (row && this.#opts.rowKey(row, e)) e.preventDefault();
  };

  #move(move: RowMove, from: HTMLElement | null, log: HTMLElement): void {
    const rows = rowsOf(log);
    if (!rows.length) return;
    const ext = this.#opts.extent();
    const i = from ? rows.indexOf(from) : -1;
    if (move === 'last' && ext.newer) {
      this.#pending = { kind: 'last', at: Date.now() };
      this.#opts.toLatest();
      return;
    }
    if (i < 0) {
      // From the log itself: start from what the reader sees.
      const [top, bottom] = visibleRange(rows, log);
      const start = { previous: bottom, next: top, first: 0, last: rows.length - 1, 'page-up': top, 'page-down': bottom }[move];
      this.focusRow(rows[start]!);
      return;
    }
    let target: number;
    if (move === 'first') target = 0;
    else if (move === 'last') target = rows.length - 1;
    else if (move === 'previous') target = i - 1;
    else if (move === 'next') target = i + 1;
    else target = pageTarget(rows, i, move === 'page-up' ? -1 : 1, log.clientHeight);
    if (target === i && (move === 'page-up' || move === 'page-down')) target += move === 'page-up' ? -1 : 1;
    if (target < 0 || (target >= rows.length && ext.newer)) {
      // Past the rendered window: step it, and finish the move once the new rows are in.
      this.#pending = { kind: 'by', from: rows[i]!.dataset.id!, delta: target - i, at: Date.now() };
      if (target < 0) this.#opts.loadOlder();
      else this.#opts.loadNewer();
      if (!this.#opts.extent().busy) this.#settle(log, true);
      return;
    }
    this.focusRow(rows[Math.max(0, Math.min(rows.length - 1, target))]!);
  }

  /** Finishes a move that waited for a window step; `giveUp` stops at the edge reached. */
  #settle(log: HTMLElement, giveUp = false): void {
    const p = this.#pending;
    if (!p) return;
    const ext = this.#opts.extent();
    const stale = Date.now() - p.at > PENDING_MS;
    const rows = rowsOf(log);
    if (p.kind === 'last') {
      if (stale || ((!ext.newer || giveUp) && !ext.busy)) {
        this.#pending = undefined;
        const last = rows[rows.length - 1];
        if (last && !stale) this.focusRow(last);
      }
      return;
    }
    const i = rows.findIndex((r) => r.dataset.id === p.from);
    if (i < 0 || stale) {
      this.#pending = undefined;
      return;
    }
    const target = i + p.delta;
    const inside = target >= 0 && target < rows.length;
    if (inside || giveUp || (target >= rows.length && !ext.newer && !ext.busy)) {
      this.#pending = undefined;
      this.focusRow(rows[Math.max(0, Math.min(rows.length - 1, target))]!);
    } else if (!ext.busy) {
      // The step landed but the target is still further: step again.
      if (target < 0) this.#opts.loadOlder();
      else this.#opts.loadNewer();
      if (!this.#opts.extent().busy) this.#settle(log, true);
    }
  }

  // ---- Tab stops and names ----

  #activate(row: HTMLElement, log: HTMLElement, force = false): void {
    if (row === this.#activeRow && !force) return;
    const old = this.#activeRow;
    if (old && old !== row) this.#demote(old);
    this.#activeRow = row;
    this.#activeId = row.dataset.id;
    this.#activeIndex = Math.max(0, rowsOf(log).indexOf(row));
    row.tabIndex = 0;
    showControls(row);
    const failure = failureOf(row);
    if (failure) showControls(failure);
    this.#label(row);
    // The active row is the log's one Tab stop.
    log.tabIndex = -1;
  }

  #demote(row: HTMLElement): void {
    if (row.tabIndex !== -1) row.tabIndex = -1;
    row.removeAttribute('aria-label');
    row.removeAttribute('aria-keyshortcuts');
    hideControls(row);
    const failure = failureOf(row);
    if (failure) hideControls(failure);
  }

  #label(row: HTMLElement): void {
    const d = this.#opts.describe(row.dataset.id!);
    if (!d) return;
    if (row.getAttribute('aria-label') !== d.label) row.setAttribute('aria-label', d.label);
    if (d.shortcuts) {
      if (row.getAttribute('aria-keyshortcuts') !== d.shortcuts) row.setAttribute('aria-keyshortcuts', d.shortcuts);
    } else row.removeAttribute('aria-keyshortcuts');
  }
}

// ---- DOM helpers ----

function hasModifier(e: KeyboardEvent): boolean {
  return e.altKey || e.ctrlKey || e.metaKey;
}

export function rowsOf(log: HTMLElement): HTMLElement[] {
  return [...log.querySelectorAll<HTMLElement>(ROW)];
}

function rowById(log: HTMLElement, id: string): HTMLElement | null {
  return log.querySelector<HTMLElement>(`[role=article][data-id="${CSS.escape(id)}"]`);
}

/** The row an element belongs to: its own row, or the row a failure notice (resend, delete) follows. */
function rowOf(el: Element, log: HTMLElement): HTMLElement | null {
  // Inside a shadow root (the voice player): start from its host.
  let node: Element | null = el;
  while (node && !log.contains(node)) node = (node.getRootNode() as ShadowRoot).host ?? null;
  if (!node || node === log) return null;
  const row = node.closest<HTMLElement>(ROW);
  if (row && log.contains(row)) return row;
  const failure = node.closest('.failure');
  const prev = failure?.previousElementSibling;
  return prev instanceof HTMLElement && prev.matches(ROW) ? prev : null;
}

function failureOf(row: HTMLElement): HTMLElement | null {
  const next = row.nextElementSibling;
  return next instanceof HTMLElement && next.classList.contains('failure') ? next : null;
}

/** Takes an element's own controls (and shadow hosts, whose insides follow them) out of the Tab order. */
function hideControls(root: HTMLElement): void {
  const hide = (el: Element) => {
    if (!(el instanceof HTMLElement) || el.hasAttribute(SAVED) || el.matches(ROW)) return;
    el.setAttribute(SAVED, el.getAttribute('tabindex') ?? '');
    el.tabIndex = -1;
  };
  if (root.matches(CONTROL) || root.shadowRoot) hide(root);
  for (const el of root.querySelectorAll('*')) if (el.shadowRoot || el.matches(CONTROL)) hide(el);
}

function showControls(root: HTMLElement): void {
  for (const el of root.querySelectorAll<HTMLElement>(`[${SAVED}]`)) {
    const own = el.getAttribute(SAVED)!;
    if (own === '') el.removeAttribute('tabindex');
    else el.setAttribute('tabindex', own);
    el.removeAttribute(SAVED);
  }
}

/** Indexes of the first and last rows at least partly on screen. */
function visibleRange(rows: HTMLElement[], log: HTMLElement): [number, number] {
  const box = log.getBoundingClientRect();
  let first = -1;
  let last = -1;
  rows.forEach((row, i) => {
    const r = row.getBoundingClientRect();
    if (r.bottom > box.top && r.top < box.bottom) {
      if (first < 0) first = i;
      last = i;
    }
  });
  return first < 0 ? [rows.length - 1, rows.length - 1] : [first, last];
}

/** The row about one screen away from row `i` (at least the next one). */
function pageTarget(rows: HTMLElement[], i: number, dir: -1 | 1, height: number): number {
  const from = rows[i]!.getBoundingClientRect().top;
  let target = i;
  for (let j = i + dir; j >= 0 && j < rows.length; j += dir) {
    if (Math.abs(rows[j]!.getBoundingClientRect().top - from) > height) break;
    target = j;
  }
  return target;
}

/** Scrolls the log (only the log) so the row is in view, with a little room. */
function reveal(log: HTMLElement, row: HTMLElement): void {
  const r = row.getBoundingClientRect();
  const box = log.getBoundingClientRect();
  if (r.top < box.top + MARGIN || r.height > box.height - 2 * MARGIN) log.scrollTop -= box.top + MARGIN - r.top;
  else if (r.bottom > box.bottom - MARGIN) log.scrollTop += r.bottom - (box.bottom - MARGIN);
}
