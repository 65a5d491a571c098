import { svg } from 'lit';

/** The composer's own stroke icons (24×24, styled by sharedStyles' svg rule). */
const icon = (d: ReturnType<typeof svg>) => svg`<svg viewBox="0 0 24 24" aria-hidden="true">${d}</svg>`;

export const composerIcons = {
  attach: icon(svg`<path d="m21 11-8.6 8.6a5 5 0 0 1-7-7l8.5-8.6a3.3 3.3 0 0 1 4.7 4.7l-8.6 8.6a1.7 1.7 0 0 1-2.3-2.4l7.9-7.9"/>`),
  mic: icon(svg`<rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 10v1a7 7 0 0 0 14 0v-1M12 18v4"/>`),
  stop: icon(svg`<rect x="6" y="6" width="12" height="12" rx="2"/>`),
  location: icon(svg`<path d="M12 22s7-6.2 7-12a7 7 0 0 0-14 0c0 5.8 7 12 7 12Z"/><circle cx="12" cy="10" r="2.5"/>`),
  reply: icon(svg`<path d="M9 14 4 9l5-5"/><path d="M4 9h10a6 6 0 0 1 6 6v5"/>`),
  edit: icon(svg`<path d="M4 20h4L19 9l-4-4L4 16Z"/>`),
  save: icon(svg`<path d="m5 12 5 5L20 7"/>`),
  download: icon(svg`<path d="M12 4v11M7 10l5 5 5-5M5 20h14"/>`),
};
