/**
 * What goes inside a bubble: a reply quote, then the message's own content (upload,
 * image, voice, file, location, custom type or text), or the recalled notice instead
 * of all of it. No whitespace between the pieces: the bubble keeps `pre-wrap` for text.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { GeoLocation, MessageRecord } from '../../store/records.js';
import { renderText, plainPreview } from '../../render/text.js';
import { safeImageSrc } from '../../render/url.js';
import { icons } from '../shared/icons.js';
import { attachmentView, fileKind } from './attachment.js';
import type { RowContext } from './message-row.js';
import './voice-player.js';

/** What a row holds, for styling (`data-kind`) and tests. */
export type ContentKind = 'text' | 'image' | 'voice' | 'file' | 'upload' | 'location' | 'custom' | 'recalled';

export function contentKind(m: MessageRecord): ContentKind {
  if (m.retracted) return 'recalled';
  if (m.custom) return 'custom';
  const a = m.attachment;
  if (a) {
    if (m.own && m.upload && m.state !== 'failed') return 'upload';
    const kind = fileKind(a.mime);
    if (a.url && safeImageSrc(a.url)) {
      if (kind === 'image') return 'image';
      if (a.voice || kind === 'audio') return 'voice';
    }
    return 'file';
  }
  if (validLocation(m.location)) return 'location';
  return 'text';
}

/** The bubble's content. */
export function messageContent(m: MessageRecord, ctx: RowContext): TemplateResult {
  if (m.retracted) {
    return html`<span part="recalled" class="recalled-text">${ctx.t(m.own ? 'rich.recalledOwn' : 'rich.recalled')}</span>`;
  }
  return html`${m.reply ? replyQuote(m, ctx) : nothing}${mainContent(m, ctx)}`;
}

function mainContent(m: MessageRecord, ctx: RowContext): unknown {
  if (m.custom) return custom(m, ctx);
  const a = m.attachment;
  if (a) {
    const view = attachmentView(m, a, ctx, (src) => voicePlayer(src, a.duration, ctx));
    const caption = typeof m.body === 'string' && m.body.trim() && m.body.trim() !== a.url ? m.body : '';
    return html`${view}${caption ? html`<div part="caption" class="caption">${text(m, caption, ctx)}</div>` : nothing}`;
  }
  if (validLocation(m.location)) return location(m, m.location, ctx);
  return text(m, m.body, ctx);
}

/** Body text (links, styling, mentions) with the "Show all" cut for long ones. */
function text(m: MessageRecord, raw: unknown, ctx: RowContext): TemplateResult {
  const body = typeof raw === 'string' ? raw : '';
  const full = ctx.expanded.has(m.id);
  return html`${renderText(body, {
    mentions: m.mentions,
    selfUri: ctx.selfUri,
    maxChars: full ? Infinity : ctx.maxChars,
  })}${body.length > ctx.maxChars && !full
    ? html`<button part="show-all" class="show-all" type="button" @click=${() => ctx.expand(m.id)}>${ctx.t('view.showAll')}</button>`
    : nothing}`;
}

function voicePlayer(src: string, duration: number | undefined, ctx: RowContext): TemplateResult {
  return html`<ck-voice-player
    part="voice"
    exportparts="play-button, progress, duration"
    role="group"
    aria-label=${ctx.t('rich.voice')}
    src=${src}
    .duration=${duration}
    .labels=${{ play: ctx.t('rich.play'), pause: ctx.t('rich.pause'), seek: ctx.t('rich.seek') }}
  ></ck-voice-player>`;
}

