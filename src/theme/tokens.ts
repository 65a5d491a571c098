import { css } from 'lit';

/**
 * Global design tokens with their defaults, light and dark. Every element includes
 * these; an integrator overrides any `--ck-*` property on the element or an ancestor.
 * Dark follows `prefers-color-scheme` unless `theme="light|dark"` is set on the
 * element or on <html> (CkElement turns either into the internal `data-ck-theme`).
 */
export const tokens = css`
  :host {
    --_accent: var(--ck-color-accent, #2563eb);
    --_accent-text: var(--ck-color-accent-text, #ffffff);
    --_bg: var(--ck-color-background, #ffffff);
    --_surface: var(--ck-color-surface, #f3f4f6);
    --_text: var(--ck-color-text, #111827);
    --_muted: var(--ck-color-text-muted, #4b5563);
    --_border: var(--ck-color-border, #d1d5db);
    --_danger: var(--ck-color-danger, #b91c1c);
    --_badge: var(--ck-color-badge, #dc2626);
    --_badge-text: var(--ck-color-badge-text, #ffffff);
    --_selected: var(--ck-color-selected, #dbeafe);
    --_own-bubble: var(--ck-bubble-own-background, var(--_accent));
    --_own-text: var(--ck-bubble-own-color, var(--_accent-text));
    --_peer-bubble: var(--ck-bubble-peer-background, var(--_surface));
    --_peer-text: var(--ck-bubble-peer-color, var(--_text));
    --_radius: var(--ck-radius, 10px);
    --_bubble-radius: var(--ck-bubble-radius, 16px);
    --_space: var(--ck-spacing, 8px);
    --_font: var(--ck-font, system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'PingFang SC', 'Microsoft YaHei', sans-serif);
    --_font-size: var(--ck-font-size, 15px);
    --_shadow: var(--ck-shadow, 0 1px 3px rgb(0 0 0 / 0.12));
    --_focus: var(--ck-focus-ring, 2px solid var(--_accent));
    --_avatar-size: var(--ck-avatar-size, 40px);
    color-scheme: light;
    font-family: var(--_font);
    font-size: var(--_font-size);
    color: var(--_text);
    background: var(--_bg);
    box-sizing: border-box;
  }
  @media (prefers-color-scheme: dark) {
    :host(:not([data-ck-theme='light'])) {
      --_accent: var(--ck-color-accent, #3b82f6);
      --_bg: var(--ck-color-background, #111827);
      --_surface: var(--ck-color-surface, #1f2937);
      --_text: var(--ck-color-text, #f9fafb);
      --_muted: var(--ck-color-text-muted, #9ca3af);
      --_border: var(--ck-color-border, #374151);
      --_danger: var(--ck-color-danger, #f87171);
      --_selected: var(--ck-color-selected, #172554);
      --_accent-text: var(--ck-color-accent-text, #0b1220);
      --_own-bubble: var(--ck-bubble-own-background, #1d4ed8);
      --_own-text: var(--ck-bubble-own-color, #ffffff);
      color-scheme: dark;
    }
  }
  :host([data-ck-theme='dark']) {
    --_accent: var(--ck-color-accent, #3b82f6);
    --_bg: var(--ck-color-background, #111827);
    --_surface: var(--ck-color-surface, #1f2937);
    --_text: var(--ck-color-text, #f9fafb);
    --_muted: var(--ck-color-text-muted, #9ca3af);
    --_border: var(--ck-color-border, #374151);
    --_danger: var(--ck-color-danger, #f87171);
    --_selected: var(--ck-color-selected, #172554);
    --_accent-text: var(--ck-color-accent-text, #0b1220);
    --_own-bubble: var(--ck-bubble-own-background, #1d4ed8);
    --_own-text: var(--ck-bubble-own-color, #ffffff);
    color-scheme: dark;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  :focus-visible {
    outline: var(--_focus);
    outline-offset: 2px;
  }
  button {
    font: inherit;
    color: inherit;
    cursor: pointer;
  }
  .visually-hidden {
    position: absolute;
    inline-size: 1px;
    block-size: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
