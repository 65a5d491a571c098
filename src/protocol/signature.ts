import { xml, type Element } from '@xmpp/client';

/**
 * Signed group actions. The app server signs what a user may do (`generateSignature`);
 * the signature travels inside the stanza that does it, and the XMPP server
 * (scripts/prosody/mod_ck_signature.lua) refuses the action unless it verifies.
 */
export const SIGNATURE_NS = 'urn:xmpp-chatkit:signature:0';

export { signaturePayload, signaturePayloadFor, type SignatureStatement, type SignedActionName } from './signing.js';
import type { SignedActionName } from './signing.js';

export interface SignedAction {
  action: SignedActionName;
  members: readonly string[];
  signature: string;
  timestamp: number;
  nonce: string;
}

/** The `<signature/>` element carried by the stanza that does the action. */
export function signatureElement(s: SignedAction): Element {
  return xml(
    'signature',
    { xmlns: SIGNATURE_NS, action: s.action, timestamp: String(Math.trunc(s.timestamp)), nonce: s.nonce, members: [...new Set(s.members)].join(' ') },
    s.signature,
  );
}
