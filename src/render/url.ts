/**
 * URL allow-lists for anything user-controlled that ends up in `href` or `src`.
 * Only absolute URLs are accepted: without a base, relative and entity-like
 * strings ("javascript&#58;...") fail to parse and are rejected.
 */

export interface SafeHrefOptions {
  /** Allow `blob:` URLs (the user's own local previews). */
  allowBlob?: boolean;
  /** Allow `data:image/*` URLs (raster types only; never SVG or HTML). */
  allowData?: boolean;
}

export interface SafeImageSrcOptions {
  /** Allow `blob:` URLs (the user's own local previews). */
  allowBlob?: boolean;
}

const LINK_SCHEMES = new Set(['http:', 'https:', 'mailto:', 'xmpp:']);

// The URL parser silently strips tabs/newlines and trims C0 controls and
// spaces, so "java\tscript:" would parse as "javascript:". Rejecting these up
// front (with bidi and zero-width format characters, which only serve to
// spoof how a link reads) means what the user sees is what gets parsed.
const FORBIDDEN_CHARS =
  /[\u0000-\u0020\u007f-\u00a0\u00ad\u061c\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/;

// SVG can carry script; only raster images are safe as data: previews.
const DATA_IMAGE = /^data:image\/(?:png|jpeg|gif|webp|avif|bmp);/i;

function parse(url: string): URL | null {
  if (typeof url !== 'string' || url.length === 0 || url.length > 8192) return null;
  if (FORBIDDEN_CHARS.test(url)) return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Returns the normalized href when `url` is an absolute http(s), mailto or
 * xmpp URL (blob:/data: only when asked), otherwise null.
 */
export function safeHref(url: string, opts: SafeHrefOptions = {}): string | null {
  const u = parse(url);
  if (!u) return null;
  const scheme = u.protocol;
  if (scheme === 'http:' || scheme === 'https:') {
    // "https://google.com@evil.example" reads as one host and goes to another.
    if (!u.hostname || u.username || u.password) return null;
    return u.href;
  }
  if (LINK_SCHEMES.has(scheme)) {
    return u.pathname.length > 0 ? u.href : null;
  }
  if (scheme === 'blob:' && opts.allowBlob) return u.href;
  if (scheme === 'data:' && opts.allowData && DATA_IMAGE.test(u.href)) return u.href;
  return null;
}

/** Returns the normalized URL when it is safe as an `<img src>`, otherwise null. */
export function safeImageSrc(url: string, opts: SafeImageSrcOptions = {}): string | null {
  const u = parse(url);
  if (!u) return null;
  if (u.protocol === 'http:' || u.protocol === 'https:') {
    return u.hostname && !u.username && !u.password ? u.href : null;
  }
  if (u.protocol === 'blob:' && opts.allowBlob) return u.href;
  return null;
}