/** The answered message: its author and a plain-text excerpt; activating it jumps there. */
function replyQuote(m: MessageRecord, ctx: RowContext): TemplateResult {
  const r = m.reply!;
  const name = typeof r.to === 'string' && r.to ? ctx.nameOf(r.to) : '';
  const excerpt = typeof r.excerpt === 'string' && r.excerpt.trim() ? plainPreview(r.excerpt, 200) : ctx.t('rich.original');
  return html`<button
    part="reply-quote"
    class="reply-quote"
    type="button"
    @click=${() => ctx.jumpTo(r.id ? { id: r.id, ref: r.ref } : { ref: r.ref })}
    ><span class="visually-hidden">${ctx.t('rich.inReplyTo')} </span>${name ? html`<span part="reply-author" class="reply-author" dir="auto">${name}</span><span class="visually-hidden">: </span>` : nothing}<span
      part="reply-excerpt"
      class="reply-excerpt"
      dir="auto"
      >${excerpt}</span
    ></button
  >`;
}

function validLocation(l: GeoLocation | undefined): l is GeoLocation {
  return (
    !!l &&
    typeof l.lat === 'number' &&
    typeof l.lon === 'number' &&
    Number.isFinite(l.lat) &&
    Number.isFinite(l.lon) &&
    Math.abs(l.lat) <= 90 &&
    Math.abs(l.lon) <= 180
  );
}

/** "48.8584°, 2.2945°" in the reader's digits (a semicolon where the decimal mark is a comma). */
export function formatCoordinates(l: GeoLocation, locale: string): string {
  let nf: Intl.NumberFormat;
  try {
    nf = new Intl.NumberFormat(locale, { maximumFractionDigits: 5 });
  } catch {
    nf = new Intl.NumberFormat('en', { maximumFractionDigits: 5 });
  }
  const decimalComma = nf.formatToParts(1.5).some((p) => p.type === 'decimal' && p.value === ',');
  return `${nf.format(l.lat)}°${decimalComma ? ';' : ','} ${nf.format(l.lon)}°`;
}

function formatAccuracy(metres: number | undefined, locale: string): string {
  if (typeof metres !== 'number' || !Number.isFinite(metres) || metres <= 0) return '';
  const km = metres >= 1000;
  try {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: km ? 'kilometer' : 'meter', maximumFractionDigits: km ? 1 : 0 }).format(km ? metres / 1000 : metres);
  } catch {
    return `${Math.round(metres)} m`;
  }
}

function osmUrl(l: GeoLocation): string {
  const lat = Number(l.lat.toFixed(6));
  const lon = Number(l.lon.toFixed(6));
  return `https://www.openstreetmap.org/?mlat=${lat}&mlon=${lon}#map=16/${lat}/${lon}`;
}

function location(m: MessageRecord, l: GeoLocation, ctx: RowContext): unknown {
  if (ctx.renderLocation) {
    try {
      const custom = ctx.renderLocation(m);
      if (custom !== undefined && custom !== null) return html`<div part="location" class="location custom-location">${custom}</div>`;
    } catch (err) {
      console.warn('[xmpp-chatkit] renderLocation threw; showing the coordinates instead', err);
    }
  }
  const accuracy = formatAccuracy(l.accuracy, ctx.locale);
  return html`<div part="location" class="location"
    ><span class="location-icon" aria-hidden="true">${icons.location}</span
    ><span class="location-text"
      ><span part="coordinates" class="coordinates">${formatCoordinates(l, ctx.locale)}</span
      >${accuracy ? html`<span class="accuracy">${ctx.t('rich.accuracy', { distance: accuracy })}</span>` : nothing}<a
        part="map-link"
        class="map-link"
        href=${osmUrl(l)}
        target="_blank"
        rel="noopener noreferrer"
        >${ctx.t('rich.openMap')}</a
      ></span
    ></div
  >`;
}

/** The integrator's bubble for a registered type; the fallback body when it is unknown here or throws. */
function custom(m: MessageRecord, ctx: RowContext): unknown {
  let out: unknown;
  try {
    out = ctx.renderCustom(m);
  } catch (err) {
    console.warn(`[xmpp-chatkit] the "${String(m.custom?.type)}" renderer threw; showing its fallback text`, err);
    out = undefined;
  }
  if (out === undefined || out === null || out === nothing) return text(m, m.body, ctx);
  return html`<div part="custom" class="custom" data-type=${String(m.custom?.type ?? '')}>${out}</div>`;
}
