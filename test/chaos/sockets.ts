// Test-side control of the kits' WebSockets. `install()` replaces `window.WebSocket` (before
// any kit connects) with a subclass that remembers every instance, so the harness can:
//   - drop a client's socket without an XMPP stream close (`drop`), and
//   - make a socket "silent" first (`silence`): frames in both directions are lost, as on a
//     dead network path, while the client still believes it is online.
// It also reads the stream-management outcome of each connection (<enabled/>, <resumed/>,
// <failed/>) from the frames, to report how the kits came back, and can keep a trace of
// every frame for diagnosis.
//
// Sockets are told apart by a query parameter on the service URL (`?chaos=alice`), which
// Prosody ignores: the kit's `service` option is just that URL.
//
// How a drop works: the socket is silenced and closed at the WebSocket level (no XMPP
// <close/>). The browser reports the close once the server answers the close frame. Prosody
// 0.12 does not answer it on a connection that resumed an XEP-0198 session (see
// scripts/chaos/ws-close-after-resume.mjs), and Chromium would then wait up to its closing
// timeout; so when no close event has come after CLOSE_GRACE_MS, the client is handed the
// close event a network failure produces (code 1006, not clean), as the browser does when a
// connection dies. The server then still holds the old connection until the client resumes
// on a new one - the "server has not noticed yet" case.

export const TAG_PARAM = 'chaos';
const CLOSE_GRACE_MS = 300;

export function taggedService(service: string, tag: string): string {
  const url = new URL(service);
  url.searchParams.set(TAG_PARAM, tag);
  return url.toString();
}

export interface SocketCounts {
  /** WebSockets opened. */
  sockets: number;
  /** Sessions that started anew with stream management enabled. */
  enabled: number;
  /** <resume/> requests sent. */
  resumeRequests: number;
  /** Sessions resumed (XEP-0198). */
  resumed: number;
  /** Resumptions the server refused (<failed/>). */
  resumeFailed: number;
  /** Stream errors from the server, by condition. */
  streamErrors: Record<string, number>;
  /** Frames lost on purpose while silent (in, out). */
  silencedIn: number;
  silencedOut: number;
  /** Drops forced by the harness. */
  drops: number;
  /** Drops whose close the server never answered (the client was handed a 1006 close). */
  unansweredCloses: number;
}

interface Tracked {
  id: number;
  tag: string;
  ws: WebSocket;
  silent: boolean;
  closed: boolean;
}

/** Outgoing frames kept back (for targeted scenarios): they go out, in order, on `release`. */
export interface Hold {
  /** Frames held so far and not yet released. */
  readonly frames: readonly string[];
  /** Sends the held frames that match `which` (all by default), in order; the hold stays armed. */
  release(which?: (frame: string) => boolean): number;
  /** Stops holding new frames (held ones stay until released). */
  disarm(): void;
}

interface HoldState {
  tag: string;
  match: (frame: string) => boolean;
  armed: boolean;
  queue: Array<{ entry: Tracked; frame: string }>;
}

interface Watch {
  tag: string;
  direction: 'in' | 'out';
  match: RegExp;
  callback: (frame: string) => void;
}

const SM = 'urn:xmpp:sm:3';

export class SocketControl {
  #native: typeof WebSocket | undefined;
  /** With `trace`, every frame and socket event, oldest first (bounded). */
  readonly trace: string[] | undefined;
  readonly #traceLimit: number;
  readonly #t0 = performance.now();
  readonly #sockets: Tracked[] = [];
  readonly #counts = new Map<string, SocketCounts>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #holds: HoldState[] = [];
  readonly #watches: Watch[] = [];

  constructor(options: { trace?: boolean; traceLimit?: number } = {}) {
    this.trace = options.trace ? [] : undefined;
    this.#traceLimit = options.traceLimit ?? 100_000;
  }

