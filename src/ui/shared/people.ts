import { html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import { safeImageSrc } from '../../render/url.js';
import type { ContactRecord, ProfileRecord } from '../../store/records.js';

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

/**
 * An avatar: the profile image when it is a safe http(s) URL, else initials on a
 * color from the id (set through CSSOM, so a strict CSP allows it).
 */
export function avatar(userId: string, name: string | undefined, profile?: ProfileRecord): TemplateResult {
  const src = profile?.avatarUrl ? safeImageSrc(profile.avatarUrl) : null;
  return html`<span part="avatar" class="avatar" style=${styleMap({ '--_hue': String(hue(userId)) })} aria-hidden="true"
    >${src
      ? html`<img src=${src} alt="" loading="lazy" referrerpolicy="no-referrer" />`
      : name
        ? initials(name)
        : nothing}</span
  >`;
}
