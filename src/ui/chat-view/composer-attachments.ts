import { ChatKitError } from '../../kit/errors.js';
import type { MessageKey } from '../../i18n/index.js';

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** Does a drag carry files (rather than text or a link)? */
export function carriesFiles(data: DataTransfer | null | undefined): boolean {
  return !!data && [...data.types].includes('Files');
}

/** The files a drop or a paste carries (a pasted screenshot comes as an item only in some browsers). */
export function filesOf(data: DataTransfer | null | undefined): File[] {
  if (!data) return [];
  if (data.files.length) return [...data.files];
  return [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((file): file is File => !!file);
}

const UNITS = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;

/** A size in human units ("10 MB"), binary multiples as upload limits are set. */
export function formatBytes(bytes: number, locale: string): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  try {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: UNITS[unit], unitDisplay: 'short', maximumFractionDigits: unit ? 1 : 0 }).format(value);
  } catch {
    return `${Math.round(value * 10) / 10} ${['B', 'KB', 'MB', 'GB'][unit]}`;
  }
}

export interface RefusalContext {
  t: T;
  locale: string;
  /** The server's upload limit in bytes (undefined: no upload service, or unknown). */
  limit: () => Promise<number | undefined>;
}

/** What to tell the user when a file was not sent; undefined when they cancelled it themselves. */
export async function refusalText(err: unknown, name: string, ctx: RefusalContext): Promise<string | undefined> {
  const code = err instanceof ChatKitError ? err.code : undefined;
  if (code === 'cancelled') return undefined;
  if (code === 'too-large') {
    const limit = await ctx.limit().catch(() => undefined);
    return typeof limit === 'number' && Number.isFinite(limit) && limit > 0
      ? ctx.t('composer.tooLarge', { name, limit: formatBytes(limit, ctx.locale) })
      : ctx.t('composer.tooLargeNoLimit', { name });
  }
  if (code === 'unsupported') return ctx.t('composer.noUpload');
  if (code === 'send-vetoed') return ctx.t('composer.vetoed', { name });
  return ctx.t('composer.fileFailed', { name, reason: err instanceof Error ? err.message : String(err) });
}

/** The name a file goes by in messages about it. */
export function fileName(file: Blob, fallback: string): string {
  return file instanceof File && file.name ? file.name : fallback;
}
