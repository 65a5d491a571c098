import { xml, type Element } from '@xmpp/client';
import type { AvatarPhoto, ProfileRecord } from '../store/records.js';
import { safeImageSrc } from '../render/url.js';
import type { Connection } from './connection.js';

export const NS_VCARD4 = 'urn:ietf:params:xml:ns:vcard-4.0';
export const NS_VCARD_TEMP = 'vcard-temp';
const MAX_NAME_CHARS = 256;
/** Avatars are thumbnails; a bigger photo is dropped rather than stored. */
const MAX_PHOTO_BYTES = 256 * 1024;
const CONCURRENCY = 6;

/** What a vCard says about how to show a user. */
export interface VcardProfile {
  name?: string;
  avatarUrl?: string;
  photo?: AvatarPhoto;
}

// Raster formats by their first bytes: the declared type is never trusted, so SVG, HTML
// or anything else labelled "image/png" cannot become a displayable blob.
const SIGNATURES: Array<[type: string, bytes: number[], offset?: number]> = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x57, 0x45, 0x42, 0x50], 8],
  ['image/bmp', [0x42, 0x4d]],
  ['image/avif', [0x66, 0x74, 0x79, 0x70, 0x61, 0x76, 0x69, 0x66], 4],
];

export function sniffImageType(bytes: Uint8Array): string | null {
  for (const [type, sig, offset = 0] of SIGNATURES) if (sig.every((b, i) => bytes[offset + i] === b)) return type;
  return null;
}

/** FNV-1a: a cheap stable key for the display URL cache (not a security hash). */
function fnv(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16) + bytes.length.toString(16);
}

/** Base64 image bytes as a photo, or null when not decodable, too big or not a known raster type. */
export function decodePhoto(base64: string): AvatarPhoto | null {
  const clean = base64.replace(/\s+/g, '');
  if (!clean || clean.length > (MAX_PHOTO_BYTES * 4) / 3 + 4) return null;
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(clean), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
  const type = sniffImageType(bytes);
  return type ? { type, bytes, hash: fnv(bytes) } : null;
}

/** A URL or data: URI from a vCard as an avatar: http(s) kept, raster data: decoded, anything else dropped. */
function photoFrom(uri: string | null | undefined, into: VcardProfile): void {
  const u = uri?.trim();
  if (!u || into.avatarUrl || into.photo) return;
  const data = /^data:image\/[\w.+-]+;base64,/i.exec(u);
  if (data) {
    const photo = decodePhoto(u.slice(data[0].length));
    if (photo) into.photo = photo;
    return;
  }
  const safe = safeImageSrc(u);
  if (safe) into.avatarUrl = safe.slice(0, 2048);
}

function nameFrom(...candidates: Array<string | null | undefined>): string | undefined {
  for (const c of candidates) {
    const t = c?.trim();
    if (t) return t.slice(0, MAX_NAME_CHARS);
  }
  return undefined;
}

/** XEP-0292 <vcard/>: fn or nickname, photo URI. */
export function parseVcard4(vcard: Element | undefined): VcardProfile {
  const out: VcardProfile = {};
  if (!vcard) return out;
  const name = nameFrom(vcard.getChild('fn')?.getChildText('text'), vcard.getChild('nickname')?.getChildText('text'));
  if (name) out.name = name;
  photoFrom(vcard.getChild('photo')?.getChildText('uri'), out);
  return out;
}

/** XEP-0054 <vCard/>: FN or NICKNAME, PHOTO as EXTVAL (URL) or BINVAL (base64 bytes). */
export function parseVcardTemp(vcard: Element | undefined): VcardProfile {
  const out: VcardProfile = {};
  if (!vcard) return out;
  const name = nameFrom(vcard.getChildText('FN'), vcard.getChildText('NICKNAME'));
  if (name) out.name = name;
  const photo = vcard.getChild('PHOTO');
  photoFrom(photo?.getChildText('EXTVAL'), out);
  const binval = photo?.getChildText('BINVAL');
  if (binval && !out.avatarUrl) {
    const decoded = decodePhoto(binval);
    if (decoded) out.photo = decoded;
  }
  return out;
}

/** The vCard 4 view first (names and URLs), the legacy vCard for what it lacks (typically the photo). */
export function mergeVcards(v4: VcardProfile, temp: VcardProfile): VcardProfile {
  const out: VcardProfile = { ...temp, ...v4 };
  if (v4.avatarUrl || v4.photo) {
    delete out.photo;
    delete out.avatarUrl;
    if (v4.avatarUrl) out.avatarUrl = v4.avatarUrl;
    else if (v4.photo) out.photo = v4.photo;
  }
  return out;
}

async function query(conn: Connection, jid: string, name: string, ns: string): Promise<Element | undefined> {
  try {
    return (await conn.request(xml('iq', { type: 'get', to: jid }, xml(name, { xmlns: ns })), 10_000)).getChild(name, ns);
  } catch {
    // No vCard (item-not-found), not allowed to see it, or no answer: nothing to show.
    return undefined;
  }
}

/** Both vCards of one user, merged. */
export async function fetchVcard(conn: Connection, jid: string): Promise<VcardProfile> {
  const [v4, temp] = await Promise.all([query(conn, jid, 'vcard', NS_VCARD4), query(conn, jid, 'vCard', NS_VCARD_TEMP)]);
  return mergeVcards(parseVcard4(v4), parseVcardTemp(temp));
}

/**
 * Profiles for many users from their vCards, a few at a time. A user without a
 * vCard gets a record without a name (so the UI shows the id and does not ask again at once);
 * users not reached because the connection dropped get none (they are asked again later).
 */
export async function fetchVcardProfiles(conn: Connection, users: ReadonlyArray<{ id: string; jid: string }>): Promise<ProfileRecord[]> {
  const out: ProfileRecord[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < users.length) {
      const u = users[next++]!;
      const v = await fetchVcard(conn, u.jid);
      // Cut off mid-way: an empty answer means nothing then, so nothing is recorded.
      if (conn.status !== 'online') return;
      out.push({ id: u.id, fetchedAt: Date.now(), ...v });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, users.length) }, worker));
  return out;
}
