import { html, nothing } from 'lit';
import type { MessageTypeDefinition, PayloadElement } from '../src/index.js';

/**
 * A custom message type, end to end: a business card (name, title, phone, e-mail) sent as
 * `<card xmlns='urn:example:business-card'>`. Everything in a card comes from another
 * user, so every field is bound as text; phone and e-mail become links only when they
 * look exactly like a phone number or a plain address.
 */

export const BUSINESS_CARD_NS = 'urn:example:business-card';

export type BusinessCard = { name: string; title: string; phone: string; email: string };

const FIELDS = ['name', 'title', 'phone', 'email'] as const;
/** Longest field kept from the wire (a card is a few short lines). */
const MAX_FIELD_CHARS = 200;
/** Digits with an optional leading +, spaces, dashes, dots or brackets between them. */
const PHONE = /^\+?[0-9](?:[0-9 ().-]{3,28})[0-9]$/;
/** A plain address: no spaces, quotes, angle brackets, or URL parts. */
const EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63})+$/;

function field(value: unknown): string {
  return typeof value === 'string' ? [...value.trim()].slice(0, MAX_FIELD_CHARS).join('') : '';
}

/** A `tel:` link target, only for what matches the phone pattern (digits and a leading + alone). */
export function phoneHref(phone: string): string | undefined {
  return PHONE.test(phone) ? `tel:${phone.replace(/[^0-9+]/g, '')}` : undefined;
}

export function mailHref(email: string): string | undefined {
  return EMAIL.test(email) ? `mailto:${email}` : undefined;
}

const styles = html`<style>
  .bc { display: grid; gap: 2px; min-inline-size: 12em; }
  .bc-kind { font-size: 0.75em; text-transform: uppercase; letter-spacing: 0.05em; opacity: 0.75; }
  .bc-name { font-weight: 600; }
  .bc a { color: inherit; }
</style>`;

export const businessCard: MessageTypeDefinition<BusinessCard> = {
  type: 'business-card',

  parse(el: PayloadElement): BusinessCard | undefined {
    if (el.name !== 'card' || el.xmlns !== BUSINESS_CARD_NS) return undefined;
    const text = (name: string): string => field(el.children.find((c) => c.name === name && (c.xmlns ?? BUSINESS_CARD_NS) === BUSINESS_CARD_NS)?.text);
    const card: BusinessCard = { name: text('name'), title: text('title'), phone: text('phone'), email: text('email') };
    return card.name ? card : undefined;
  },

  serialize(card: BusinessCard): PayloadElement {
    return {
      name: 'card',
      xmlns: BUSINESS_CARD_NS,
      attrs: {},
      text: '',
      children: FIELDS.filter((f) => card[f]).map((f) => ({ name: f, attrs: {}, text: card[f], children: [] })),
    };
  },

  render(card: BusinessCard): unknown {
    const tel = phoneHref(card.phone);
    const mail = mailHref(card.email);
    return html`${styles}<div class="bc" data-type="business-card">
      <span class="bc-kind">Business card</span>
      <span class="bc-name">${card.name}</span>
      ${card.title ? html`<span class="bc-title">${card.title}</span>` : nothing}
      ${card.phone
        ? tel
          ? html`<a class="bc-phone" href=${tel} rel="noopener noreferrer">${card.phone}</a>`
          : html`<span class="bc-phone">${card.phone}</span>`
        : nothing}
      ${card.email
        ? mail
          ? html`<a class="bc-email" href=${mail} rel="noopener noreferrer">${card.email}</a>`
          : html`<span class="bc-email">${card.email}</span>`
        : nothing}
    </div>`;
  },

  preview(card: BusinessCard): string {
    return `[Business card] ${card.name}`;
  },

  fallback(card: BusinessCard): string {
    return `Business card: ${FIELDS.map((f) => card[f]).filter(Boolean).join(', ')}`;
  },

  composer: {
    label: 'Send a business card',
    icon: html`<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2">
      <rect x="3" y="5" width="18" height="14" rx="2"></rect><circle cx="9" cy="11" r="2"></circle><path d="M6 16c.8-1.5 2-2 3-2s2.2.5 3 2M14 10h4M14 14h3"></path>
    </svg>`,
    create: () => askForCard(),
  },
};

/** A small modal form for the card's fields; resolves undefined when cancelled. */
export function askForCard(doc: Document = document): Promise<BusinessCard | undefined> {
  const dialog = doc.createElement('dialog');
  dialog.className = 'business-card-dialog';
  const form = doc.createElement('form');
  form.method = 'dialog';
  const heading = doc.createElement('h2');
  heading.textContent = 'Business card';
  form.append(heading);
  const inputs = new Map<(typeof FIELDS)[number], HTMLInputElement>();
  const labels: Record<(typeof FIELDS)[number], string> = { name: 'Name', title: 'Title', phone: 'Phone', email: 'E-mail' };
  for (const f of FIELDS) {
    const label = doc.createElement('label');
    label.textContent = labels[f];
    const input = doc.createElement('input');
    input.name = f;
    input.maxLength = MAX_FIELD_CHARS;
    input.type = f === 'email' ? 'email' : f === 'phone' ? 'tel' : 'text';
    if (f === 'name') input.required = true;
    label.append(input);
    form.append(label);
    inputs.set(f, input);
  }
  const buttons = doc.createElement('div');
  buttons.className = 'buttons';
  const cancel = doc.createElement('button');
  cancel.type = 'button';
  cancel.value = 'cancel';
  cancel.textContent = 'Cancel';
  const send = doc.createElement('button');
  send.type = 'submit';
  send.value = 'send';
  send.textContent = 'Send';
  buttons.append(cancel, send);
  form.append(buttons);
  dialog.append(form);
  doc.body.append(dialog);

  return new Promise((resolve) => {
    let result: BusinessCard | undefined;
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', () => {
      const card: BusinessCard = { name: '', title: '', phone: '', email: '' };
      for (const f of FIELDS) card[f] = field(inputs.get(f)!.value);
      result = card.name ? card : undefined;
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    dialog.showModal();
    inputs.get('name')!.focus();
  });
}
