/**
 * The part of Node's `events` module that @xmpp/client and ltx use, standing in for the
 * `events` package in the single-file build (vite.config.ts aliases it; ~1.7 KB gzip less).
 * Same observable behaviour for those uses: listeners run in order on a snapshot, a `once`
 * listener can be removed by the function it wraps, and an unhandled 'error' throws.
 */
type Listener = (...args: unknown[]) => unknown;
type Wrapped = Listener & { listener?: Listener };

export class EventEmitter {
  #events = new Map<string | symbol, Wrapped[]>();

  on(event: string | symbol, listener: Listener): this {
    const list = this.#events.get(event);
    if (list) list.push(listener);
    else this.#events.set(event, [listener]);
    return this;
  }

  addListener(event: string | symbol, listener: Listener): this {
    return this.on(event, listener);
  }

  prependListener(event: string | symbol, listener: Listener): this {
    this.#events.set(event, [listener, ...(this.#events.get(event) ?? [])]);
    return this;
  }

  once(event: string | symbol, listener: Listener): this {
    const wrapped: Wrapped = (...args: unknown[]) => {
      this.removeListener(event, wrapped);
      return listener.apply(this, args);
    };
    wrapped.listener = listener;
    return this.on(event, wrapped);
  }

  removeListener(event: string | symbol, listener: Listener): this {
    const list = this.#events.get(event);
    if (!list) return this;
    // The most recently added match goes first, as in Node.
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i]!.listener === listener) {
        list.splice(i, 1);
        break;
      }
    }
    if (list.length === 0) this.#events.delete(event);
    return this;
  }

  off(event: string | symbol, listener: Listener): this {
    return this.removeListener(event, listener);
  }

  removeAllListeners(event?: string | symbol): this {
    if (event === undefined) this.#events.clear();
    else this.#events.delete(event);
    return this;
  }

  emit(event: string | symbol, ...args: unknown[]): boolean {
    const list = this.#events.get(event);
    if (!list?.length) {
      if (event === 'error') throw args[0] instanceof Error ? args[0] : new Error(`Unhandled error. (${String(args[0])})`);
      return false;
    }
    for (const listener of [...list]) listener.apply(this, args);
    return true;
  }

  listenerCount(event: string | symbol): number {
    return this.#events.get(event)?.length ?? 0;
  }

  listeners(event: string | symbol): Listener[] {
    return (this.#events.get(event) ?? []).map((l) => l.listener ?? l);
  }

  rawListeners(event: string | symbol): Listener[] {
    return [...(this.#events.get(event) ?? [])];
  }

  eventNames(): Array<string | symbol> {
    return [...this.#events.keys()];
  }

  // No leak warnings here: the limit is accepted and ignored.
  setMaxListeners(_n: number): this {
    return this;
  }

  getMaxListeners(): number {
    return Infinity;
  }
}

export default EventEmitter;
