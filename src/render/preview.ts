/**
 * The conversation list's one-line preview of a last message: what a rich message is
 * ("[Image]", "[File] name", "[Voice] 0:07", "[Location]", "Message recalled", a custom
 * type's own preview), else its body. Always plain text, cut like `plainPreview`.
 */
import type { MessageKey } from '../i18n/index.js';
import type { CustomData, MessagePreview } from '../store/records.js';
import { plainPreview } from './text.js';

/** A custom type's preview source: the kit's `messageTypes` registry fits. */
export interface PreviewTypes {
  get(type: string): { preview(data: CustomData): string } | undefined;
}

export interface PreviewOptions {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** Registered custom types; without one (or for an unknown type) the fallback body is shown. */
  types?: PreviewTypes;
  /** Longest preview in grapheme clusters (as `plainPreview`). */
  max?: number;
}

/** A preview; `attachment.duration` (ms) is read when the store copied it. */
export type PreviewSource = Omit<MessagePreview, 'attachment'> & {
  attachment?: MessagePreview['attachment'] & { duration?: number };
};

/** `m:ss` (or `h:mm:ss`) of a duration in ms; empty for an unknown or absurd one. */
export function formatDuration(ms: number | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0 || ms > 100 * 3600_000) return '';
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The integrator's preview, or undefined when it is missing, throws or returns no text. */
function customPreview(types: PreviewTypes | undefined, type: string, data: CustomData): string | undefined {
  try {
    const text = types?.get(type)?.preview(data);
    return typeof text === 'string' && text.trim() ? text : undefined;
  } catch {
    return undefined;
  }
}

/** What the list shows for `last` (without the "You: " or sender prefix). */
export function previewText(last: PreviewSource, opts: PreviewOptions): string {
  const { t } = opts;
  let text: string;
  if (last.retracted) text = t('preview.recalled');
  else if (last.custom) text = customPreview(opts.types, last.custom.type, last.custom.data) ?? last.body;
  else if (last.location) text = t('preview.location');
  else if (last.attachment) {
    const a = last.attachment;
    const mime = typeof a.mime === 'string' ? a.mime.toLowerCase() : '';
    if (a.voice) text = t('preview.voice', { duration: formatDuration(a.duration) });
    else if (mime.startsWith('image/')) text = t('preview.image');
    else text = t('preview.file', { name: String(a.name ?? '') });
  } else text = last.body;
  return plainPreview(text, opts.max);
}
