import { liveQuery, type Subscription } from 'dexie';
import type { ReactiveController } from 'lit';
import type { ChatDB } from '../../store/schema.js';
import type { CkElement } from './ck-element.js';

/**
 * Runs a store query for an element and re-renders it whenever the records the
 * query read change, in this tab or another (Dexie liveQuery). Re-subscribes when
 * the kit's store or any of `deps` changes. `value` is undefined until the first result
 * for the current store; after a change of `deps` it holds the previous result until
 * the new one arrives (callers that must not show it check what it was computed for).
 */
export class LiveQueryController<T> implements ReactiveController {
  value: T | undefined;
  error: unknown;
  #sub: Subscription | undefined;
  #key: readonly unknown[] | undefined;
  /** A render is scheduled (a frame or timer handle; -1: after this frame). */
  #frame = 0;
  /** A render ran in the current frame. */
  #rendering = false;

  constructor(
    private readonly host: CkElement,
    private readonly query: (db: ChatDB) => Promise<T>,
    private readonly deps: () => readonly unknown[] = () => [],
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#sync();
  }

  hostUpdate(): void {
    // An element updated after it left the page must not subscribe again (and stay alive through it).
    if (this.host.isConnected) this.#sync();
  }

  /**
   * However many results arrive (a burst of messages commits many small transactions),
   * the host renders at most once per frame. The first result in a frame renders at once
   * (a new message shows without waiting a frame); later ones wait for the next frame. A
   * hidden page, which gets no frames, renders on a timer so it is current when shown.
   */
  #render(): void {
    if (this.#frame) return;
    if (document.visibilityState !== 'visible') {
      this.#frame = setTimeout(() => this.#flush(), 50) as unknown as number;
      return;
    }
    if (this.#rendering) {
      // Already rendered in this frame: the frame's end schedules one more.
      this.#frame = -1;
      return;
    }
    this.#flush();
  }

  /** Renders now, then holds further renders until this frame has been painted. */
  #flush(): void {
    this.#frame = 0;
    this.host.requestUpdate();
    if (document.visibilityState !== 'visible') return;
    this.#rendering = true;
    requestAnimationFrame(() => {
      this.#rendering = false;
      // Results that came during this frame render in the next one.
      if (this.#frame === -1) this.#frame = requestAnimationFrame(() => this.#flush());
    });
  }

  hostDisconnected(): void {
    this.#sub?.unsubscribe();
    this.#sub = undefined;
    this.#key = undefined;
  }

  #sync(): void {
    const db = this.host.ck?.db;
    const key = [db, ...this.deps()];
    if (this.#key && key.length === this.#key.length && key.every((k, i) => Object.is(k, this.#key![i]))) return;
    // Another store means other data: forget it. Other deps (a bigger page, say) keep
    // the last value on screen until the new one arrives, so nothing blinks or jumps.
    if (this.#key?.[0] !== db) this.value = undefined;
    this.#key = key;
    this.#sub?.unsubscribe();
    this.#sub = undefined;
    this.error = undefined;
    if (!db) {
      this.value = undefined;
      return;
    }
    this.#sub = liveQuery(() => this.query(db)).subscribe({
      next: (value) => {
        this.value = value;
        this.#render();
      },
      error: (error: unknown) => {
        this.error = error;
        this.#render();
      },
    });
  }
}
