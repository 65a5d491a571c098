import { xml, type Element } from '@xmpp/client';
import { xmppClient, type XmppClient } from './xmpp-client.js';
import { Emitter } from './emitter.js';
import { backoffDelay } from './backoff.js';
import { NS } from './ns.js';
import { debug } from './log.js';
import { stanzaLimitViolation } from './limits.js';
import { resourceHeld } from './resource-probe.js';

export type LinkStatus = 'offline' | 'connecting' | 'online' | 'reconnecting' | 'conflict';

export interface ConnectionOptions {
  service: string;
  domain: string;
  username: string;
  password: string;
  resource?: string;
  lang?: string;
}

/** The server refused the credentials: retrying cannot help. */
export class LoginError extends Error {
  constructor(readonly condition: string, message: string) {
    super(message);
    this.name = 'LoginError';
  }
}

type ConnectionEvents = {
  status: (status: LinkStatus) => void;
  /** A usable session: `resumed` is true when XEP-0198 resumed the old one (nothing was lost). */
  session: (resumed: boolean) => void;
  stanza: (stanza: Element) => void;
  /** The server acknowledged an outbound stanza (XEP-0198). */
  ack: (stanza: Element) => void;
  /** An outbound stanza will never be acknowledged: the session it was sent in is gone. */
  fail: (stanza: Element) => void;
  /** Another login with the same resource replaced this session. */
  conflict: () => void;
  error: (error: Error) => void;
};

const SM_CONFIRM_TIMEOUT_MS = 3000;

/**
 * One XMPP session over WebSocket that stays up: it reconnects with backoff,
 * resumes with stream management when it can, and tells its users whether a new
 * session began (state must be re-sent) or the old one resumed.
 */
export class Connection extends Emitter<ConnectionEvents> {
  readonly xmpp: XmppClient;
  #status: LinkStatus = 'offline';
  #closing = false;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #connecting = false;
  #firstOnline?: { resolve: () => void; reject: (e: Error) => void };
  /** A fixed resource was bound once: binding it again may replace someone else. */
  #bound = false;

  constructor(readonly options: ConnectionOptions) {
    super();
    const { service, domain, username, password, resource, lang } = options;
    // Reconnection is ours (the client has none): the package's own retries at a fixed pace and cannot back off.
    this.xmpp = xmppClient({ service, domain, username, password, resource: resource ?? randomResource(), lang });
    this.#wire();
  }

  get status(): LinkStatus {
    return this.#status;
  }

  get jid(): string {
    return this.xmpp.jid?.toString() ?? `${this.options.username}@${this.options.domain}`;
  }

