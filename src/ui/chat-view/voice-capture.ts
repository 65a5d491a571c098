import { html, nothing, type ReactiveController, type ReactiveControllerHost } from 'lit';
import type { MessageKey } from '../../i18n/index.js';
import { icons } from '../shared/icons.js';
import { composerIcons } from './composer-icons.js';
import { formatElapsed, VoiceRecorder, type Recording } from './voice-recorder.js';

/** A press on the mic button held this long records until release; a shorter one is a click (record until the next click). */
const HOLD_MS = 400;
/** Recordings shorter than this were not meant (a slip of the finger): dropped. */
const MIN_VOICE_MS = 400;

/** A recording in progress: `press` while the mic button is held, `toggle` after a click. */
export interface VoiceState {
  mode: 'press' | 'toggle';
  /** When the microphone started recording (0 while the browser is still asking for it). */
  startedAt: number;
}

type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export interface VoiceOptions {
  t: Translate;
  /** Where a recording started now would go; undefined when there is nowhere (no conversation). */
  target: () => string | undefined;
  /** A recording is starting (the composer hides its text and stops "typing"). */
  started: () => void;
  /** The microphone could not be used: `message` says why, for the user. */
  failed: (err: unknown, message: string) => void;
  /** A finished recording, to send to the conversation it was made for. */
  recorded: (target: string, recording: Recording) => Promise<void>;
}

/**
 * The composer's voice messages: hold the mic button to record until release, or click it
 * to record until the next click; a slide off the button or Escape throws the recording away.
 */
export class VoiceCapture implements ReactiveController {
  /** The recording in progress, null when none. */
  state: VoiceState | null = null;
  #recorder: VoiceRecorder | undefined;
  #ready: Promise<void> | undefined;
  #ticker: ReturnType<typeof setInterval> | undefined;
  /** The mic button is held down (since when). */
  #pressedAt: number | undefined;
  /** Until when a click on the mic button is the end of a press, already handled by it. */
  #swallowUntil = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: VoiceOptions,
  ) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.cancel();
  }

  /** The mic button (it stops a recording made by clicks). */
  button() {
    const recording = !!this.state;
    const label = this.options.t(recording ? 'composer.voiceStop' : 'composer.voice');
    return html`<button
      part="voice-button"
      class="icon-button voice"
      type="button"
      aria-label=${label}
      title=${label}
      aria-pressed=${recording ? 'true' : 'false'}
      @pointerdown=${this.#onDown}
      @pointerup=${this.#onUp}
      @pointerleave=${this.#onLeave}
      @pointercancel=${this.#onLeave}
      @click=${this.#onClick}
      @contextmenu=${(e: Event) => e.preventDefault()}
    >
      ${recording ? composerIcons.stop : composerIcons.mic}
    </button>`;
  }

  /** What the composer shows instead of its text while recording: the time so far and a cancel button. */
  strip() {
    const state = this.state;
    if (!state) return nothing;
    const t = this.options.t;
    return html`<div part="recording" class="recording" role="status">
        <span class="recording-dot" aria-hidden="true"></span>
        <span>${t('composer.recording', { time: formatElapsed(state.startedAt ? Date.now() - state.startedAt : 0) })}</span>
        ${state.mode === 'press' ? html`<span class="recording-hint">${t('composer.holdHint')}</span>` : nothing}
      </div>
      <button part="voice-cancel" class="icon-button" type="button" aria-label=${t('composer.voiceCancel')} title=${t('composer.voiceCancel')} @click=${() => this.cancel()}>
        ${icons.close}
      </button>`;
  }

  /** Escape in the composer throws a recording away. */
  onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape' && this.state) {
      e.preventDefault();
      this.cancel();
    }
  };

  /** Stops recording and throws the audio away. */
  cancel(): void {
    this.#recorder?.cancel();
    this.#end();
  }

  #set(state: VoiceState | null): void {
    this.state = state;
    this.host.requestUpdate();
  }

  #onDown = (e: PointerEvent): void => {
    if (e.button !== 0 || this.state) return;
    // Touch captures the pointer to the button; releasing it lets a slide away be seen.
    const button = e.currentTarget as HTMLElement;
    if (button.hasPointerCapture(e.pointerId)) button.releasePointerCapture(e.pointerId);
    this.#pressedAt = Date.now();
    this.#start('press');
  };

  #onUp = (): void => {
    const at = this.#pressedAt;
    if (at === undefined) return;
    this.#pressedAt = undefined;
    this.#swallowUntil = Date.now() + 500;
    // Held: release sends. A short press was a click: keep recording until the next one.
    if (Date.now() - at >= HOLD_MS) void this.#finish();
    else if (this.state) this.#set({ ...this.state, mode: 'toggle' });
  };

  #onLeave = (): void => {
    if (this.#pressedAt === undefined) return;
    this.#pressedAt = undefined;
    this.cancel();
  };

  #onClick = (): void => {
    if (Date.now() < this.#swallowUntil) {
      this.#swallowUntil = 0;
      return;
    }
    if (!this.state) this.#start('toggle');
    else if (this.state.mode === 'toggle') void this.#finish();
  };

  #start(mode: VoiceState['mode']): void {
    if (!this.options.target() || this.#recorder) return;
    const recorder = new VoiceRecorder();
    this.#recorder = recorder;
    this.#set({ mode, startedAt: 0 });
    this.options.started();
    this.#ticker = setInterval(() => this.host.requestUpdate(), 500);
    this.#ready = recorder.start().then(
      () => {
        if (this.#recorder === recorder && this.state) this.#set({ ...this.state, startedAt: recorder.startedAt });
      },
      (err: unknown) => {
        if (this.#recorder !== recorder) return;
        this.#end();
        this.options.failed(err, this.#problem(err));
      },
    );
  }

  #problem(err: unknown): string {
    const name = err instanceof DOMException ? err.name : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') return this.options.t('composer.micDenied');
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return this.options.t('composer.micMissing');
    return this.options.t('composer.micFailed', { reason: err instanceof Error ? err.message : String(err) });
  }

  /** Stops the recording and hands it over to be sent. */
  async #finish(): Promise<void> {
    const recorder = this.#recorder;
    const target = this.options.target();
    if (!recorder || !target) return;
    await this.#ready;
    if (this.#recorder !== recorder) return;
    this.#end();
    const rec = await recorder.stop().catch(() => undefined);
    if (!rec || rec.blob.size === 0 || rec.duration < MIN_VOICE_MS) return;
    await this.options.recorded(target, rec);
  }

  /** Leaves recording mode (the recorder itself is stopped or cancelled by the caller). */
  #end(): void {
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    this.#recorder = undefined;
    this.#ready = undefined;
    this.#pressedAt = undefined;
    if (this.state) this.#set(null);
  }
}
