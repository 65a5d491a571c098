// A bare XMPP session for tests that play another user (or an attacker): it sends exactly
// what the test writes, without any of the kit's rules. Close it with `conn.close()`.
import { Connection } from '../../src/protocol/connection.js';
import type { ServerHandle, TestUser } from './server.js';

export async function rawClient(server: ServerHandle, user: TestUser, resource?: string): Promise<Connection> {
  const conn = new Connection({
    service: server.service,
    domain: server.domain,
    username: user.username,
    password: user.password,
    ...(resource ? { resource } : {}),
  });
  await conn.open();
  return conn;
}

/** Inbound WebSocket frames of every connection opened from now on, until `stop()`. */
export function recordFrames(): { frames: string[]; stop(): void } {
  const Original = globalThis.WebSocket;
  const frames: string[] = [];
  class Recording extends Original {
    constructor(url: string | URL, protocols?: string | string[]) {
      super(url, protocols);
      this.addEventListener('message', (e) => frames.push(String(e.data)));
    }
  }
  globalThis.WebSocket = Recording;
  return { frames, stop: () => void (globalThis.WebSocket = Original) };
}
