import { LitElement, css, html } from 'lit';
import { live } from 'lit/directives/live.js';
import { icons } from '../shared/icons.js';
import { formatDuration } from '../../render/preview.js';

/** The player's strings, in the chat view's language. */
export interface VoiceLabels {
  play: string;
  pause: string;
  seek: string;
}

/** One voice message plays at a time: starting one pauses the other. */
let playing: CkVoicePlayer | undefined;

/**
 * A compact player for a voice message or an audio file: play/pause, a seek slider
 * and the duration (from the message's metadata, else the audio's own). One
 * `<audio preload="metadata">`; nothing is fetched beyond the metadata until play.
 *
 * @summary Voice message player (used inside chat bubbles).
 * @csspart play-button - play / pause
 * @csspart progress - the seek slider
 * @csspart duration - elapsed time while playing, else the length
 */
export class CkVoicePlayer extends LitElement {
  static override styles = css`
    :host {
      display: inline-flex;
      align-items: center;
      gap: 8px;
      min-inline-size: 200px;
      max-inline-size: 100%;
      white-space: nowrap;
    }
    button {
      flex: none;
      display: grid;
      place-items: center;
      inline-size: 36px;
      block-size: 36px;
      padding: 0;
      border: none;
      border-radius: 50%;
      background: currentColor;
      cursor: pointer;
    }
    button svg {
      inline-size: 18px;
      block-size: 18px;
      fill: var(--_ck-voice-on, var(--_bg, #fff));
      stroke: var(--_ck-voice-on, var(--_bg, #fff));
      stroke-width: 2;
      stroke-linejoin: round;
      stroke-linecap: round;
    }
    button:focus-visible,
    input:focus-visible {
      outline: var(--_focus, 2px solid currentColor);
      outline-offset: 2px;
    }
    input {
      flex: 1;
      min-inline-size: 60px;
      margin: 0;
      accent-color: currentColor;
    }
    span {
      font-size: 0.8em;
      font-variant-numeric: tabular-nums;
      min-inline-size: 3.2em;
      text-align: end;
    }
  `;

  static override properties = {
    src: { type: String },
    duration: { type: Number },
    labels: { attribute: false },
    _playing: { state: true },
    _time: { state: true },
    _length: { state: true },
  };

  /** An http(s) URL (the caller checks it). */
  declare src: string;
  /** Length in ms as the sender declared it. */
  declare duration: number | undefined;
  declare labels: VoiceLabels;
  declare _playing: boolean;
  /** Position in ms. */
  declare _time: number;
  /** Length in ms from the audio's metadata. */
  declare _length: number | undefined;

  constructor() {
    super();
    this.src = '';
    this.duration = undefined;
    this.labels = { play: 'Play', pause: 'Pause', seek: 'Position' };
    this._playing = false;
    this._time = 0;
    this._length = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#audio()?.pause();
    if (playing === this) playing = undefined;
  }

  #audio(): HTMLAudioElement | null {
    return this.renderRoot?.querySelector('audio') ?? null;
  }

  /** The length to show: the metadata's when it knows one (recordings often report Infinity), else the sender's. */
  get #total(): number {
    const declared = typeof this.duration === 'number' && Number.isFinite(this.duration) && this.duration > 0 ? this.duration : 0;
    return this._length ?? declared;
  }

  #toggle = (): void => {
    const audio = this.#audio();
    if (!audio) return;
    if (audio.paused) {
      if (playing && playing !== this) playing.#audio()?.pause();
      playing = this;
      audio.play().catch(() => (this._playing = false));
      this._playing = true;
    } else {
      audio.pause();
    }
  };

  #onMeta = (e: Event): void => {
    const d = (e.target as HTMLAudioElement).duration;
    if (Number.isFinite(d) && d > 0) this._length = d * 1000;
  };

  #onTime = (e: Event): void => {
    this._time = (e.target as HTMLAudioElement).currentTime * 1000;
  };

  #onSeek = (e: Event): void => {
    const audio = this.#audio();
    const to = Number((e.target as HTMLInputElement).value);
    if (audio && Number.isFinite(to)) {
      audio.currentTime = to / 1000;
      this._time = to;
    }
  };

  override render() {
    const total = this.#total;
    const shown = this._playing || this._time > 0 ? this._time : total;
    return html`<button
        part="play-button"
        type="button"
        aria-label=${this._playing ? this.labels.pause : this.labels.play}
        @click=${this.#toggle}
      >
        ${this._playing ? icons.pause : icons.play}
      </button>
      <input
        part="progress"
        type="range"
        min="0"
        max=${Math.max(1, Math.round(total))}
        step="100"
        .value=${live(String(Math.round(Math.min(this._time, total || this._time))))}
        aria-label=${this.labels.seek}
        aria-valuetext=${`${formatDuration(this._time)} / ${formatDuration(total)}`}
        ?disabled=${!total}
        @input=${this.#onSeek}
      />
      <span part="duration">${formatDuration(shown) || '0:00'}</span>
      <audio
        preload="metadata"
        src=${this.src}
        @loadedmetadata=${this.#onMeta}
        @timeupdate=${this.#onTime}
        @play=${() => (this._playing = true)}
        @pause=${() => (this._playing = false)}
        @ended=${() => {
          this._playing = false;
          this._time = 0;
        }}
      ></audio>`;
  }
}

customElements.define('ck-voice-player', CkVoicePlayer);

declare global {
  interface HTMLElementTagNameMap {
    'ck-voice-player': CkVoicePlayer;
  }
}
