import { html, nothing, type TemplateResult } from 'lit';
import { cssProps } from './css-props.js';
import { safeImageSrc } from '../../render/url.js';
import { translate } from '../../i18n/index.js';
import type { AvatarPhoto, ContactRecord, PresenceRecord, PresenceShow, ProfileRecord } from '../../store/records.js';

/**
 * The name to show for a user: the profile's, else the roster's, else the id once
 * we know no better one is coming. `undefined` means "still loading": callers show
 * a neutral placeholder rather than an id that would flicker into a name.
 */
export function displayName(userId: string, profile?: ProfileRecord, contact?: ContactRecord): string | undefined {
  if (profile?.name) return profile.name;
  if (contact?.name) return contact.name;
  return profile ? userId : undefined;
}

function hue(id: string): number {
  let h = 0;
  for (let i = 0; i < id.length; i++) h = (h * 31 + id.charCodeAt(i)) >>> 0;
  return h % 360;
}

function initials(name: string): string {
  const words = name.trim().split(/\s+/u).filter(Boolean);
  const first = [...(words[0] ?? '?')][0] ?? '?';
  const second = words.length > 1 ? ([...words[words.length - 1]!][0] ?? '') : '';
  return (first + second).toUpperCase();
}

const RASTER = /^image\/(?:png|jpeg|gif|webp|avif|bmp)$/;
const MAX_PHOTO_URLS = 500;
// One blob: URL per photo content for the page's life (bounded): re-renders reuse it, so an
// avatar never reloads (or blinks) when its record is read again.
const photoUrls = new Map<string, string>();

function photoUrl(photo: AvatarPhoto): string | null {
  if (!(photo.bytes instanceof Uint8Array) || !RASTER.test(photo.type) || typeof photo.hash !== 'string') return null;
  let url = photoUrls.get(photo.hash);
  if (url) {
    photoUrls.delete(photo.hash);
  } else {
    url = URL.createObjectURL(new Blob([photo.bytes as Uint8Array<ArrayBuffer>], { type: photo.type }));
    if (photoUrls.size >= MAX_PHOTO_URLS) {
      const [oldHash, oldUrl] = photoUrls.entries().next().value!;
      photoUrls.delete(oldHash);
      URL.revokeObjectURL(oldUrl);
    }
  }
  photoUrls.set(photo.hash, url);
  return safeImageSrc(url, { allowBlob: true });
}

/**
 * An avatar: the profile image when it is a safe http(s) URL (or photo bytes from a
 * vCard, shown through a blob: URL), else initials on a color from the id (set through
 * CSSOM, so a strict CSP allows it). With `presence`, a dot at its corner
 * (`part="presence"`, `data-show` = online | away | xa | dnd | offline); the avatar is
 * decorative (`aria-hidden`), so callers say the presence in text too (`presenceLabel`).
 */
export function avatar(
  userId: string,
  name: string | undefined,
  profile?: ProfileRecord,
  presence?: PresenceShow | PresenceRecord,
): TemplateResult {
  const src = profile?.avatarUrl ? safeImageSrc(profile.avatarUrl) : profile?.photo ? photoUrl(profile.photo) : null;
  const show = typeof presence === 'string' ? presence : presence?.show;
  return html`<span part="avatar" class="avatar" ${cssProps({ '--_hue': String(hue(userId)) })} aria-hidden="true"
    >${src
      ? html`<img src=${src} alt="" loading="lazy" referrerpolicy="no-referrer" />`
      : name
        ? initials(name)
        : nothing}${show ? html`<span part="presence" class="presence" data-show=${show}></span>` : nothing}</span
  >`;
}

/** "Online", "Away", "Do not disturb", "Offline" in the locale. */
export function presenceLabel(show: PresenceShow, locale: string): string {
  return translate(locale, `presence.${show}`);
}

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['minute', 60],
  ['hour', 24],
  ['day', 7],
];

/** "Last seen 5 minutes ago" (up to a week), else "Last seen <date>"; undefined when unknown. */
export function lastSeenText(lastSeen: number | undefined, locale: string, now = Date.now()): string | undefined {
  if (lastSeen === undefined || !Number.isFinite(lastSeen)) return undefined;
  let value = Math.max(0, (now - lastSeen) / 60_000);
  if (value < 1) return translate(locale, 'presence.lastSeenNow');
  let time: string | undefined;
  for (const [unit, next] of UNITS) {
    if (value < next) {
      time = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-Math.floor(value), unit);
      break;
    }
    value /= next;
  }
  time ??= new Date(lastSeen).toLocaleDateString(locale);
  return translate(locale, 'presence.lastSeen', { time });
}

/**
 * One line about a contact's presence: their status text when available (else the
 * show label), and when offline the last-seen time if known, else "Offline".
 */
export function presenceText(presence: PresenceRecord | undefined, locale: string, now = Date.now()): string | undefined {
  if (!presence) return undefined;
  if (presence.show !== 'offline') return presence.status || presenceLabel(presence.show, locale);
  return lastSeenText(presence.lastSeen, locale, now) ?? presenceLabel('offline', locale);
}
