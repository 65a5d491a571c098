import { noChange } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';

export type CssProps = Record<string, string>;

const kebab = (name: string): string => (name.startsWith('--') ? name : name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));

/**
 * Sets inline style properties through CSSOM only. Lit's styleMap writes a `style`
 * attribute on first render, which a strict Content Security Policy (no 'unsafe-inline'
 * for styles) blocks; CSSOM writes are allowed. Use as an element binding:
 * `<div ${cssProps({ blockSize: '40px' })}>`.
 */
class CssPropsDirective extends Directive {
  #previous = new Set<string>();

  constructor(partInfo: PartInfo) {
    super(partInfo);
    if (partInfo.type !== PartType.ELEMENT) throw new Error('cssProps() binds to an element: <div ${cssProps({...})}>');
  }

  render(_props: CssProps): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [props]: [CssProps]): typeof noChange {
    const { style } = part.element as HTMLElement;
    const next = new Set<string>();
    for (const [name, value] of Object.entries(props)) {
      const prop = kebab(name);
      next.add(prop);
      style.setProperty(prop, value);
    }
    for (const prop of this.#previous) if (!next.has(prop)) style.removeProperty(prop);
    this.#previous = next;
    return noChange;
  }
}

export const cssProps = directive(CssPropsDirective);
