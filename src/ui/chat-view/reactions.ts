/** Reaction chips under a bubble (XEP-0444): emoji, count, who; the viewer's own are pressed. */
import { html, nothing, type TemplateResult } from 'lit';
import type { MessageRecord } from '../../store/records.js';
import type { RowContext } from './message-row.js';

/** More distinct reactions than this on one message are not shown (hostile floods). */
const MAX_CHIPS = 24;
/** Names listed in a chip's label before "+N". */
const MAX_NAMES = 12;
/** A reaction key longer than this (UTF-16 units) is not an emoji: ignored. */
const MAX_EMOJI = 32;

function listNames(names: string[], locale: string, more: number): string {
  const shown = more > 0 ? [...names, `+${more}`] : names;
  try {
    return new Intl.ListFormat(locale, { type: 'conjunction' }).format(shown);
  } catch {
    return shown.join(', ');
  }
}

/** The chips, or nothing when no one reacted. */
export function reactionChips(m: MessageRecord, ctx: RowContext): TemplateResult | typeof nothing {
  const map = m.reactions;
  if (!map || typeof map !== 'object' || m.retracted) return nothing;
  const chips = Object.entries(map)
    .map(([emoji, users]) => [emoji, Array.isArray(users) ? [...new Set(users.filter((u) => typeof u === 'string'))] : []] as const)
    .filter(([emoji, users]) => users.length > 0 && emoji.trim() !== '' && emoji.length <= MAX_EMOJI)
    .slice(0, MAX_CHIPS);
  if (!chips.length) return nothing;
  return html`<div part="reactions" class="reactions" role="group" aria-label=${ctx.t('rich.reactions')}>
    ${chips.map(([emoji, users]) => {
      const mine = !!ctx.selfId && users.includes(ctx.selfId);
      // The viewer first, as "You".
      const ordered = mine ? [ctx.selfId!, ...users.filter((u) => u !== ctx.selfId)] : users;
      const names = ordered.slice(0, MAX_NAMES).map((u) => (u === ctx.selfId ? ctx.t('members.you') : ctx.nameOf(u)));
      const who = listNames(names, ctx.locale, ordered.length - names.length);
      return html`<button
        part="reaction"
        class="reaction"
        type="button"
        data-emoji=${emoji}
        aria-pressed=${mine ? 'true' : 'false'}
        title=${ctx.t('rich.reactedBy', { emoji, names: who })}
        @click=${() => ctx.toggleReaction(m.id, emoji)}
      >
        <span class="emoji">${emoji}</span> <span class="count">${users.length}</span>
        <span class="visually-hidden">${ctx.t('rich.reactors', { names: who })}</span>
      </button>`;
    })}
  </div>`;
}
