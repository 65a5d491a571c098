/**
 * Debug logging for dropped stanzas and transient failures. Silent unless the page
 * sets `globalThis.XMPP_CHATKIT_DEBUG = true`; never logs credentials or bodies above debug.
 */
export function debug(...args: unknown[]): void {
  if ((globalThis as { XMPP_CHATKIT_DEBUG?: boolean }).XMPP_CHATKIT_DEBUG) console.debug('[xmpp-chatkit]', ...args);
}
