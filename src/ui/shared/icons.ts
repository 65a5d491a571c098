import { svg } from 'lit';

/** Stroke icons drawn at 24×24 (styled by sharedStyles' svg rule). */
const icon = (d: ReturnType<typeof svg>) => svg`<svg viewBox="0 0 24 24" aria-hidden="true">${d}</svg>`;

export const icons = {
  send: icon(svg`<path d="M22 2 11 13"/><path d="M22 2 15 22l-4-9-9-4Z"/>`),
  clock: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M12 7v5l3 2"/>`),
  check: icon(svg`<path d="m5 12 5 5L20 7"/>`),
  checks: icon(svg`<path d="m2 12 5 5L17 7"/><path d="m12 16 1 1L23 7"/>`),
  alert: icon(svg`<circle cx="12" cy="12" r="9"/><path d="M12 8v5M12 16h.01"/>`),
  plus: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  back: icon(svg`<path d="m15 18-6-6 6-6"/>`),
  close: icon(svg`<path d="M18 6 6 18M6 6l12 12"/>`),
  pin: icon(svg`<path d="M12 17v5M9 3h6l-1 6 3 3v2H7v-2l3-3Z"/>`),
  muted: icon(svg`<path d="M11 5 6 9H3v6h3l5 4ZM22 9l-6 6M16 9l6 6"/>`),
  down: icon(svg`<path d="m6 9 6 6 6-6"/>`),
  group: icon(svg`<circle cx="9" cy="8" r="3.5"/><path d="M2.5 20c.8-3.6 3.3-5.5 6.5-5.5s5.7 1.9 6.5 5.5M16 4.6a3.5 3.5 0 0 1 0 6.8M18 14.8c2 .7 3.2 2.4 3.6 5.2"/>`),
};
