import { html, type TemplateResult } from 'lit';
import type { MessageKey } from '../../i18n/index.js';
import type { MessageRecord } from '../../store/records.js';
import { plainPreview } from '../../render/text.js';
import { icons } from '../shared/icons.js';
import { composerIcons } from './composer-icons.js';

/** Longest excerpt the reply bar shows (graphemes). */
const EXCERPT_CHARS = 80;

interface PreviewTypes {
  get(type: string): { preview(data: never): string } | undefined;
}

/** One line saying what a message is: its text, a file's name, a place, a custom type's preview. */
export function excerptOf(m: MessageRecord, types?: PreviewTypes): string {
  if (m.attachment) return plainPreview(`📎 ${m.attachment.name}`, EXCERPT_CHARS);
  if (m.location) return plainPreview(`📍 ${m.location.lat.toFixed(5)}, ${m.location.lon.toFixed(5)}`, EXCERPT_CHARS);
  if (m.custom) {
    try {
      const text = (types?.get(m.custom.type)?.preview as ((data: unknown) => unknown) | undefined)?.(m.custom.data);
      if (typeof text === 'string' && text.trim()) return plainPreview(text, EXCERPT_CHARS);
    } catch {
      // an integrator's preview failing leaves the fallback body
    }
  }
  return plainPreview(m.body, EXCERPT_CHARS);
}

export interface ComposeBarOptions {
  kind: 'reply' | 'edit';
  message: MessageRecord;
  /** The author's display name ("You" for the user). */
  author: string;
  types?: PreviewTypes;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  cancel: () => void;
}

/** The bar above the input while answering a message ("Replying to Bob") or correcting one ("Editing message"). */
export function composeBar(o: ComposeBarOptions): TemplateResult {
  const reply = o.kind === 'reply';
  const close = o.t(reply ? 'composer.cancelReply' : 'composer.cancelEdit');
  return html`<div part=${reply ? 'reply-bar' : 'edit-bar'} class="compose-bar" data-mode=${o.kind}>
    ${reply ? composerIcons.reply : composerIcons.edit}
    <span class="compose-bar-text">
      <strong dir="auto">${reply ? o.t('composer.replyingTo', { name: o.author }) : o.t('composer.editing')}</strong>
      <span class="compose-bar-excerpt" dir="auto">${excerptOf(o.message, o.types)}</span>
    </span>
    <button type="button" class="icon-button" aria-label=${close} title=${close} @click=${o.cancel}>${icons.close}</button>
  </div>`;
}
