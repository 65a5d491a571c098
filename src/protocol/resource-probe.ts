import { xml } from '@xmpp/client';
import { xmppClient } from './xmpp-client.js';
import { debug } from './log.js';

export interface ProbeOptions {
  service: string;
  domain: string;
  username: string;
  password: string;
  lang?: string;
  /** The fixed resource whose holder is asked. */
  resource: string;
}

const PROBE_TIMEOUT_MS = 4_000;

/**
 * Whether another live session of this account holds `resource` right now: a throwaway
 * session on a random resource pings `user@domain/resource` (XEP-0199). A reply means a
 * client holds it; the server's `service-unavailable` means nobody does. No answer, or any
 * failure of the probe itself, counts as "not held": a session that cannot answer is most
 * likely our own dead one, and binding over it is what a reconnect did before.
 */
export async function resourceHeld(options: ProbeOptions, timeoutMs = PROBE_TIMEOUT_MS): Promise<boolean> {
  const { service, domain, username, password, lang, resource } = options;
  const probe = xmppClient({ service, domain, username, password, lang, resource: `${resource}-probe-${crypto.randomUUID().slice(0, 8)}` });
  probe.on('error', (err) => debug('resource probe', err));
  const deadline = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs));
  try {
    const online = new Promise<void>((resolve) => probe.once('online', () => resolve()));
    await probe.connect(service);
    await probe.open({ domain, lang });
    if ((await Promise.race([online.then(() => 'online' as const), deadline])) === 'timeout') return false;
    const ping = xml('iq', { type: 'get', to: `${username}@${domain}/${resource}` }, xml('ping', { xmlns: 'urn:xmpp:ping' }));
    try {
      await probe.iqCaller.request(ping, timeoutMs);
      return true;
    } catch (err) {
      const condition = (err as { condition?: unknown }).condition;
      if (typeof condition !== 'string') return false; // timed out: nobody who can answer
      // Prosody answers for a resource with no session (mod_iq); anything else came from a client.
      return condition !== 'service-unavailable';
    }
  } catch (err) {
    debug('resource probe failed', err);
    return false;
  } finally {
    probe.stop().catch((err: unknown) => debug('resource probe stop', err));
  }
}