  /** Resolves at the first usable session; rejects on refused credentials or `close()`. */
  open(): Promise<void> {
    this.#closing = false;
    this.#setStatus('connecting');
    const done = new Promise<void>((resolve, reject) => (this.#firstOnline = { resolve, reject }));
    void this.#connect();
    return done;
  }

  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    this.#firstOnline?.reject(new Error('The connection was closed before it came online.'));
    this.#firstOnline = undefined;
    if (this.xmpp.status !== 'offline') {
      try {
        if (this.#status === 'online') await this.xmpp.send(xml('presence', { type: 'unavailable' }));
        await this.xmpp.stop();
      } catch (err) {
        debug('close', err);
      }
    }
    this.#setStatus('offline');
  }

  /** Skips the backoff wait (e.g. the browser reports the network is back). */
  retryNow(): void {
    if (this.#status !== 'reconnecting' || this.#connecting) return;
    clearTimeout(this.#timer);
    void this.#connect();
  }

  async send(stanza: Element): Promise<void> {
    await this.xmpp.send(stanza);
  }

  request(iq: Element, timeoutMs = 15_000): Promise<Element> {
    return this.xmpp.iqCaller.request(iq, timeoutMs);
  }

  #setStatus(status: LinkStatus): void {
    if (this.#status === status) return;
    this.#status = status;
    this.emit('status', status);
  }

  async #connect(): Promise<void> {
    if (this.#closing || this.#connecting) return;
    this.#connecting = true;
    try {
      // No session to resume: this attempt would bind the fixed resource anew and so replace
      // whoever holds it now - perhaps the login that replaced us while our conflict was lost.
      if (this.#bound && this.options.resource !== undefined && !this.xmpp.streamManagement.id) {
        if (await this.#replaced()) return;
      }
      await this.xmpp.connect(this.options.service);
      await this.xmpp.open({ domain: this.options.domain, lang: this.options.lang });
      // The outcome (online, resumed, refused) arrives as events.
    } catch (err) {
      debug('connect failed', err);
      this.#connecting = false;
      this.#scheduleReconnect();
    }
  }

  #scheduleReconnect(): void {
    if (this.#closing || this.#status === 'conflict' || this.#connecting) return;
    this.#setStatus('reconnecting');
    clearTimeout(this.#timer);
    const delay = backoffDelay(this.#attempt++);
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }

  /** Asks whether another session holds our fixed resource; if so, this one was replaced. */
  async #replaced(): Promise<boolean> {
    const { service, domain, username, password, lang, resource } = this.options;
    const held = await resourceHeld({ service, domain, username, password, lang, resource: resource! });
    if (this.#closing) throw new Error('closed while checking the resource');
    if (!held) return false;
    debug('the fixed resource is held by another session: replaced while disconnected');
    this.#conflict();
    return true;
  }

  #conflict(): void {
    this.#fatal(new Error('This account signed in elsewhere and replaced this session.'), 'conflict');
    this.emit('conflict');
  }

  #ready(resumed: boolean): void {
    this.#connecting = false;
    this.#attempt = 0;
    this.#setStatus('online');
    this.emit('session', resumed);
    this.#firstOnline?.resolve();
    this.#firstOnline = undefined;
  }

  #cutSocket(): void {
    try {
      socketOf(this.xmpp)?.end();
    } catch (err) {
      debug('cut socket', err);
    }
  }

  #fatal(error: Error, status: LinkStatus): void {
    this.#closing = true;
    this.#connecting = false;
    clearTimeout(this.#timer);
    this.#setStatus(status);
    this.#firstOnline?.reject(error);
    this.#firstOnline = undefined;
    this.emit('error', error);
    this.xmpp.stop().catch((err: unknown) => debug('stop after fatal error', err));
  }

  #wire(): void {
    const { xmpp } = this;
    // Traffic before <enabled/> corrupts @xmpp/client's inbound count, so a new
    // session is announced only once stream management is settled (or times out).
    let smTimer: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      if (smTimer === undefined) return;
      clearTimeout(smTimer);
      smTimer = undefined;
      this.#ready(false);
    };
    xmpp.on('online', () => {
      this.#bound = true;
      smTimer = setTimeout(settle, SM_CONFIRM_TIMEOUT_MS);
    });
    xmpp.on('nonza', (el) => {
      if (el.getNS() !== NS.sm) return;
      // A refused <resume/> (the id is cleared only after this event): @xmpp/client binds the
      // resource next, at once. With a fixed resource that would replace the session that most
      // likely replaced ours, so the socket is cut before the bind can go out (this listener runs
      // synchronously, the library's continuation in a later microtask; a WebSocket that is
      // closing drops what is sent on it). The reconnect then checks who holds the resource.
      if (el.name === 'failed' && xmpp.streamManagement.id && this.options.resource !== undefined && !this.#closing) {
        debug('resume refused: checking the fixed resource before binding it again');
        this.#cutSocket();
        return;
      }
      if (el.name === 'enabled' || el.name === 'failed') settle();
    });
    xmpp.streamManagement.on('resumed', () => this.#ready(true));
    xmpp.streamManagement.on('ack', (stanza) => this.emit('ack', stanza));
    xmpp.streamManagement.on('fail', (stanza) => this.emit('fail', stanza));
    xmpp.on('stanza', (stanza) => {
      // Over-deep or oversized stanzas never reach a parser (see limits.ts).
      const violation = stanzaLimitViolation(stanza);
      if (violation) debug('dropped stanza:', violation);
      else this.emit('stanza', stanza);
    });
    xmpp.on('error', (err) => {
      if (err.name === 'SASLError') {
        this.#fatal(new LoginError(err.condition ?? 'not-authorized', loginMessage(err.condition)), 'offline');
      } else if (err.name === 'StreamError' && err.condition === 'conflict') {
        this.#conflict();
      } else {
        debug('connection error', err);
      }
    });
    xmpp.on('disconnect', () => {
      clearTimeout(smTimer);
      smTimer = undefined;
      this.#connecting = false;
      if (!this.#closing) this.#scheduleReconnect();
    });
  }
}

function socketOf(xmpp: XmppClient): { end(): void } | null {
  // Not in the client's typings: the WebSocket wrapper of the current connection.
  return (xmpp as unknown as { socket?: { end(): void } | null }).socket ?? null;
}

function loginMessage(condition: string | undefined): string {
  switch (condition) {
    case 'not-authorized':
      return 'Login refused: wrong user name or password.';
    case 'account-disabled':
      return 'Login refused: this account is disabled.';
    case 'credentials-expired':
      return 'Login refused: the credentials have expired.';
    default:
      return `Login refused by the server (${condition ?? 'unknown reason'}).`;
  }
}

function randomResource(): string {
  return `chatkit-${crypto.randomUUID().slice(0, 8)}`;
}
