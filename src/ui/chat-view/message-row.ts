import { html, nothing, type TemplateResult } from 'lit';
import type { MessageRecord, MessageState } from '../../store/records.js';
import type { MessageKey } from '../../i18n/index.js';
import { formatMessageTime } from '../../render/dates.js';
import { describeSystemEvent } from '../../render/system.js';
import { icons } from '../shared/icons.js';
import { contentKind, messageContent } from './message-content.js';
import { reactionChips } from './reactions.js';

const stateIcon: Record<MessageState, TemplateResult | typeof nothing> = {
  pending: icons.clock,
  sent: icons.check,
  delivered: icons.checks,
  read: icons.checks,
  failed: icons.alert,
  received: nothing,
};

export interface RowContext {
  locale: string;
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  /** Sender label in groups (undefined in 1:1 or for own messages). */
  sender?: string;
  resend: (id: string) => void;
  remove: (id: string) => void;
  /** Display name of a user id (for system lines). */
  nameOf: (userId: string) => string;
  /** The viewer's mention URI: mentions of it are highlighted. */
  selfUri?: string;
  /** Longest body shown in full; longer ones are cut with a "Show all" button. */
  maxChars: number;
  /** Messages the reader chose to see in full. */
  expanded: ReadonlySet<string>;
  expand: (id: string) => void;
  /** Rich messages (filled in by the chat view). */
  /** Stops an own upload (the message is deleted, nothing is sent). */
  cancelUpload: (id: string) => void;
  /** Scrolls the log to a reply's original (by local id when known, else by wire ref) and highlights it. */
  jumpTo: (target: { id?: string; ref: string }) => void;
  /** Adds or removes the viewer's reaction. */
  toggleReaction: (id: string, emoji: string) => void;
  /** Opens an image attachment in the full view. */
  openImage: (m: MessageRecord) => void;
  /** The viewer's user id (to mark their own reactions). */
  selfId?: string;
  /** A registered custom type's bubble, or undefined when the type is unknown here (the fallback body is shown). */
  renderCustom: (m: MessageRecord) => unknown;
  /** The integrator's map renderer, if any. */
  renderLocation?: (m: MessageRecord) => unknown;
}

/** One message: a bubble with time and (own) delivery state, or a centred system line. */
/** `pos` and `total` are undefined while the conversation is still being counted (a first visit to a long one). */
export function messageRow(m: MessageRecord, pos: number | undefined, total: number | undefined, ctx: RowContext): TemplateResult {
  const shown = m.sentAt ?? m.ts;
  if (m.kind === 'system') {
    const text = m.system ? describeSystemEvent(m.system, ctx.locale, ctx.nameOf) : m.body;
    return html`<div part="message system" class="system" role="article" tabindex="-1" data-id=${m.id} aria-posinset=${pos ?? nothing} aria-setsize=${total ?? nothing} dir="auto">${text}</div>`;
  }
  const stateLabel = m.own && m.state !== 'received' ? ctx.t(`state.${m.state}`) : '';
  const kind = contentKind(m);
  return html`<div
      part="message"
      role="article"
      tabindex="-1"
      class="row ${m.own ? 'own' : 'peer'} ${m.state} ${m.mentioned ? 'mentioned' : ''}"
      data-id=${m.id}
      data-state=${m.state}
      data-mentioned=${m.mentioned ? 'true' : nothing}
      data-kind=${kind}
      aria-posinset=${pos ?? nothing}
      aria-setsize=${total ?? nothing}
    >
      <div class="stack">
        ${ctx.sender ? html`<span part="sender" class="sender" dir="auto">${ctx.sender}</span>` : nothing}
        <div part="bubble" class="bubble kind-${kind}" dir="auto">${messageContent(m, ctx)}</div>
        ${reactionChips(m, ctx)}
      </div>
      <span class="meta">
        <time datetime=${new Date(shown).toISOString()}>${formatMessageTime(shown, ctx.locale)}</time>
        ${edited(m, ctx)}
        ${stateLabel
          ? html`<span part="state" data-state=${m.state} role="img" aria-label=${stateLabel} title=${stateLabel}>${stateIcon[m.state]}</span>`
          : nothing}
      </span>
    </div>
    ${m.own && m.state === 'failed'
      ? html`<div class="failure" role="alert">
          <span>${m.error ?? ctx.t('state.failed')}</span>
          <button type="button" @click=${() => ctx.resend(m.id)}>${ctx.t('view.resend')}</button>
          <button type="button" @click=${() => ctx.remove(m.id)}>${ctx.t('view.delete')}</button>
        </div>`
      : nothing}`;
}

/** The "edited" mark beside the time (XEP-0308), with the edit time as its tooltip. */
function edited(m: MessageRecord, ctx: RowContext): TemplateResult | typeof nothing {
  if (!m.edited || m.retracted || !Number.isFinite(m.edited)) return nothing;
  let when: string;
  try {
    when = new Intl.DateTimeFormat(ctx.locale, { dateStyle: 'medium', timeStyle: 'short' }).format(m.edited);
  } catch {
    when = new Date(m.edited).toISOString();
  }
  const label = ctx.t('rich.editedAt', { time: when });
  return html`<span part="edited" class="edited" title=${label} aria-label=${label}>${ctx.t('rich.edited')}</span>`;
}
