// The tests play the app server for signed group actions: they sign in the browser with
// the secret the test Prosody's mod_ck_signature checks (scripts/prosody.mjs passes it on).

import type { Signature, SignatureRequest } from '../../src/index.js';
import { signaturePayloadFor, type SignedActionName } from '../../src/protocol/signature.js';
import type { ServerHandle } from './server.js';

/** scripts/prosody.mjs TEST_SIGNATURE_SECRET, for a server handle that does not say. */
const DEFAULT_SECRET = 'xmpp-chatkit-test-secret';

export function secretOf(server: ServerHandle): string {
  return (server as ServerHandle & { signatureSecret?: string }).signatureSecret ?? DEFAULT_SECRET;
}

export async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface SignerOptions {
  /** Every request the hook saw, in order. */
  log?: SignatureRequest[];
  /** Sign with this secret instead (a forger). */
  secret?: string;
  /** Shift the timestamp (ms), e.g. -10 minutes for a stale signature. */
  skewMs?: number;
  /** Return this signature for every action (a replay). */
  fixed?: Signature;
  /** Throw for these actions (a veto). */
  veto?: ReadonlyArray<SignatureRequest['action']>;
}

/** A `generateSignature` hook that signs what the test server accepts (the password for `open`). */
export function signer(server: ServerHandle, password: string, options: SignerOptions = {}): (req: SignatureRequest) => Promise<Signature> {
  return async (req) => {
    options.log?.push(structuredClone(req));
    if (options.veto?.includes(req.action)) throw new Error(`the app does not allow ${req.action}`);
    if (req.action === 'open') return { signature: password, timestamp: Date.now(), nonce: crypto.randomUUID() };
    if (options.fixed) return options.fixed;
    const signed = { timestamp: Date.now() + (options.skewMs ?? 0), nonce: crypto.randomUUID() };
    const payload = signaturePayloadFor({ ...req, action: req.action as SignedActionName }, signed, server.domain);
    return { signature: await hmacHex(options.secret ?? secretOf(server), payload), ...signed };
  };
}
