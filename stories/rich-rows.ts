/**
 * Message rows rendered on their own (no kit, no live query) with the chat view's styles:
 * for stories of single bubbles and for tests that check what a row's controls call.
 */
import { html, render, type CSSResult } from 'lit';
import type { MessageRecord } from '../src/store/records.js';
import { messageRow, type RowContext } from '../src/ui/chat-view/message-row.js';
import { styles } from '../src/ui/chat-view/chat-view.styles.js';
import { tokens } from '../src/theme/tokens.js';
import { sharedStyles } from '../src/ui/shared/shared.styles.js';
import { translate } from '../src/i18n/index.js';
import { RICH_SELF } from './rich-fixtures.js';

export type Call = [string, unknown];

/** A row context whose callbacks record their calls in `calls`. */
export function spyContext(over: Partial<RowContext> = {}, locale = 'en'): RowContext & { calls: Call[] } {
  const calls: Call[] = [];
  const ctx: RowContext = {
    locale,
    t: (key, params) => translate(locale, key, params),
    resend: (id) => calls.push(['resend', id]),
    remove: (id) => calls.push(['remove', id]),
    nameOf: (id) => (id === 'bob' ? 'Bob Martin' : id === 'carol' ? 'Carol Diaz' : id),
    maxChars: 20_000,
    expanded: new Set(),
    expand: (id) => calls.push(['expand', id]),
    cancelUpload: (id) => calls.push(['cancelUpload', id]),
    jumpTo: (target) => calls.push(['jumpTo', target]),
    toggleReaction: (id, emoji) => calls.push(['toggleReaction', [id, emoji]]),
    openImage: (m) => calls.push(['openImage', m.id]),
    selfId: RICH_SELF,
    renderCustom: () => undefined,
    ...over,
  };
  return Object.assign(ctx, { calls });
}

/** Renders `records` as rows into a new shadow root on `host` (appended to the page if it is not in it). */
export function mountRows(records: readonly MessageRecord[], ctx: RowContext, host: HTMLElement = document.createElement('div')): ShadowRoot {
  if (!host.isConnected) document.body.append(host);
  const shadow = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  shadow.adoptedStyleSheets = ([tokens, sharedStyles, styles] as CSSResult[]).flatMap((s) => (s.styleSheet ? [s.styleSheet] : []));
  render(html`<div class="log">${records.map((m, i) => messageRow(m, i + 1, records.length, ctx))}</div>`, shadow);
  return shadow;
}
