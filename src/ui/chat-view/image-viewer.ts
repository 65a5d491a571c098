import { html, nothing, type TemplateResult } from 'lit';
import type { MessageKey } from '../../i18n/index.js';
import type { MessageRecord } from '../../store/records.js';
import { safeHref, safeImageSrc } from '../../render/url.js';
import { icons } from '../shared/icons.js';
import { composerIcons } from './composer-icons.js';

export interface ViewerHandlers {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  close: () => void;
}

/**
 * An image attachment over the whole view: the picture at full size (alt: its file
 * name), a download link and a close button. A click anywhere but the link closes it.
 */
export function imageViewer(m: MessageRecord, h: ViewerHandlers): TemplateResult | typeof nothing {
  const a = m.attachment;
  const src = a ? safeImageSrc(a.url) : null;
  if (!a || !src) return nothing;
  const name = a.name || src;
  const href = safeHref(a.url);
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      h.close();
    } else if (e.key === 'Tab') {
      // Modal: Tab moves between the dialog's own controls only.
      const root = e.currentTarget as HTMLElement;
      const items = [...root.querySelectorAll<HTMLElement>('a[href], button')];
      const i = items.indexOf((root.getRootNode() as ShadowRoot | Document).activeElement as HTMLElement);
      e.preventDefault();
      items[(i + (e.shiftKey ? items.length - 1 : 1)) % items.length]?.focus();
    }
  };
  return html`<div
    part="image-viewer"
    class="viewer"
    role="dialog"
    aria-modal="true"
    aria-label=${name}
    @click=${(e: Event) => {
      if (!(e.composedPath()[0] as Element).closest?.('a')) h.close();
    }}
    @keydown=${onKey}
  >
    <div class="viewer-bar">
      <span class="viewer-name" dir="auto">${name}</span>
      ${href
        ? html`<a part="image-download" class="viewer-button" href=${href} download=${a.name || nothing} target="_blank" rel="noopener noreferrer"
            >${composerIcons.download}<span>${h.t('viewer.download')}</span></a
          >`
        : nothing}
      <button part="image-close" class="viewer-button" type="button" aria-label=${h.t('viewer.close')} title=${h.t('viewer.close')}>${icons.close}</button>
    </div>
    <img class="viewer-image" src=${src} alt=${name} />
  </div>`;
}
