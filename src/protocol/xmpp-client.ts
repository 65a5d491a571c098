import { Client as CoreClient, jid } from '@xmpp/client-core';
import websocket from '@xmpp/websocket';
import middlewareOf from '@xmpp/middleware';
import streamFeaturesOf from '@xmpp/stream-features';
import iqCallerOf from '@xmpp/iq/caller.js';
import iqCalleeOf from '@xmpp/iq/callee.js';
import sasl from '@xmpp/sasl';
import saslPlain from '@xmpp/sasl-plain';
import resourceBinding from '@xmpp/resource-binding';
import streamManagementOf from '@xmpp/stream-management';
import type { Client } from '@xmpp/client';

/** What the kit uses of an @xmpp/client client (it has no reconnect module: the kit reconnects). */
export type XmppClient = Omit<Client, 'reconnect'>;

export interface XmppClientOptions {
  service: string;
  domain: string;
  username: string;
  password: string;
  resource: string;
  lang?: string;
}

interface Mechanism {
  prototype: { name: string };
  new (): unknown;
}

/** The registry @xmpp/sasl expects (`_mechs`, `use`, `create`), holding only what is registered. */
class Mechanisms {
  readonly _mechs: Array<{ name: string; mech: Mechanism }> = [];
  use(mech: Mechanism): this {
    this._mechs.push({ name: mech.prototype.name, mech });
    return this;
  }
  create(names: string[]): unknown {
    const found = this._mechs.find((m) => names.includes(m.name));
    return found ? new found.mech() : null;
  }
}

/**
 * An @xmpp/client 0.14 client assembled from its parts, with only what the kit uses:
 * WebSocket, SASL PLAIN (over a connection the client deems secure), resource binding,
 * stream management and iq. Left out: the package's reconnect (the kit backs off itself),
 * DNS/HTTP endpoint discovery (the service URL is always given), SASL2, FAST, Bind2 and the
 * anonymous mechanism (Prosody 0.12 offers none of the newer ones), which keeps ~4 KB gzip
 * out of the single-file build.
 */
export function xmppClient(options: XmppClientOptions): XmppClient {
  const { service, domain, username, password, resource, lang } = options;
  const entity = new CoreClient({ service, domain, lang });
  entity.jid = jid(username, domain);
  websocket({ entity });
  const middleware = middlewareOf({ entity });
  const streamFeatures = streamFeaturesOf({ middleware });
  const iqCaller = iqCallerOf({ middleware, entity });
  const iqCallee = iqCalleeOf({ middleware, entity });
  const saslFactory = new Mechanisms();
  saslPlain(saslFactory);
  sasl({ streamFeatures, saslFactory }, async (authenticate, mechanisms) => {
    // PLAIN sends the password as is: only over TLS or loopback (the client's own rule).
    if (!entity.isSecure() || !mechanisms.includes('PLAIN')) {
      throw Object.assign(new Error('SASL: no usable mechanism over this connection.'), { name: 'SASLError', condition: 'no-mechanism' });
    }
    await authenticate({ username, password }, 'PLAIN');
  });
  const streamManagement = streamManagementOf({ streamFeatures, entity, middleware });
  resourceBinding({ iqCaller, streamFeatures }, resource);
  iqCallee.get('urn:xmpp:ping', 'ping', () => ({}));
  return Object.assign(entity, { iqCaller, iqCallee, streamManagement });
}
