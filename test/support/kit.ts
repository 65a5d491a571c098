import { expect } from '@open-wc/testing';
import { ChatKit, ChatKitError, type ChatKitOptions } from '../../src/index.js';
import { startServer, stopServer, type ServerHandle, type TestUser } from './server.js';

/** A kit for a test user on a test server; closed by `closeAll()`. */
const kits: ChatKit[] = [];

export function makeKit(server: ServerHandle, options: Partial<ChatKitOptions> = {}): ChatKit {
  const kit = new ChatKit({ service: server.service, domain: server.domain, storage: 'memory', locale: 'en', ...options });
  kits.push(kit);
  return kit;
}

export async function openKit(server: ServerHandle, user: TestUser, options: Partial<ChatKitOptions> = {}): Promise<ChatKit> {
  const kit = makeKit(server, options);
  await kit.open(user.username, { password: user.password });
  return kit;
}

export async function closeAll(): Promise<void> {
  await Promise.all(kits.splice(0).map((k) => k.close().catch(() => undefined)));
}

/** Polls until `check` returns a truthy value (returned), or fails naming `what`. */
export async function eventually<T>(check: () => T | Promise<T>, what: string, timeoutMs = 10_000): Promise<NonNullable<T>> {
  const started = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      last = err;
    }
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Elements in an element's shadow root. */
export function parts<T extends Element = HTMLElement>(host: Element, selector: string): T[] {
  return [...(host.shadowRoot?.querySelectorAll<T>(selector) ?? [])];
}

export function part<T extends Element = HTMLElement>(host: Element, selector: string): T | null {
  return host.shadowRoot?.querySelector<T>(selector) ?? null;
}

/** The visible text of a shadow-root element, whitespace collapsed. */
export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Polls until `actual()` deep-equals `expected` (compared as JSON); the failure shows the last value. */
export async function eventuallyEqual<T>(actual: () => T | Promise<T>, expected: T, what: string, timeoutMs = 10_000): Promise<void> {
  const want = JSON.stringify(expected);
  let last = '';
  try {
    await eventually(async () => (last = JSON.stringify(await actual())) === want, what, timeoutMs);
  } catch {
    throw new Error(`timed out waiting for ${what}:\n  expected ${want}\n  actual   ${last}`);
  }
}

/**
 * One real Prosody for the test file: started before its tests, stopped after them, with
 * every kit closed after each test. The returned handle reads the running server, so it can
 * be used as a `ServerHandle` anywhere in the file.
 */
export function useServer(): ServerHandle {
  let current: ServerHandle | undefined;
  before(async () => {
    current = await startServer();
  });
  after(async () => {
    if (current) await stopServer(current);
  });
  afterEach(closeAll);
  const get = (): ServerHandle => {
    if (!current) throw new Error('the test server is not running (use it inside tests)');
    return current;
  };
  return {
    get id() {
      return get().id;
    },
    get domain() {
      return get().domain;
    },
    get mucDomain() {
      return get().mucDomain;
    },
    get uploadDomain() {
      return get().uploadDomain;
    },
    get service() {
      return get().service;
    },
    get httpBase() {
      return get().httpBase;
    },
    get c2sPort() {
      return get().c2sPort;
    },
  };
}

/** The ChatKitError a promise rejects with; fails when it resolves or rejects with anything else. */
export async function rejection(p: Promise<unknown>): Promise<ChatKitError> {
  try {
    await p;
  } catch (err) {
    expect(err).to.be.instanceOf(ChatKitError);
    return err as ChatKitError;
  }
  throw new Error('expected a rejection');
}
