import { css } from 'lit';

export const styles = css`
  :host {
    display: flex;
    flex-direction: column;
    min-block-size: 0;
    block-size: 100%;
    contain: content;
  }
  header {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
    padding-block-start: max(var(--_space), env(safe-area-inset-top));
    border-block-end: 1px solid var(--_border);
    min-block-size: 56px;
  }
  .heading {
    flex: 1;
    min-inline-size: 0;
    display: grid;
  }
  header .title {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    unicode-bidi: isolate;
  }
  .status {
    font-size: 0.8em;
    color: var(--_muted);
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .header-button {
    min-block-size: 36px;
    padding: 0 10px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: transparent;
    font-size: 0.85em;
  }
  .profile-link {
    display: contents;
  }
  .banner {
    display: flex;
    align-items: center;
    justify-content: center;
    gap: var(--_space);
    padding: calc(var(--_space) / 2) var(--_space);
    font-size: 0.875em;
    background: var(--ck-banner-background, #fef3c7);
    color: var(--ck-banner-color, #78350f);
  }
  .banner[data-status='online'] {
    background: var(--ck-banner-online-background, #dcfce7);
    color: var(--ck-banner-online-color, #14532d);
  }
  .banner[data-status='invite'] {
    background: var(--_selected);
    color: var(--_text);
  }
  .banner[data-status='conflict'],
  .banner[data-status='left'],
  .banner[data-status='offline'] {
    background: var(--ck-banner-error-background, #fee2e2);
    color: var(--ck-banner-error-color, #7f1d1d);
  }
  .banner button {
    border: 1px solid currentColor;
    border-radius: var(--_radius);
    background: transparent;
    padding: 2px 8px;
  }
  .log-wrap {
    position: relative;
    flex: 1;
    min-block-size: 0;
    display: flex;
  }
  .log {
    flex: 1;
    min-block-size: 0;
    overflow-y: auto;
    overflow-anchor: none;
    padding: var(--_space) calc(var(--_space) * 1.5);
    display: flex;
    flex-direction: column;
    gap: 4px;
  }
  .day {
    align-self: center;
    margin: var(--_space) 0;
    padding: 2px 10px;
    border-radius: 999px;
    background: var(--_surface);
    color: var(--_muted);
    font-size: 0.8em;
  }
  .row {
    display: flex;
    align-items: flex-end;
    gap: var(--_space);
    max-inline-size: 100%;
  }
  .row.own {
    flex-direction: row-reverse;
  }
  .menu-backdrop {
    position: absolute;
    inset: 0;
    z-index: 1;
  }
  .menu {
    position: absolute;
    z-index: 2;
    display: grid;
    min-inline-size: 160px;
    padding: 4px;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }
  .menu button {
    min-block-size: 44px;
    padding: 0 12px;
    border: none;
    border-radius: calc(var(--_radius) - 4px);
    background: transparent;
    text-align: start;
  }
  .menu button:hover,
  .menu button:focus-visible {
    background: var(--_surface);
  }
  .row {
    -webkit-touch-callout: none;
  }
  .details {
    max-block-size: 40%;
    overflow: auto;
    border-block-end: 1px solid var(--_border);
  }
  .mentions {
    list-style: none;
    margin: 0 calc(var(--_space) * 1.5);
    padding: 4px 0;
    max-block-size: 220px;
    overflow: auto;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    box-shadow: var(--_shadow);
    --_avatar-size: 28px;
  }
  .mentions li {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: 6px 10px;
    min-block-size: 44px;
    cursor: pointer;
  }
  .mentions li[aria-selected='true'] {
    background: var(--_selected);
  }
  .row.mentioned .bubble {
    box-shadow: 0 0 0 2px var(--ck-color-mention, #f59e0b);
  }
  .ck-mention-self {
    background: color-mix(in srgb, var(--ck-color-mention, #f59e0b) 30%, transparent);
    border-radius: 4px;
  }
  .stack {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    max-inline-size: min(75%, 42em);
    min-inline-size: 0;
  }
  .own .stack {
    align-items: flex-end;
  }
  .sender {
    font-size: 0.8em;
    color: var(--_muted);
    margin-inline: 12px;
    unicode-bidi: isolate;
  }
  .system {
    align-self: center;
    max-inline-size: 80%;
    color: var(--_muted);
    font-size: 0.85em;
    text-align: center;
    unicode-bidi: isolate;
  }
  .unread-separator {
    display: flex;
    align-items: center;
    gap: var(--_space);
    color: var(--_accent);
    font-size: 0.8em;
    margin: var(--_space) 0;
  }
  .unread-separator::before,
  .unread-separator::after {
    content: '';
    flex: 1;
    border-block-start: 1px solid currentColor;
  }
  .jump {
    position: absolute;
    inset-block-end: var(--_space);
    inset-inline-end: calc(var(--_space) * 2);
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-block-size: 40px;
    min-inline-size: 40px;
    padding: 0 10px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_text);
    box-shadow: var(--_shadow);
  }
  .bubble {
    max-inline-size: 100%;
    padding: 6px 12px;
    border-radius: var(--_bubble-radius);
    background: var(--_peer-bubble);
    color: var(--_peer-text);
    white-space: pre-wrap;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
    line-height: 1.4;
  }
  .own .bubble {
    background: var(--_own-bubble);
    color: var(--_own-text);
  }
  .own.failed .bubble {
    box-shadow: 0 0 0 2px var(--_danger);
  }
  .show-all {
    display: block;
    margin-block-start: 4px;
    padding: 0;
    border: none;
    background: none;
    color: inherit;
    text-decoration: underline;
    font-size: 0.85em;
    min-block-size: 24px;
  }
  .bubble a {
    color: inherit;
    text-decoration: underline;
  }
  .bubble .ck-sd {
    opacity: 0.55;
  }
  .bubble blockquote {
    margin: 0;
    padding-inline-start: 8px;
    border-inline-start: 3px solid currentColor;
    opacity: 0.85;
  }
  .bubble pre,
  .bubble code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
  }
  .bubble pre {
    margin: 0;
    white-space: pre-wrap;
  }
  .ck-mention {
    font-weight: 600;
  }
  .meta {
    display: flex;
    align-items: center;
    gap: 4px;
    color: var(--_muted);
    font-size: 0.75em;
    white-space: nowrap;
  }
  .meta svg {
    inline-size: 14px;
    block-size: 14px;
  }
  .meta [data-state='read'] {
    color: var(--_accent);
  }
  .meta [data-state='failed'] {
    color: var(--_danger);
  }
  .failure {
    display: flex;
    flex-wrap: wrap;
    align-items: center;
    justify-content: flex-end;
    gap: 6px;
    font-size: 0.8em;
    color: var(--_danger);
  }
  .failure button {
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_bg);
    padding: 2px 8px;
  }
  /* Over the log, not in it: showing it must not move the messages. */
  .loading {
    position: absolute;
    inset-block-start: var(--_space);
    inset-inline: 0;
    margin-inline: auto;
    inline-size: fit-content;
    padding: 6px;
    border-radius: 50%;
    background: var(--_bg);
    box-shadow: var(--_shadow);
  }
  .spinner {
    display: block;
    inline-size: 20px;
    block-size: 20px;
    border: 2px solid var(--_border);
    border-block-start-color: var(--_accent);
    border-radius: 50%;
    animation: ck-spin 0.8s linear infinite;
  }
  @keyframes ck-spin {
    to {
      transform: rotate(1turn);
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .spinner {
      animation-duration: 3s;
    }
  }
  .empty {
    margin: auto;
    color: var(--_muted);
    text-align: center;
    padding: calc(var(--_space) * 3);
  }
  form {
    display: flex;
    align-items: flex-end;
    gap: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
    /* Clear the home indicator on phones with rounded corners. */
    padding-block-end: max(var(--_space), env(safe-area-inset-bottom));
    border-block-start: 1px solid var(--_border);
  }
  textarea {
    flex: 1;
    resize: none;
    min-block-size: 40px;
    max-block-size: 160px;
    padding: 9px 12px;
    border: 1px solid var(--_border);
    border-radius: 20px;
    background: var(--_bg);
    color: var(--_text);
    font: inherit;
    font-size: max(16px, 1em);
    line-height: 1.35;
    field-sizing: content;
  }
  .send {
    flex: none;
    inline-size: 44px;
    block-size: 44px;
    border: none;
    border-radius: 50%;
    background: var(--_accent);
    color: var(--_accent-text);
    display: grid;
    place-items: center;
  }
  .send:disabled {
    opacity: 0.5;
    cursor: default;
  }

  /* ---- Rich message bubbles (message-content.ts, attachment.ts, reactions.ts) ---- */
  .bubble.kind-image,
  .bubble.kind-upload,
  .bubble.kind-file,
  .bubble.kind-voice,
  .bubble.kind-location {
    white-space: normal;
  }
  .bubble.kind-image {
    padding: 4px;
  }
  .bubble .caption {
    white-space: pre-wrap;
    padding: 4px 8px 2px;
  }
  .bubble:not(.kind-image) .caption {
    padding-inline: 0;
  }
  .media {
    display: block;
    max-inline-size: 100%;
  }
  .image {
    position: relative;
    display: block;
    max-inline-size: 100%;
    padding: 0;
    border: none;
    border-radius: calc(var(--_bubble-radius) - 4px);
    overflow: hidden;
    background: color-mix(in srgb, currentColor 12%, transparent);
    cursor: zoom-in;
  }
  .image img {
    position: absolute;
    inset: 0;
    inline-size: 100%;
    block-size: 100%;
    object-fit: cover;
    /* A broken image's own icon and alt text must not flash before the card replaces it. */
    color: transparent;
  }
  .media [hidden] {
    display: none;
  }
  .file {
    display: flex;
    align-items: center;
    gap: 10px;
    min-inline-size: min(220px, 100%);
    max-inline-size: 100%;
    padding-block: 2px;
  }
  .file-icon {
    flex: none;
    display: grid;
    place-items: center;
    inline-size: 40px;
    block-size: 40px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, currentColor 14%, transparent);
  }
  .file-icon svg {
    inline-size: 22px;
    block-size: 22px;
  }
  .file-text {
    flex: 1;
    min-inline-size: 0;
    display: grid;
  }
  .file-name {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    font-weight: 600;
    unicode-bidi: isolate;
  }
  .file-size {
    font-size: 0.8em;
  }
  .download {
    flex: none;
    display: grid;
    place-items: center;
    inline-size: 36px;
    block-size: 36px;
    border-radius: 50%;
    color: inherit;
  }
  .download:hover {
    background: color-mix(in srgb, currentColor 14%, transparent);
  }
  .upload {
    display: grid;
    gap: 6px;
  }
  .upload-row {
    display: flex;
    align-items: center;
    gap: 8px;
  }
  .progress {
    flex: 1;
    block-size: 6px;
    border-radius: 3px;
    overflow: hidden;
    background: color-mix(in srgb, currentColor 22%, transparent);
  }
  .progress-fill {
    display: block;
    block-size: 100%;
    inline-size: 0;
    background: currentColor;
    transition: inline-size 0.2s linear;
  }
  .cancel-upload {
    flex: none;
    display: grid;
    place-items: center;
    inline-size: 32px;
    block-size: 32px;
    padding: 0;
    border: 1px solid currentColor;
    border-radius: 50%;
    background: transparent;
  }
  .cancel-upload svg {
    inline-size: 16px;
    block-size: 16px;
  }
  .peer ck-voice-player {
    --_ck-voice-on: var(--_peer-bubble);
  }
  .own ck-voice-player {
    --_ck-voice-on: var(--_own-bubble);
  }
  .location {
    display: flex;
    align-items: flex-start;
    gap: 8px;
  }
  .location-text {
    display: grid;
    gap: 2px;
  }
  .coordinates {
    font-variant-numeric: tabular-nums;
  }
  .accuracy {
    font-size: 0.8em;
  }
  .bubble .map-link {
    font-size: 0.9em;
  }
  .custom-location {
    display: block;
  }
  .custom {
    white-space: normal;
  }
  .recalled-text {
    font-style: italic;
  }
  .bubble.kind-recalled {
    background: transparent;
    color: var(--_muted);
    box-shadow: inset 0 0 0 1px var(--_border);
  }
  .own .bubble.kind-recalled {
    background: transparent;
    color: var(--_muted);
  }
  .reply-quote {
    display: grid;
    inline-size: 100%;
    max-inline-size: 32em;
    margin-block: 2px 6px;
    padding: 4px 8px;
    border: none;
    border-inline-start: 3px solid currentColor;
    border-radius: 4px;
    background: color-mix(in srgb, currentColor 12%, transparent);
    text-align: start;
    white-space: normal;
    font-size: 0.875em;
  }
  .reply-author {
    font-weight: 600;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    unicode-bidi: isolate;
  }
  .reply-excerpt {
    display: -webkit-box;
    -webkit-box-orient: vertical;
    -webkit-line-clamp: 2;
    line-clamp: 2;
    overflow: hidden;
    overflow-wrap: anywhere;
    unicode-bidi: isolate;
  }
  .reactions {
    display: flex;
    flex-wrap: wrap;
    gap: 4px;
    margin-block-start: 2px;
    max-inline-size: 100%;
  }
  .reaction {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-block-size: 28px;
    max-inline-size: 10em;
    padding: 0 8px;
    border: 1px solid var(--_border);
    border-radius: 999px;
    background: var(--_bg);
    color: var(--_text);
    font-size: 0.85em;
  }
  .reaction .emoji {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .reaction[aria-pressed='true'] {
    border-color: var(--_accent);
    background: var(--_selected);
  }
  .reaction .count {
    font-variant-numeric: tabular-nums;
  }
  .edited {
    font-style: italic;
  }
  /* ---- end rich message bubbles ---- */
  /* ---- rich messages: composer, message menu, typing, image viewer ---- */
  form {
    flex-wrap: wrap;
  }
  .tools {
    display: flex;
    align-items: center;
    align-self: center;
  }
  .tools button:disabled {
    opacity: 0.5;
  }
  .custom-label {
    font-size: 0.85em;
    padding-inline: 4px;
  }
  .voice {
    align-self: center;
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
  }
  .voice[aria-pressed='true'] {
    color: var(--_danger);
  }
  .recording {
    flex: 1;
    display: flex;
    align-items: center;
    gap: var(--_space);
    min-block-size: 40px;
    color: var(--_danger);
  }
  .recording-dot {
    inline-size: 10px;
    block-size: 10px;
    border-radius: 50%;
    background: var(--_danger);
    animation: ck-pulse 1s ease-in-out infinite alternate;
  }
  .recording-hint {
    color: var(--_muted);
    font-size: 0.85em;
  }
  @keyframes ck-pulse {
    to {
      opacity: 0.3;
    }
  }
  @media (prefers-reduced-motion: reduce) {
    .recording-dot {
      animation: none;
    }
  }
  .typing {
    min-block-size: 1.4em;
    padding: 0 calc(var(--_space) * 1.5);
    color: var(--_muted);
    font-size: 0.85em;
    font-style: italic;
  }
  .typing:empty {
    min-block-size: 0;
  }
  .compose-bar,
  .composer-error {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: calc(var(--_space) / 2) calc(var(--_space) * 1.5);
    border-block-start: 1px solid var(--_border);
  }
  .compose-bar {
    border-inline-start: 3px solid var(--_accent);
    background: var(--_surface);
  }
  .compose-bar-text {
    flex: 1;
    min-inline-size: 0;
    display: grid;
  }
  .compose-bar-excerpt {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    color: var(--_muted);
  }
  .composer-error {
    color: var(--_danger);
  }
  .composer-error span {
    flex: 1;
  }
  .drop-zone {
    position: absolute;
    inset: var(--_space);
    z-index: 3;
    display: grid;
    place-items: center;
    border: 2px dashed var(--_accent);
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_bg) 85%, transparent);
    color: var(--_accent);
    font-weight: 600;
    pointer-events: none;
  }
  .drop-zone span {
    display: flex;
    align-items: center;
    gap: var(--_space);
  }
  .notice {
    position: absolute;
    inset-block-start: var(--_space);
    inset-inline: 0;
    margin-inline: auto;
    inline-size: fit-content;
    max-inline-size: 90%;
    padding: 6px 12px;
    border-radius: 999px;
    background: var(--_text);
    color: var(--_bg);
    box-shadow: var(--_shadow);
    z-index: 3;
  }
  .reactions-row {
    display: flex;
    gap: 2px;
    padding-block-end: 4px;
    border-block-end: 1px solid var(--_border);
    margin-block-end: 4px;
  }
  .menu .quick-reaction {
    min-inline-size: 36px;
    padding: 0 4px;
    font-size: 1.25em;
    text-align: center;
  }
  .menu .quick-reaction[aria-checked='true'] {
    background: var(--_selected);
  }
  [role='article'].highlight .bubble {
    outline: 3px solid var(--_accent);
    outline-offset: 2px;
    transition: outline-color 0.3s;
  }
  .viewer {
    position: fixed;
    inset: 0;
    z-index: 10;
    display: flex;
    flex-direction: column;
    background: rgb(0 0 0 / 0.88);
    color: #fff;
  }
  .viewer-bar {
    display: flex;
    align-items: center;
    gap: var(--_space);
    padding: var(--_space) calc(var(--_space) * 1.5);
  }
  .viewer-name {
    flex: 1;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .viewer-button {
    display: inline-flex;
    align-items: center;
    gap: 4px;
    min-block-size: 40px;
    min-inline-size: 40px;
    justify-content: center;
    padding: 0 8px;
    border: 1px solid rgb(255 255 255 / 0.4);
    border-radius: var(--_radius);
    background: transparent;
    color: inherit;
    text-decoration: none;
  }
  .viewer-image {
    flex: 1;
    min-block-size: 0;
    inline-size: 100%;
    object-fit: contain;
  }
  /* ---- end rich messages: composer ---- */
  /* ---- keyboard access to messages: the focused row ---- */
  .log [role='article'][data-id]:focus {
    outline: none;
  }
  .log [role='article'][data-id]:focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
    border-radius: var(--_radius);
    background: color-mix(in srgb, var(--_selected) 55%, transparent);
  }
`;
