import type { ChatDB } from '../store/schema.js';
import type { Attachment, MessageRecord } from '../store/records.js';
import { getMeta, setMeta } from '../store/queries.js';
import {
  addOutgoingFile,
  completeUpload,
  dropOrphanFiles,
  failUpload,
  fileBytes,
  pendingUploads,
  removeUpload,
  resetUpload,
  setUploadProgress,
  type OutgoingFile,
} from '../store/files.js';
import type { Connection } from '../protocol/connection.js';
import { debug } from '../protocol/log.js';
import { UploadClient, UploadError, putFile, type UploadService } from '../protocol/upload.js';
import { ChatKitError } from './errors.js';
import type { SendFileOptions } from './types.js';

/** Uploads running at once: two keep the pipe busy without starving the chat socket. */
const MAX_ACTIVE = 2;
/** Progress is written at most this often (≈ 8 writes a second) ... */
const PROGRESS_INTERVAL_MS = 125;
/** ... and only when it moved at least this much. */
const PROGRESS_STEP = 0.01;
/** The last upload service seen, so a kit that starts offline still checks sizes. */
const SERVICE_KEY = 'upload:service';
const MAX_NAME_CHARS = 255;

type KnownService = { jid: string; maxSize?: number } | { none: true };

/** Bytes in human units: `980 bytes`, `2.0 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

export function tooLargeError(size: number, max: number): ChatKitError {
  const exact = formatBytes(size) === formatBytes(max) ? ` (${size.toLocaleString('en')} bytes; the limit is ${max.toLocaleString('en')})` : '';
  return new ChatKitError('too-large', `The file is ${formatBytes(size)}, over the server's upload limit of ${formatBytes(max)}${exact}.`);
}

/** A file name safe to store and show: no path, no control characters, bounded. */
export function cleanFileName(name: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = (name ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return [...base].slice(0, MAX_NAME_CHARS).join('') || 'file';
}

/** The blob's MIME type when it is a plausible one, else `application/octet-stream`. */
export function cleanMime(type: string): string {
  const t = type.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(t) ? t : 'application/octet-stream';
}

/** Pixel size of an image, when the browser can decode it; anything else leaves it out. */
async function imageSize(blob: Blob): Promise<{ width: number; height: number } | undefined> {
  if (typeof createImageBitmap !== 'function') return undefined;
  try {
    const bitmap = await createImageBitmap(blob);
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size.width > 0 && size.height > 0 ? size : undefined;
  } catch {
    return undefined;
  }
}

/** What `sendFile` stores for a blob: name, type, size, and for images their pixel size. */
export async function describeFile(file: Blob, options: SendFileOptions): Promise<Omit<Attachment, 'url'>> {
  const own = typeof File !== 'undefined' && file instanceof File ? file.name : undefined;
  const attachment: Omit<Attachment, 'url'> = { name: cleanFileName(options.name ?? own), size: file.size, mime: cleanMime(file.type) };
  if (attachment.mime.startsWith('image/')) Object.assign(attachment, await imageSize(file));
  if (typeof options.duration === 'number' && Number.isFinite(options.duration) && options.duration > 0) {
    attachment.duration = Math.round(options.duration);
  }
  if (options.voice) attachment.voice = true;
  return attachment;
}

/**
 * One account's upload outbox: file messages wait as `pending` with `upload` set and
 * their bytes in `files`; whenever the session is online the manager uploads them (two
 * at a time), writes progress, and hands each finished one to the chat outbox.
 */
export class Uploads {
  #client: UploadClient | undefined;
  #conn: Connection | undefined;
  #drain: () => void = () => undefined;
  /** Running uploads and why one was stopped (`cancel`: the user; `stop`: sign-out). */
  #active = new Map<string, { ctrl: AbortController; why?: 'cancel' | 'stop' }>();
  #scanning = false;
  #again = false;
  #stopped = false;

  constructor(private readonly db: ChatDB) {}

  /** Connects the manager to a session: resumes what a previous page left whenever a session starts. */
  attach(conn: Connection, domain: string, drain: () => void): void {
    this.#conn = conn;
    this.#client = new UploadClient(conn, domain);
    this.#drain = drain;
    let cleaned = false;
    conn.on('session', () => {
      if (!cleaned) {
        cleaned = true;
        void dropOrphanFiles(this.db).catch((err: unknown) => debug('orphan files not dropped', err));
      }
      this.kick();
    });
  }

  /**
   * The upload service as far as known: from the server when online (remembered in the
   * store), else the last one seen; `undefined` when never seen.
   */
  async service(): Promise<KnownService | undefined> {
    if (this.#client && this.#conn?.status === 'online') {
      try {
        const found = await this.#client.service();
        const known: KnownService = found ? { jid: found.jid, ...(found.maxSize ? { maxSize: found.maxSize } : {}) } : { none: true };
        await setMeta(this.db, SERVICE_KEY, known).catch(() => undefined);
        return known;
      } catch (err) {
        debug('upload service not found now', err);
      }
    }
    return getMeta<KnownService>(this.db, SERVICE_KEY);
  }

  /** Checks a file against what is known of the service: `unsupported` or `too-large` before anything is stored. */
  async check(size: number): Promise<void> {
    const known = await this.service();
    if (!known) return; // never seen: checked again when it uploads
    if ('none' in known) throw new ChatKitError('unsupported', 'This server offers no file upload (XEP-0363).');
    if (known.maxSize !== undefined && size > known.maxSize) throw tooLargeError(size, known.maxSize);
  }

  /** Stores the message and its bytes, then starts uploading when online. */
  async enqueue(draft: OutgoingFile, blob: Blob): Promise<MessageRecord> {
    const record = await addOutgoingFile(this.db, draft, blob);
    this.kick();
    return record;
  }

  /** Looks for waiting uploads and starts them (up to two running). Safe to call often. */
  kick(): void {
    if (this.#scanning) {
      this.#again = true;
      return;
    }
    this.#scanning = true;
    void this.#scan()
      .catch((err: unknown) => debug('upload scan failed', err))
      .finally(() => (this.#scanning = false));
  }

  async #scan(): Promise<void> {
    do {
      this.#again = false;
      if (this.#stopped || this.#conn?.status !== 'online' || this.#active.size >= MAX_ACTIVE) return;
      for (const m of await pendingUploads(this.db)) {
        if (this.#active.size >= MAX_ACTIVE) break;
        if (!this.#active.has(m.id)) this.#start(m);
      }
    } while (this.#again);
  }

  #start(m: MessageRecord): void {
    const entry: { ctrl: AbortController; why?: 'cancel' | 'stop' } = { ctrl: new AbortController() };
    this.#active.set(m.id, entry);
    void this.#run(m, entry)
      .catch((err: unknown) => debug('upload failed unexpectedly', m.id, err))
      .finally(() => {
        this.#active.delete(m.id);
        this.kick();
      });
  }

  async #run(m: MessageRecord, entry: { ctrl: AbortController; why?: 'cancel' | 'stop' }): Promise<void> {
    const attachment = m.attachment;
    const blob = await fileBytes(this.db, m.id);
    if (!attachment || !blob) {
      await failUpload(this.db, m.id, 'The file is no longer on this device; delete this message and send the file again.');
      return;
    }
    // A new slot starts from zero (a previous page or session may have left a stale value).
    if (m.upload?.progress) await resetUpload(this.db, m.id);
    let stage: 'slot' | 'put' = 'slot';
    try {
      const service = await this.#client!.service();
      if (!service) throw new UploadError('unsupported', 'This server offers no file upload (XEP-0363).');
      checkSize(service, blob.size);
      const slot = await this.#client!.requestSlot(service, { filename: attachment.name, size: blob.size, contentType: attachment.mime });
      if (entry.ctrl.signal.aborted) throw new UploadError('cancelled', 'The upload was cancelled.');
      stage = 'put';
      let written = 0;
      let writtenAt = 0;
      let writes = Promise.resolve();
      await putFile(slot, blob, {
        contentType: attachment.mime,
        signal: entry.ctrl.signal,
        onProgress: (fraction) => {
          const now = performance.now();
          if (fraction - written < PROGRESS_STEP || now - writtenAt < PROGRESS_INTERVAL_MS) return;
          written = fraction;
          writtenAt = now;
          writes = writes.then(() => setUploadProgress(this.db, m.id, fraction)).catch((err: unknown) => debug('progress not written', err));
        },
      });
      // The last progress write must land before the record stops uploading.
      await writes;
      if (entry.why) return;
      if (await completeUpload(this.db, m.id, slot.get)) this.#drain();
    } catch (err) {
      if (entry.why === 'cancel') return; // cancelUpload removes it
      if (entry.why === 'stop' || (err instanceof UploadError && err.code === 'offline' && stage === 'slot')) {
        // Not a failure of the file: it goes again with the next session.
        await resetUpload(this.db, m.id);
        return;
      }
      const reason = err instanceof UploadError && err.code === 'too-large' && err.maxSize
        ? tooLargeError(blob.size, err.maxSize).message
        : err instanceof Error ? err.message : String(err);
      await failUpload(this.db, m.id, reason);
    }
  }

  /**
   * Cancels an upload: the request is aborted and the message and its bytes deleted, so
   * nothing is ever sent. False when the message is no longer uploading.
   */
  async cancel(id: string): Promise<boolean> {
    const running = this.#active.get(id);
    if (running) {
      running.why = 'cancel';
      running.ctrl.abort();
    }
    return removeUpload(this.db, id);
  }

  /** Sign-out: running uploads stop and wait, with their bytes, for the next session. */
  stop(): void {
    this.#stopped = true;
    for (const entry of this.#active.values()) {
      entry.why ??= 'stop';
      entry.ctrl.abort();
    }
  }
}

function checkSize(service: UploadService, size: number): void {
  if (service.maxSize !== undefined && size > service.maxSize) throw new UploadError('too-large', 'too large', service.maxSize);
}

