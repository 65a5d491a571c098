/**
 * File, image and upload bubbles. Every field of an attachment comes from another user:
 * names are bound as text, URLs pass the http(s) allow-list before they become an
 * `href` or `src`, and the declared MIME type only picks between image, audio and file.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { Attachment, MessageRecord } from '../../store/records.js';
import { safeHref, safeImageSrc } from '../../render/url.js';
import { icons } from '../shared/icons.js';
import { cssProps } from '../shared/css-props.js';
import type { RowContext } from './message-row.js';

/** Largest thumbnail box, CSS px. */
const MAX_W = 240;
const MAX_H = 320;
/** Smallest side, so a panorama or a sliver stays tappable. */
const MIN_SIDE = 48;
/** The box for an image of unknown size. */
const DEFAULT_BOX = { w: 240, h: 180 };

export type FileKind = 'image' | 'audio' | 'video' | 'pdf' | 'archive' | 'text' | 'other';

const ARCHIVES = new Set([
  'application/zip',
  'application/x-zip-compressed',
  'application/gzip',
  'application/x-gzip',
  'application/x-tar',
  'application/x-7z-compressed',
  'application/x-rar-compressed',
  'application/vnd.rar',
  'application/x-bzip2',
  'application/x-xz',
  'application/zstd',
]);
const TEXTS = new Set(['application/json', 'application/xml', 'application/rtf', 'application/x-yaml']);

/** The icon family of a declared MIME type. */
export function fileKind(mime: unknown): FileKind {
  const type = typeof mime === 'string' ? mime.toLowerCase().split(';')[0]!.trim() : '';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('audio/')) return 'audio';
  if (type.startsWith('video/')) return 'video';
  if (type === 'application/pdf') return 'pdf';
  if (ARCHIVES.has(type)) return 'archive';
  if (type.startsWith('text/') || TEXTS.has(type)) return 'text';
  return 'other';
}

const kindIcon: Record<FileKind, TemplateResult> = {
  image: icons.fileImage,
  audio: icons.fileAudio,
  video: icons.fileVideo,
  pdf: icons.filePdf,
  archive: icons.fileArchive,
  text: icons.fileText,
  other: icons.file,
};

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;

/** "2.1 MB" in the reader's locale (decimal units); empty for a missing or absurd size. */
export function formatSize(bytes: unknown, locale: string): string {
  if (typeof bytes !== 'number' || !Number.isFinite(bytes) || bytes < 0) return '';
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  try {
    return new Intl.NumberFormat(locale, {
      style: 'unit',
      unit: UNITS[unit],
      unitDisplay: 'short',
      maximumFractionDigits: unit === 0 || value >= 100 ? 0 : 1,
    }).format(value);
  } catch {
    return `${Math.round(value)} ${UNITS[unit]}`;
  }
}

/** The name to show: the sender's, or the URL's last path segment, or a plain "file". */
export function fileName(a: Attachment): string {
  const name = typeof a.name === 'string' ? a.name.trim() : '';
  if (name) return name;
  try {
    const last = new URL(a.url).pathname.split('/').pop();
    if (last) return decodeURIComponent(last);
  } catch {
    // not a URL: fall through
  }
  return 'file';
}

/** The thumbnail box in CSS px: the image's own shape, within 240×320, never thinner than 48. */
export function thumbBox(a: Pick<Attachment, 'width' | 'height'>): { w: number; h: number } {
  const { width, height } = a;
  if (!(typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0 && Number.isFinite(width * height))) {
    return DEFAULT_BOX;
  }
  const scale = Math.min(1, MAX_W / width, MAX_H / height);
  return {
    w: Math.round(Math.min(MAX_W, Math.max(MIN_SIDE, width * scale))),
    h: Math.round(Math.min(MAX_H, Math.max(MIN_SIDE, height * scale))),
  };
}

