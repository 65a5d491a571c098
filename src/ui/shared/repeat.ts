/**
 * Lit's keyed `repeat`, minus a leak: since lit-html 3.3.1, each item `repeat` drops leaves
 * its end marker (an empty comment) in the DOM (lit issues #5010, #5298). A virtualized log
 * drops rows at one end as it adds them at the other, so a long scroll piled up one orphan
 * per message passed: 100,000 of them in the container by the oldest message, and every
 * style recalc, layout and query over it slowed down with them. This removes the markers of
 * the items `repeat` took out; with a lit that removes them itself it has nothing to do.
 */
import { nothing, type ChildPart } from 'lit';
import { directive, Directive, type DirectiveResult, type PartInfo } from 'lit/directive.js';
import { getCommittedValue } from 'lit/directive-helpers.js';
import { repeat as litRepeat, type ItemTemplate, type KeyFn } from 'lit/directives/repeat.js';

type RepeatClass = new (info: PartInfo) => Directive & {
  render(...args: unknown[]): unknown;
  update(part: ChildPart, args: unknown[]): unknown;
};

// Lit exports the directive's class as a type only: its value rides on any result of it
// (`_$litDirective$` is the name lit's versions share, kept by its minifier).
const LitRepeatDirective = (litRepeat([], () => nothing) as DirectiveResult & { _$litDirective$: RepeatClass })._$litDirective$;

class LeakFreeRepeat extends LitRepeatDirective {
  override update(part: ChildPart, args: unknown[]): unknown {
    // Copied: lit nulls out the slots of parts it moves while it works.
    const committed = getCommittedValue(part);
    const before = Array.isArray(committed) ? [...(committed as ChildPart[])] : [];
    const result = super.update(part, args);
    if (before.length) {
      const kept = new Set(getCommittedValue(part) as ChildPart[]);
      for (const old of before) {
        const end = old.endNode;
        if (!kept.has(old) && end?.parentNode) end.parentNode.removeChild(end);
      }
    }
    return result;
  }
}

const leakFree = directive(LeakFreeRepeat);

/** `repeat(items, key, template)` as in lit, without leaving markers behind. */
export function repeat<T>(items: Iterable<T>, keyFn: KeyFn<T>, template: ItemTemplate<T>): unknown {
  return leakFree(items, keyFn, template);
}
