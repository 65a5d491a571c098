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
  // Rich messages: file types, voice player, location.
  file: icon(svg`<path d="M14 3H6v18h12V7Z"/><path d="M14 3v4h4"/>`),
  fileImage: icon(svg`<rect x="3" y="4" width="18" height="16" rx="2"/><circle cx="9" cy="10" r="2"/><path d="m21 17-5-5-9 8"/>`),
  fileAudio: icon(svg`<path d="M9 18V5l11-2v13"/><circle cx="6" cy="18" r="3"/><circle cx="17" cy="16" r="3"/>`),
  fileVideo: icon(svg`<rect x="2" y="6" width="14" height="12" rx="2"/><path d="m16 10 6-3v10l-6-3"/>`),
  filePdf: icon(svg`<path d="M14 3H6v18h12V7Z"/><path d="M14 3v4h4M9 13h6M9 17h4"/>`),
  fileArchive: icon(svg`<path d="M14 3H6v18h12V7Z"/><path d="M14 3v4h4M11 5h1M11 8h1M11 11h1M10 14h3v3h-3Z"/>`),
  fileText: icon(svg`<path d="M14 3H6v18h12V7Z"/><path d="M14 3v4h4M9 11h6M9 14h6M9 17h6"/>`),
  download: icon(svg`<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>`),
  play: icon(svg`<path d="M7 4v16l13-8Z"/>`),
  pause: icon(svg`<path d="M8 5v14M16 5v14"/>`),
  location: icon(svg`<path d="M12 22s7-6.2 7-12a7 7 0 0 0-14 0c0 5.8 7 12 7 12Z"/><circle cx="12" cy="10" r="2.5"/>`),
};
