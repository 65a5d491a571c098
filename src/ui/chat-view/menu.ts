import { html, nothing, type TemplateResult } from 'lit';
import type { MessageKey } from '../../i18n/index.js';
import type { MessageAction } from '../../kit/types.js';
import type { MessageRecord } from '../../store/records.js';

export const DEFAULT_REACTIONS: readonly string[] = ['👍', '❤️', '😂', '😮', '😢', '🙏'];

/** The quick reactions to offer: the integrator's list (emoji-sized strings only), else the default. */
export function quickReactions(option: readonly unknown[] | undefined): readonly string[] {
  const list = (option ?? []).filter((e): e is string => typeof e === 'string' && e.trim() !== '' && e.length <= 16);
  return list.length ? list.slice(0, 12) : DEFAULT_REACTIONS;
}

/** A bubble with content (not a system line, not recalled). */
const hasContent = (m: MessageRecord) => m.kind !== 'system' && !m.retracted;
/** A message others have (or will have): not failed, not still uploading. */
const onWire = (m: MessageRecord) => m.state !== 'failed' && !m.upload;

/** Own text the user may correct: not a file, location or custom message, not recalled. */
export function canEdit(m: MessageRecord): boolean {
  return m.own && hasContent(m) && onWire(m) && !m.attachment && !m.location && !m.custom;
}

export function canRecall(m: MessageRecord): boolean {
  return m.own && hasContent(m) && onWire(m);
}

export function canReply(m: MessageRecord): boolean {
  return hasContent(m) && onWire(m);
}

export interface MenuHandlers {
  t: (key: MessageKey, params?: Record<string, string | number>) => string;
  selfId: string | undefined;
  reactions: readonly string[];
  /** The Recall item asked "are you sure?". */
  confirmingRecall: boolean;
  actions: readonly MessageAction[];
  react: (emoji: string) => void;
  reply: () => void;
  edit: () => void;
  copy: () => void;
  recall: () => void;
  confirmRecall: () => void;
  cancelRecall: () => void;
  resend: () => void;
  remove: () => void;
  run: (action: MessageAction) => void;
}

/** A message menu's items: quick reactions, then reply, edit, copy, recall, resend, delete, then the integrator's. */
export function menuItems(m: MessageRecord, h: MenuHandlers): TemplateResult {
  const { t } = h;
  const item = (action: string, label: string, run: () => void) =>
    html`<button role="menuitem" type="button" data-action=${action} @click=${run}>${label}</button>`;
  return html`${canReply(m)
      ? html`<div class="reactions-row" role="group" aria-label=${t('menu.reactions')}>
          ${h.reactions.map((emoji) => {
            const mine = !!h.selfId && !!m.reactions?.[emoji]?.includes(h.selfId);
            return html`<button
              role="menuitemcheckbox"
              type="button"
              class="quick-reaction"
              data-emoji=${emoji}
              aria-checked=${mine ? 'true' : 'false'}
              aria-label=${t('menu.react', { emoji })}
              title=${t('menu.react', { emoji })}
              @click=${() => h.react(emoji)}
            >${emoji}</button>`;
          })}
        </div>`
      : nothing}
    ${canReply(m) ? item('reply', t('menu.reply'), h.reply) : nothing}
    ${canEdit(m) ? item('edit', t('menu.edit'), h.edit) : nothing}
    ${hasContent(m) && m.body ? item('copy', t('view.copy'), h.copy) : nothing}
    ${canRecall(m)
      ? h.confirmingRecall
        ? html`${item('recall-confirm', t('menu.recallConfirm'), h.confirmRecall)}${item('recall-cancel', t('menu.cancel'), h.cancelRecall)}`
        : item('recall', t('menu.recall'), h.recall)
      : nothing}
    ${m.own && m.state === 'failed' ? item('resend', t('view.resend'), h.resend) : nothing}
    ${item('delete', t('view.delete'), h.remove)}
    ${h.actions.map((a) => item(String(a.id), String(a.label), () => h.run(a)))}`;
}
