import type { Element } from '@xmpp/client';

/**
 * Bounds on the shape of an inbound stanza, checked once at the connection before any
 * module parses it. No legitimate stanza comes close; a hostile one that does could make
 * every `getChild` walk (or a recursive consumer) slow, or grow memory through the store.
 */
export const STANZA_LIMITS = Object.freeze({
  /** Nesting depth (a MAM result is about 6 deep). */
  maxDepth: 32,
  /** Elements in the whole stanza (a large blocklist push is the biggest honest case). */
  maxElements: 5000,
  /** Attributes on one element. */
  maxAttributes: 64,
  /** One attribute value, in UTF-16 units (ids, JIDs, URLs, stamps). */
  maxAttributeChars: 8192,
});

/** Why `stanza` is over the limits, or null when it is within them. Iterative: a deep stanza cannot overflow the stack. */
export function stanzaLimitViolation(stanza: Element, limits = STANZA_LIMITS): string | null {
  const stack: Array<[Element, number]> = [[stanza, 1]];
  let elements = 0;
  while (stack.length) {
    const [el, depth] = stack.pop()!;
    if (depth > limits.maxDepth) return `deeper than ${limits.maxDepth}`;
    if (++elements > limits.maxElements) return `more than ${limits.maxElements} elements`;
    const attrs = Object.values(el.attrs ?? {});
    if (attrs.length > limits.maxAttributes) return `more than ${limits.maxAttributes} attributes on <${el.name}>`;
    for (const v of attrs) if (typeof v === 'string' && v.length > limits.maxAttributeChars) return `an attribute of <${el.name}> longer than ${limits.maxAttributeChars}`;
    for (const child of el.children) if (typeof child !== 'string') stack.push([child, depth + 1]);
  }
  return null;
}