/** A file card: type icon, name, size, and a download link when the URL is http(s). */
export function fileCard(m: MessageRecord, a: Attachment, ctx: RowContext, opts: { hidden?: boolean } = {}): TemplateResult {
  const name = fileName(a);
  const kind = fileKind(a.mime);
  const href = a.url ? safeHref(a.url) : null;
  const web = href && /^https?:/i.test(href) ? href : null;
  const size = formatSize(a.size, ctx.locale);
  return html`<div part="file" class="file" data-kind=${kind} ?hidden=${opts.hidden ?? false}
    ><span class="file-icon" aria-hidden="true">${kindIcon[kind]}</span
    ><span class="file-text"
      ><span part="file-name" class="file-name" dir="auto" title=${name}>${name}</span
      >${size ? html`<span part="file-size" class="file-size">${size}</span>` : nothing}</span
    >${web && !m.upload
      ? html`<a
          part="download"
          class="download"
          href=${web}
          download=${name}
          target="_blank"
          rel="noopener noreferrer"
          aria-label=${ctx.t('rich.download', { name })}
          title=${ctx.t('rich.download', { name })}
          >${icons.download}</a
        >`
      : nothing}</div
  >`;
}

/** Image URLs that failed to load here: their messages show the file card instead. */
const broken = new Set<string>();

function onImageError(e: Event, src: string): void {
  if (broken.size > 2000) broken.clear();
  broken.add(src);
  // Swap at once; the next render derives the same state from `broken`.
  const wrap = (e.target as HTMLElement).closest('.media');
  wrap?.querySelector<HTMLElement>('[part~=image]')?.setAttribute('hidden', '');
  wrap?.querySelector<HTMLElement>('[part~=file]')?.removeAttribute('hidden');
}

/** An image thumbnail in a box of the image's shape (reserved before it loads); opens the full view. */
export function imageThumb(m: MessageRecord, a: Attachment, src: string, ctx: RowContext): TemplateResult {
  const name = fileName(a);
  const box = thumbBox(a);
  const failed = broken.has(src);
  return html`<div class="media"
    ><button
      part="image"
      class="image"
      type="button"
      ?hidden=${failed}
      aria-label=${ctx.t('rich.openImage', { name })}
      ${cssProps({ inlineSize: `${box.w}px`, aspectRatio: `${box.w} / ${box.h}` })}
      @click=${() => ctx.openImage(m)}
      ><img src=${src} alt=${name} loading="lazy" decoding="async" @error=${(e: Event) => onImageError(e, src)} /></button
    >${fileCard(m, a, ctx, { hidden: !failed })}</div
  >`;
}

/** An own file on its way up: the card, a progress bar and a cancel button. */
export function uploadCard(m: MessageRecord, a: Attachment, ctx: RowContext): TemplateResult {
  const name = fileName(a);
  const raw = m.upload?.progress;
  const pct = Math.round(Math.min(1, Math.max(0, typeof raw === 'number' && Number.isFinite(raw) ? raw : 0)) * 100);
  return html`<div class="upload"
    >${fileCard(m, a, ctx)}<div class="upload-row"
      ><div
        part="upload-progress"
        class="progress"
        role="progressbar"
        aria-label=${ctx.t('rich.uploading', { name })}
        aria-valuemin="0"
        aria-valuemax="100"
        aria-valuenow=${pct}
        ><span class="progress-fill" ${cssProps({ inlineSize: `${pct}%` })}></span></div
      ><button
        part="cancel-upload"
        class="cancel-upload"
        type="button"
        aria-label=${ctx.t('rich.cancelUpload')}
        title=${ctx.t('rich.cancelUpload')}
        @click=${() => ctx.cancelUpload(m.id)}
        >${icons.close}</button
      ></div
    ></div
  >`;
}

/** What an attachment shows as: the image view, the voice player, or the file card. */
export function attachmentView(m: MessageRecord, a: Attachment, ctx: RowContext, voice: (src: string) => TemplateResult): TemplateResult {
  if (m.own && m.upload && m.state !== 'failed') return uploadCard(m, a, ctx);
  const kind = fileKind(a.mime);
  const src = a.url ? safeImageSrc(a.url) : null;
  if (src && kind === 'image') return imageThumb(m, a, src, ctx);
  if (src && (a.voice || kind === 'audio')) return voice(src);
  return fileCard(m, a, ctx);
}
