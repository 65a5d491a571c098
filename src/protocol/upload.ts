import { xml, type Element } from '@xmpp/client';
import type { Connection } from './connection.js';
import { debug } from './log.js';
import { MUC_NS } from './muc-ns.js';
import { NS } from './ns.js';

/** XEP-0363 HTTP File Upload. */
export const UPLOAD_NS = 'urn:xmpp:http:upload:0';

/** The only slot headers a client may pass on to the PUT (XEP-0363 §5); others are dropped. */
const ALLOWED_HEADERS = new Set(['authorization', 'cookie', 'expires']);
const MAX_URL_CHARS = 4096;
const MAX_HEADER_CHARS = 8192;
const IQ_TIMEOUT_MS = 15_000;

export type UploadErrorCode = 'too-large' | 'unsupported' | 'refused' | 'offline' | 'cancelled';

/** An upload that cannot go ahead; `code` matches the kit's error codes. */
export class UploadError extends Error {
  constructor(
    readonly code: UploadErrorCode,
    message: string,
    /** The server's own limit, when it said so (a refusal for size). */
    readonly maxSize?: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export interface UploadService {
  /** The upload component's JID (e.g. `upload.example.com`). */
  jid: string;
  /** Largest file it accepts, in bytes; undefined when it names no limit. */
  maxSize?: number;
}

export interface UploadSlot {
  put: string;
  get: string;
  /** Headers the PUT must carry (only Authorization, Cookie and Expires survive parsing). */
  headers: Record<string, string>;
}

export interface SlotRequest {
  filename: string;
  size: number;
  contentType: string;
}

/**
 * A disco#info result: the upload service it describes, or null when the entity does not
 * offer XEP-0363. The limit comes from the result's data form of type `urn:xmpp:http:upload:0`.
 */
export function parseUploadInfo(jid: string, result: Element): UploadService | null {
  const query = result.getChild('query', MUC_NS.discoInfo);
  if (!query?.getChildren('feature').some((f) => f.attrs.var === UPLOAD_NS)) return null;
  const service: UploadService = { jid };
  for (const form of query.getChildren('x', NS.dataForms)) {
    const fields = form.getChildren('field');
    const type = fields.find((f) => f.attrs.var === 'FORM_TYPE')?.getChildText('value')?.trim();
    if (type !== UPLOAD_NS) continue;
    const raw = fields.find((f) => f.attrs.var === 'max-file-size')?.getChildText('value')?.trim() ?? '';
    // A positive whole number, or nothing: a garbled limit is treated as no limit named.
    if (/^\d{1,15}$/.test(raw) && Number(raw) > 0) service.maxSize = Number(raw);
  }
  return service;
}

/** The JIDs a disco#items result lists (bare domains and JIDs only; junk dropped). */
export function parseDiscoItems(result: Element): string[] {
  const items = result.getChild('query', MUC_NS.discoItems)?.getChildren('item') ?? [];
  return [...new Set(items.map((i) => (i.attrs.jid ?? '').trim()).filter((j) => j.length > 0 && j.length < 1024 && !/[\s/]/.test(j)))];
}

/** http and https only: anything else (javascript:, data:, file:) is refused. */
function httpUrl(value: string | undefined): string | null {
  if (!value || value.length > MAX_URL_CHARS) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A slot result: the PUT and GET URLs (http/https only) and the allowed headers. */
export function parseSlot(result: Element): UploadSlot {
  const slot = result.getChild('slot', UPLOAD_NS);
  const put = httpUrl(slot?.getChild('put')?.attrs.url);
  const get = httpUrl(slot?.getChild('get')?.attrs.url);
  if (!slot || !put || !get) throw new UploadError('refused', 'The upload service answered with an unusable slot (it must give http or https URLs).');
  const headers: Record<string, string> = {};
  for (const h of slot.getChild('put')!.getChildren('header')) {
    const name = (h.attrs.name ?? '').trim();
    const value = h.text().trim();
    // CR/LF in a value would smuggle extra headers; browsers refuse them anyway, and loudly.
    if (!ALLOWED_HEADERS.has(name.toLowerCase()) || /[\r\n\0]/.test(value) || value.length > MAX_HEADER_CHARS) continue;
    headers[name] = value;
  }
  return { put, get, headers };
}

/** What a slot refusal means: too large (with the server's limit when given), or refused. */
export function slotError(err: unknown): UploadError {
  const e = err as { condition?: string; text?: string; application?: Element; element?: Element; message?: string };
  if (!e?.condition) return new UploadError('refused', `The upload service did not answer (${e?.message ?? String(err)}).`);
  const tooLarge = e.element?.getChild('file-too-large', UPLOAD_NS) ?? (e.application?.is('file-too-large', UPLOAD_NS) ? e.application : undefined);
  if (tooLarge) {
    const raw = tooLarge.getChildText('max-file-size')?.trim() ?? '';
    const max = /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
    return new UploadError('too-large', e.text || 'The file is larger than the server accepts.', max);
  }
  return new UploadError('refused', `The upload service refused the file: ${e.text || e.condition}.`);
}

/**
 * Finds the account's upload service once per session (disco#items on the domain, then
 * disco#info of each item) and asks it for slots.
 */
export class UploadClient {
  #service: Promise<UploadService | null> | undefined;

  constructor(
    private readonly conn: Connection,
    private readonly domain: string,
  ) {
    // A new (not resumed) session may be on a reconfigured server: look again.
    conn.on('session', (resumed) => {
      if (!resumed) this.#service = undefined;
    });
  }

  /** The upload service, or null when the server offers none. Rejects with `offline` when not online. */
  service(): Promise<UploadService | null> {
    if (this.conn.status !== 'online') return Promise.reject(new UploadError('offline', 'Not connected: the upload service cannot be asked now.'));
    const found = (this.#service ??= this.#discover());
    // A failed look-up (a drop mid-way) is not remembered.
    found.catch(() => {
      if (this.#service === found) this.#service = undefined;
    });
    return found;
  }

  async #discover(): Promise<UploadService | null> {
    const items = await this.#request(xml('iq', { type: 'get', to: this.domain }, xml('query', { xmlns: MUC_NS.discoItems })));
    // The domain itself may be the service (some servers host it there).
    for (const jid of [...parseDiscoItems(items), this.domain]) {
      let info: Element;
      try {
        info = await this.#request(xml('iq', { type: 'get', to: jid }, xml('query', { xmlns: MUC_NS.discoInfo })));
      } catch (err) {
        if (err instanceof UploadError && err.code === 'offline') throw err;
        debug('disco#info failed', jid, err);
        continue;
      }
      const service = parseUploadInfo(jid, info);
      if (service) return service;
    }
    return null;
  }

  /** Asks `service` for a slot; rejects with `too-large`, `refused` or `offline`. */
  async requestSlot(service: UploadService, file: SlotRequest): Promise<UploadSlot> {
    const request = xml('request', {
      xmlns: UPLOAD_NS,
      filename: file.filename,
      size: String(file.size),
      'content-type': file.contentType,
    });
    let result: Element;
    try {
      result = await this.#request(xml('iq', { type: 'get', to: service.jid }, request));
    } catch (err) {
      if (err instanceof UploadError) throw err;
      throw slotError(err);
    }
    return parseSlot(result);
  }

  async #request(iq: Element): Promise<Element> {
    if (this.conn.status !== 'online') throw new UploadError('offline', 'Not connected.');
    try {
      return await this.conn.request(iq, IQ_TIMEOUT_MS);
    } catch (err) {
      // A request cut by a dropped connection is not the server's answer.
      if (this.conn.status !== 'online') throw new UploadError('offline', 'The connection dropped during the request.');
      throw err;
    }
  }
}

export interface PutOptions {
  contentType: string;
  /** Fraction sent so far (0..1), as the browser reports upload progress. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/**
 * PUTs the bytes to a slot. XMLHttpRequest rather than fetch: only it reports upload
 * progress. Rejects with `cancelled` when `signal` aborts, `refused` on an HTTP error
 * status, and `offline` when the request could not reach the server.
 */
export function putFile(slot: UploadSlot, body: Blob, options: PutOptions): Promise<void> {
  return new Promise((resolve, reject) => {
    const { signal } = options;
    if (signal?.aborted) {
      reject(new UploadError('cancelled', 'The upload was cancelled.'));
      return;
    }
    const xhr = new XMLHttpRequest();
    const onAbort = (): void => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = (error?: UploadError): void => {
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };
    xhr.open('PUT', slot.put);
    for (const [name, value] of Object.entries(slot.headers)) xhr.setRequestHeader(name, value);
    xhr.setRequestHeader('Content-Type', options.contentType);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) options.onProgress?.(Math.min(1, e.loaded / e.total));
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) settle();
      else settle(new UploadError('refused', `The upload server answered ${xhr.status}${xhr.statusText ? ` ${xhr.statusText}` : ''}.`));
    };
    xhr.onerror = () => settle(new UploadError('offline', 'The upload could not reach the server.'));
    xhr.ontimeout = () => settle(new UploadError('offline', 'The upload timed out.'));
    xhr.onabort = () => settle(new UploadError('cancelled', 'The upload was cancelled.'));
    xhr.send(body);
  });
}
