// The @xmpp/client 0.14 pieces the kit assembles itself (see src/protocol/xmpp-client.ts).
// They ship no types; this declares only what that assembly touches.
declare module '@xmpp/client-core' {
  import type { Client as XmppClient, JID } from '@xmpp/client';
  export const Client: new (options: { service: string; domain: string; lang?: string }) => XmppClient & {
    jid: JID | null;
    isSecure(): boolean;
  };
  export function jid(local: string, domain: string): JID;
}

declare module '@xmpp/websocket' {
  export default function websocket(parts: { entity: unknown }): void;
}

declare module '@xmpp/middleware' {
  const middleware: (parts: { entity: unknown }) => unknown;
  export default middleware;
}

declare module '@xmpp/stream-features' {
  const streamFeatures: (parts: { middleware: unknown }) => unknown;
  export default streamFeatures;
}

declare module '@xmpp/iq/caller.js' {
  import type { IqCaller } from '@xmpp/client';
  export default function iqCaller(parts: { middleware: unknown; entity: unknown }): IqCaller;
}

declare module '@xmpp/iq/callee.js' {
  import type { IqCallee } from '@xmpp/client';
  export default function iqCallee(parts: { middleware: unknown; entity: unknown }): IqCallee;
}

declare module '@xmpp/sasl' {
  type Authenticate = (credentials: { username: string; password: string }, mechanism: string) => Promise<void>;
  export default function sasl(
    parts: { streamFeatures: unknown; saslFactory: unknown },
    onAuthenticate: (authenticate: Authenticate, mechanisms: string[]) => Promise<void>,
  ): void;
}

declare module '@xmpp/sasl-plain' {
  export default function saslPlain(factory: { use(mechanism: { prototype: { name: string } }): unknown }): void;
}

declare module '@xmpp/resource-binding' {
  export default function resourceBinding(parts: { iqCaller: unknown; streamFeatures: unknown }, resource?: string): void;
}

declare module '@xmpp/stream-management' {
  import type { StreamManagement } from '@xmpp/client';
  export default function streamManagement(parts: { streamFeatures: unknown; entity: unknown; middleware: unknown }): StreamManagement;
}
