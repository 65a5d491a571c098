/**
 * The accessible name of a focused message row: who, when, what (text, or "Image: name",
 * "Voice message 0:07", "Location", "Message recalled"), then the marks a sighted reader
 * sees around the bubble (reply, edited, delivery state, reactions). Plain text; the row's
 * content stays as it is for reading in browse mode.
 */
import type { MessageKey } from '../../i18n/index.js';
import type { MessageRecord } from '../../store/records.js';
import { formatDaySeparator, formatMessageTime } from '../../render/dates.js';
import { formatDuration } from '../../render/preview.js';
import { describeSystemEvent } from '../../render/system.js';
import { plainPreview } from '../../render/text.js';
import { fileName } from './attachment.js';
import { contentKind } from './message-content.js';

/** Longest text read out in a name (graphemes); the rest is in the row itself. */
const MAX_TEXT = 300;
/** Reactions summarised in a name. */
const MAX_REACTIONS = 12;

export interface LabelContext {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  locale: string;
  now: number;
  /** Display name of a user id ("You" for the viewer). */
  nameOf: (userId: string) => string;
}

export function rowLabel(m: MessageRecord, ctx: LabelContext): string {
  const { t } = ctx;
  const shown = m.sentAt ?? m.ts;
  const time = `${formatDaySeparator(shown, ctx.now, ctx.locale)} ${formatMessageTime(shown, ctx.locale)}`.trim();
  if (m.kind === 'system') {
    const text = m.system ? describeSystemEvent(m.system, ctx.locale, ctx.nameOf) : m.body;
    return t('row.system', { time, text: plainPreview(String(text ?? ''), MAX_TEXT) });
  }
  const sender = m.own ? t('members.you') : ctx.nameOf(m.from);
  const extras: string[] = [];
  const reply = m.reply;
  if (reply && !m.retracted && typeof reply.to === 'string' && reply.to) extras.push(t('row.replyTo', { name: ctx.nameOf(reply.to) }));
  if (m.edited && !m.retracted) extras.push(t('rich.edited'));
  if (m.own && m.state !== 'received') extras.push(t(`state.${m.state}`));
  const reactions = summary(m);
  if (reactions) extras.push(t('row.reactions', { list: reactions }));
  const head = t('row.label', { sender, time, content: content(m, ctx) });
  return [head, ...extras].join(t('row.separator'));
}

function content(m: MessageRecord, ctx: LabelContext): string {
  const { t } = ctx;
  const a = m.attachment;
  const body = typeof m.body === 'string' ? m.body.trim() : '';
  const caption = a && body && body !== a.url ? `${t('row.separator')}${plainPreview(body, MAX_TEXT)}` : '';
  switch (contentKind(m)) {
    case 'recalled':
      return t('row.recalled');
    case 'image':
      return t('row.image', { name: fileName(a!) }) + caption;
    case 'voice': {
      const duration = formatDuration(a!.duration);
      return (duration ? t('row.voice', { duration }) : t('rich.voice')) + caption;
    }
    case 'file':
      return t('row.file', { name: fileName(a!) }) + caption;
    case 'upload':
      return t('rich.uploading', { name: fileName(a!) });
    case 'location':
      return t('rich.location');
    default:
      // Text, and custom types by their fallback body.
      return plainPreview(body, MAX_TEXT);
  }
}

/** "👍 2, ❤️ 1": the same valid reactions the chips show. */
function summary(m: MessageRecord): string {
  const map = m.reactions;
  if (!map || typeof map !== 'object' || m.retracted) return '';
  return Object.entries(map)
    .map(([emoji, users]) => [emoji, Array.isArray(users) ? new Set(users.filter((u) => typeof u === 'string')).size : 0] as const)
    .filter(([emoji, n]) => n > 0 && emoji.trim() !== '' && emoji.length <= 32)
    .slice(0, MAX_REACTIONS)
    .map(([emoji, n]) => `${emoji} ${n}`)
    .join(', ');
}
