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
  #frame = 0;

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
    this.#sync();
  }

  /**
   * However many results arrive (a burst of messages commits many small transactions),
   * the host renders at most once per frame; a hidden page, which gets no frames, renders
   * on a timer so it is current when it is shown.
   */
  #render(): void {
    if (this.#frame) return;
    const run = (): void => {
      this.#frame = 0;
      this.host.requestUpdate();
    };
    this.#frame = document.visibilityState === 'visible' ? requestAnimationFrame(run) : (setTimeout(run, 50) as unknown as number);
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
