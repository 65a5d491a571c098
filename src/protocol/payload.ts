import { xml, type Element } from '@xmpp/client';
import type { CustomPayload } from '../store/records.js';

/**
 * A stanza child element as plain data, for integrators' custom message types: the
 * kit never hands its XML library's objects across the public API.
 */
export interface PayloadElement {
  name: string;
  /** Namespace (`xmlns`), inherited from the parent when not set on the element. */
  xmlns?: string;
  attrs: Record<string, string>;
  /** The element's own text (concatenated text children). */
  text: string;
  children: PayloadElement[];
}

/** Recognises a registered custom type among a message's child elements. */
export type CustomRecogniser = (elements: readonly PayloadElement[]) => CustomPayload | undefined;

/** Custom payloads are small; deeper or wider ones are not converted (input is untrusted). */
const MAX_DEPTH = 8;
const MAX_CHILDREN = 64;

export function toPayloadElement(el: Element, inheritedNs?: string, depth = 0): PayloadElement {
  const { xmlns, ...attrs } = el.attrs as Record<string, string>;
  const ns = xmlns ?? inheritedNs;
  const out: PayloadElement = { name: el.name, attrs, text: el.text(), children: [] };
  if (ns) out.xmlns = ns;
  if (depth < MAX_DEPTH) {
    for (const child of el.getChildElements().slice(0, MAX_CHILDREN)) out.children.push(toPayloadElement(child, ns, depth + 1));
  }
  return out;
}

export function fromPayloadElement(p: PayloadElement): Element {
  const attrs: Record<string, string> = { ...p.attrs };
  if (p.xmlns) attrs.xmlns = p.xmlns;
  const el = xml(p.name, attrs);
  if (p.text) el.append(p.text);
  for (const child of p.children ?? []) el.append(fromPayloadElement(child));
  return el;
}
