import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface VisibleRange {
  /** First row to render (inclusive). */
  start: number;
  /** Row after the last one to render. */
  end: number;
}

/** Rows to render for a viewport over `count` rows of `rowHeight` px, with `overscan` rows either side. */
export function visibleRange(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number): VisibleRange {
  if (count === 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const visible = Math.ceil(Math.max(viewport, rowHeight) / rowHeight) + 1;
  const start = Math.max(0, Math.min(count - 1, first - overscan));
  const end = Math.min(count, first + visible + overscan);
  return { start, end };
}

/**
 * Windowing for lists of equal-height rows (conversation list, contact picker): the
 * host renders only `range` inside a spacer of `count × rowHeight` px, and re-renders
 * when scrolling moves the window (at most once per frame) or the viewport resizes.
 */
export class FixedVirtualizer implements ReactiveController {
  range: VisibleRange = { start: 0, end: 0 };
  #scroller: HTMLElement | null = null;
  #count = 0;
  #frame = 0;
  #resize = new ResizeObserver(() => this.#measure());

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly rowHeight: number,
    private readonly overscan = 6,
  ) {
    host.addController(this);
  }

  /** Tells the virtualizer its scrolling element and the row count; call from the host's `updated()`. */
  attach(scroller: HTMLElement | null, count: number): void {
    if (scroller !== this.#scroller) {
      this.#scroller?.removeEventListener('scroll', this.#onScroll);
      this.#resize.disconnect();
      this.#scroller = scroller;
      scroller?.addEventListener('scroll', this.#onScroll, { passive: true });
      if (scroller) this.#resize.observe(scroller);
    }
    this.#count = count;
    this.#measure();
  }

  /** Scrolls so that row `index` is visible. */
  reveal(index: number): void {
    const s = this.#scroller;
    if (!s) return;
    const top = index * this.rowHeight;
    if (top < s.scrollTop) s.scrollTop = top;
    else if (top + this.rowHeight > s.scrollTop + s.clientHeight) s.scrollTop = top + this.rowHeight - s.clientHeight;
    this.#measure();
  }

  hostConnected(): void {
    if (this.#scroller) this.#resize.observe(this.#scroller);
  }

  hostDisconnected(): void {
    this.#resize.disconnect();
    cancelAnimationFrame(this.#frame);
  }

  #onScroll = (): void => {
    if (this.#frame) return;
    this.#frame = requestAnimationFrame(() => {
      this.#frame = 0;
      this.#measure();
    });
  };

  #measure(): void {
    const s = this.#scroller;
    // Before layout (or when hidden) assume a tall viewport, so the first paint is never empty.
    const viewport = s && s.clientHeight > 0 ? s.clientHeight : 1200;
    const next = visibleRange(s?.scrollTop ?? 0, viewport, this.rowHeight, this.#count, this.overscan);
    if (next.start !== this.range.start || next.end !== this.range.end) {
      this.range = next;
      this.host.requestUpdate();
    }
  }
}
