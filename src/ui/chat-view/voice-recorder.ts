/** Formats to record in, best first, with the file extension each gets. */
const FORMATS: readonly (readonly [mime: string, ext: string])[] = [
  ['audio/webm;codecs=opus', 'webm'],
  ['audio/ogg;codecs=opus', 'ogg'],
  ['audio/mp4', 'm4a'],
  ['audio/webm', 'webm'],
];

export interface Recording {
  blob: Blob;
  /** ms. */
  duration: number;
  name: string;
}

/** The browser can record from a microphone (the mic button is offered only then). */
export function canRecord(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function' && typeof MediaRecorder !== 'undefined';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `voice-20261125-142501.webm`: a name that sorts by time and says what it is. */
function voiceName(at: Date, ext: string): string {
  return `voice-${at.getFullYear()}${pad(at.getMonth() + 1)}${pad(at.getDate())}-${pad(at.getHours())}${pad(at.getMinutes())}${pad(at.getSeconds())}.${ext}`;
}

/**
 * One voice recording: `start` asks for the microphone and records; `stop` ends it and
 * gives the audio; `cancel` throws it away. Either way the microphone is released, so the
 * browser's recording indicator goes off.
 */
export class VoiceRecorder {
  #stream: MediaStream | undefined;
  #recorder: MediaRecorder | undefined;
  #chunks: Blob[] = [];
  #format: readonly [string, string] | undefined;
  #stopped: Promise<void> | undefined;
  #cancelled = false;
  /** When recording began (ms since the epoch), 0 until it has. */
  startedAt = 0;

  /** Rejects with the browser's DOMException (`NotAllowedError`: permission denied; `NotFoundError`: no microphone). */
  async start(): Promise<void> {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    if (this.#cancelled) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    this.#stream = stream;
    this.#format = FORMATS.find(([mime]) => MediaRecorder.isTypeSupported(mime));
    try {
      const recorder = new MediaRecorder(stream, this.#format ? { mimeType: this.#format[0] } : undefined);
      recorder.addEventListener('dataavailable', (e) => {
        if (e.data.size > 0) this.#chunks.push(e.data);
      });
      this.#stopped = new Promise((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
      recorder.start(250);
      this.#recorder = recorder;
      this.startedAt = Date.now();
    } catch (err) {
      this.#release();
      throw err;
    }
  }

  get recording(): boolean {
    return !!this.#recorder && !this.#cancelled;
  }

  /** Ends the recording; undefined when it never started or was cancelled. */
  async stop(): Promise<Recording | undefined> {
    const recorder = this.#recorder;
    if (!recorder || this.#cancelled) {
      this.cancel();
      return undefined;
    }
    const duration = Date.now() - this.startedAt;
    if (recorder.state !== 'inactive') recorder.stop();
    await this.#stopped;
    this.#release();
    // The container type without codec parameters: what the upload declares and players accept.
    const mime = (recorder.mimeType || this.#format?.[0] || 'audio/webm').split(';')[0]!.trim();
    const ext = FORMATS.find(([m]) => m.startsWith(mime))?.[1] ?? 'webm';
    return { blob: new Blob(this.#chunks, { type: mime }), duration, name: voiceName(new Date(this.startedAt), ext) };
  }

  cancel(): void {
    this.#cancelled = true;
    if (this.#recorder && this.#recorder.state !== 'inactive') this.#recorder.stop();
    this.#release();
    this.#chunks = [];
  }

  #release(): void {
    this.#stream?.getTracks().forEach((track) => track.stop());
    this.#stream = undefined;
  }
}

/** Elapsed recording time as `m:ss`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