  note(tag: string, what: string): void {
    if (!this.trace) return;
    this.trace.push(`${((performance.now() - this.#t0) / 1000).toFixed(3)} ${tag} ${what}`);
    if (this.trace.length > this.#traceLimit) this.trace.splice(0, this.trace.length - this.#traceLimit);
  }

  counts(tag: string): SocketCounts {
    let c = this.#counts.get(tag);
    if (!c) {
      c = {
        sockets: 0,
        enabled: 0,
        resumeRequests: 0,
        resumed: 0,
        resumeFailed: 0,
        streamErrors: {},
        silencedIn: 0,
        silencedOut: 0,
        drops: 0,
        unansweredCloses: 0,
      };
      this.#counts.set(tag, c);
    }
    return c;
  }

  install(): void {
    if (this.#native) return;
    const Native = globalThis.WebSocket;
    this.#native = Native;
    const control = this;

    class ChaosWebSocket extends Native {
      readonly #entry: Tracked;

      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        let tag = '';
        try {
          tag = new URL(String(url)).searchParams.get(TAG_PARAM) ?? '';
        } catch {
          /* not a URL we know */
        }
        const entry: Tracked = { id: ++control.counts(tag).sockets, tag, ws: this, silent: false, closed: false };
        this.#entry = entry;
        control.#track(entry);
        const name = `ws#${entry.id}`;
        control.note(tag, `${name} new`);
        super.addEventListener('open', () => control.note(tag, `${name} open`));
        super.addEventListener('close', (e: CloseEvent) => {
          const first = !entry.closed;
          entry.closed = true;
          control.note(tag, `${name} close event code=${e.code} clean=${e.wasClean}${e.isTrusted ? '' : ' (handed by the harness)'}${first ? '' : ' (late: the client was handed one already)'}`);
        });
        // Registered before the client's own listeners: it can hide frames from them.
        super.addEventListener('message', (event: MessageEvent) => {
          if (entry.silent) {
            control.counts(tag).silencedIn++;
            control.note(tag, `${name} <X ${String(event.data).slice(0, 400)}`);
            event.stopImmediatePropagation();
            return;
          }
          control.note(tag, `${name} <- ${String(event.data).slice(0, 400)}`);
          if (typeof event.data === 'string') {
            control.#inspectIn(tag, event.data);
            control.#fire(tag, 'in', event.data);
          }
        });
      }

      override send(data: Parameters<WebSocket['send']>[0]): void {
        const entry = this.#entry;
        control.note(entry.tag, `ws#${entry.id} ${entry.silent ? 'X>' : '->'} ${String(data).slice(0, 400)}`);
        if (entry.silent) {
          control.counts(entry.tag).silencedOut++;
          return;
        }
        if (typeof data === 'string') {
          const hold = control.#holds.find((h) => h.armed && h.tag === entry.tag && h.match(data));
          if (hold) {
            control.note(entry.tag, `ws#${entry.id} held: ${data.slice(0, 120)}`);
            hold.queue.push({ entry, frame: data });
            return;
          }
          if (data.startsWith('<resume ')) control.counts(entry.tag).resumeRequests++;
          control.#fire(entry.tag, 'out', data);
        }
        super.send(data);
      }
    }
    globalThis.WebSocket = ChaosWebSocket;
  }

  uninstall(): void {
    if (this.#native) globalThis.WebSocket = this.#native;
    this.#native = undefined;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #track(entry: Tracked): void {
    this.#sockets.push(entry);
    // Keep the list short: closed sockets of the past are of no use.
    if (this.#sockets.length > 64) {
      const live = this.#sockets.filter((s) => !s.closed);
      this.#sockets.splice(0, this.#sockets.length, ...live);
    }
  }

  #fire(tag: string, direction: 'in' | 'out', frame: string): void {
    for (const w of [...this.#watches]) {
      if (w.tag !== tag || w.direction !== direction || !w.match.test(frame)) continue;
      this.#watches.splice(this.#watches.indexOf(w), 1);
      w.callback(frame);
    }
  }

  /** Calls `callback` once, for the first frame of `tag` in `direction` that matches. */
  once(tag: string, direction: 'in' | 'out', match: RegExp, callback: (frame: string) => void): () => void {
    const watch: Watch = { tag, direction, match, callback };
    this.#watches.push(watch);
    return () => {
      const i = this.#watches.indexOf(watch);
      if (i >= 0) this.#watches.splice(i, 1);
    };
  }

  /** Keeps back outgoing frames of `tag` that match (the client believes they were sent). */
  hold(tag: string, match: (frame: string) => boolean): Hold {
    const state: HoldState = { tag, match, armed: true, queue: [] };
    this.#holds.push(state);
    const native = this.#native;
    return {
      get frames() {
        return state.queue.map((q) => q.frame);
      },
      release: (which = () => true) => {
        const out = state.queue.filter((q) => which(q.frame));
        state.queue = state.queue.filter((q) => !which(q.frame));
        for (const { entry, frame } of out) {
          this.note(tag, `ws#${entry.id} released: ${frame.slice(0, 120)}`);
          if (!entry.silent && entry.ws.readyState === WebSocket.OPEN && native) native.prototype.send.call(entry.ws, frame);
        }
        return out.length;
      },
      disarm: () => {
        state.armed = false;
      },
    };
  }

  #inspectIn(tag: string, frame: string): void {
    const c = this.counts(tag);
    if (frame.startsWith('<enabled') && frame.includes(SM)) c.enabled++;
    else if (frame.startsWith('<resumed') && frame.includes(SM)) c.resumed++;
    else if (frame.startsWith('<failed') && frame.includes(SM)) c.resumeFailed++;
    else if (frame.startsWith('<stream:error')) {
      const condition = /<([a-z-]+) xmlns=['"]urn:ietf:params:xml:ns:xmpp-streams['"]/.exec(frame)?.[1] ?? 'unknown';
      c.streamErrors[condition] = (c.streamErrors[condition] ?? 0) + 1;
    }
  }

  /** The newest socket of `tag` that is open and not yet cut by the harness. */
  #current(tag: string): Tracked | undefined {
    for (let i = this.#sockets.length - 1; i >= 0; i--) {
      const s = this.#sockets[i]!;
      if (s.tag === tag && !s.closed && s.ws.readyState === WebSocket.OPEN) return s;
    }
    return undefined;
  }

  /** From now on the current socket of `tag` loses every frame, both ways. False when none is open. */
  silence(tag: string): boolean {
    const entry = this.#current(tag);
    if (!entry) return false;
    entry.silent = true;
    this.note(tag, `ws#${entry.id} SILENCED (harness)`);
    return true;
  }

  /**
   * Cuts the socket(s) of `tag` that are silenced, or else the current one: closed at the
   * WebSocket level with no XMPP <close/>, no frame passing any more. False when none was open.
   */
  drop(tag: string, options: { immediate?: boolean } = {}): boolean {
    const silenced = this.#sockets.filter((s) => s.tag === tag && s.silent && !s.closed);
    const current = this.#current(tag);
    const victims = silenced.length > 0 ? silenced : current ? [current] : [];
    for (const s of victims) {
      this.counts(tag).drops++;
      this.note(tag, `ws#${s.id} DROP (harness)`);
      s.silent = true;
      s.ws.close();
      if (options.immediate) {
        // The client learns at once, as when the browser reports a failed connection.
        s.ws.dispatchEvent(new CloseEvent('close', { code: 1006, reason: 'connection lost (chaos)', wasClean: false }));
        continue;
      }
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        if (s.closed) return;
        this.counts(tag).unansweredCloses++;
        this.note(tag, `ws#${s.id} close not answered within ${CLOSE_GRACE_MS} ms`);
        s.ws.dispatchEvent(new CloseEvent('close', { code: 1006, reason: 'connection lost (chaos)', wasClean: false }));
      }, CLOSE_GRACE_MS);
      this.#timers.add(timer);
    }
    return victims.length > 0;
  }
}
