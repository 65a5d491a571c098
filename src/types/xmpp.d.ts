// @xmpp/client 0.14 ships no types; this declares only what the protocol layer uses.
declare module '@xmpp/client' {
  export interface XmlAttrs {
    [name: string]: string | number | undefined;
  }

  export class Element {
    name: string;
    attrs: Record<string, string | undefined>;
    children: Array<Element | string>;
    parent: Element | null;
    is(name: string, xmlns?: string): boolean;
    getNS(): string | undefined;
    getAttr(name: string): string | undefined;
    getChild(name: string, xmlns?: string): Element | undefined;
    getChildren(name: string, xmlns?: string): Element[];
    getChildElements(): Element[];
    getChildText(name: string, xmlns?: string): string | null;
    getText(): string;
    text(): string;
    append(...nodes: Array<Element | string>): Element;
    toString(): string;
  }

  export function xml(
    name: string,
    attrs?: XmlAttrs | null,
    ...children: Array<Element | string | null | undefined | false>
  ): Element;

  export interface JID {
    local: string;
    domain: string;
    resource: string;
    bare(): JID;
    toString(): string;
  }
  export function jid(value: string): JID;

  export interface StreamManagement {
    enabled: boolean;
    id: string;
    outbound_q: Array<{ stanza: Element; stamp: string }>;
    timeout: number;
    requestAckInterval: number;
    on(event: 'ack' | 'fail', cb: (stanza: Element) => void): void;
    on(event: 'resumed', cb: () => void): void;
  }

  export interface IqCaller {
    request(stanza: Element, timeout?: number): Promise<Element>;
  }

  export interface IqCallee {
    get(xmlns: string, name: string, handler: (ctx: { stanza: Element }) => Element | object | Promise<Element | object>): void;
    set(xmlns: string, name: string, handler: (ctx: { stanza: Element }) => Element | object | Promise<Element | object>): void;
  }

  export interface Client {
    jid: JID | null;
    status: string;
    options: { service: string; domain: string; lang?: string };
    streamManagement: StreamManagement;
    iqCaller: IqCaller;
    iqCallee: IqCallee;
    reconnect: { stop(): void; start(): void };
    on(event: 'stanza' | 'nonza' | 'element', cb: (el: Element) => void): void;
    on(event: 'status', cb: (status: string) => void): void;
    on(event: 'error', cb: (err: Error & { condition?: string }) => void): void;
    on(event: string, cb: () => void): void;
    once(event: string, cb: (...args: unknown[]) => void): void;
    removeListener(event: string, cb: (...args: unknown[]) => void): void;
    removeAllListeners(event?: string): void;
    connect(service: string): Promise<void>;
    open(opts: { domain: string; lang?: string }): Promise<Element>;
    start(): Promise<JID>;
    stop(): Promise<void>;
    disconnect(): Promise<void>;
    send(el: Element): Promise<void>;
    sendMany(els: Element[]): Promise<void>;
  }

  export function client(opts: {
    service: string;
    domain: string;
    username?: string;
    password?: string;
    resource?: string;
    lang?: string;
  }): Client;
}
