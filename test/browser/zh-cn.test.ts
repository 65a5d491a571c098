import { expect } from '@open-wc/testing';
import { en } from '../../src/i18n/en.js';
import { allStates } from '../support/states.js';

// With locale zh-CN, no English word of the UI's own catalog may show anywhere an element
// renders text: text nodes in every shadow root, and the attributes assistive tech reads.
// User data (names, ids, message bodies, previews, server errors) is skipped: the fixtures
// include English-speaking people.
const USER_DATA = [
  '[part~=bubble]',
  '[part~=name]',
  '[part~=title]',
  '[part~=sender]',
  '[part~=preview]',
  '[part~=chip]',
  '[part~=avatar]',
  '.id',
  '.request .name',
  '.request .sub',
  '.failure > span:first-child',
  'style',
].join(', ');
const ATTRIBUTES = ['aria-label', 'placeholder', 'title', 'alt', 'aria-roledescription', 'aria-valuetext'];

/** Lower-case words (two letters or more) of the English catalog, placeholders left out. */
const ENGLISH = new Set(
  Object.values(en)
    .flatMap((s) => s.replace(/\{\w+\}/g, ' ').match(/[A-Za-z]{2,}/g) ?? [])
    .map((w) => w.toLowerCase()),
);

/** Every English catalog word shown under `root`, with where it was found. */
function englishIn(root: Node): string[] {
  const hits: string[] = [];
  const check = (text: string | null, where: string): void => {
    for (const word of text?.match(/[A-Za-z]{2,}/g) ?? []) if (ENGLISH.has(word.toLowerCase())) hits.push(`"${word}" in ${where}: ${text!.trim().slice(0, 60)}`);
  };
  const walk = (node: Node, host: string): void => {
    if (node.nodeType === Node.TEXT_NODE) {
      check(node.nodeValue, `text of ${host}`);
      return;
    }
    if (node instanceof Element) {
      if (node.matches(USER_DATA)) return;
      for (const attr of ATTRIBUTES) check(node.getAttribute(attr), `${attr} of <${node.localName}> in ${host}`);
      if (node.shadowRoot) walk(node.shadowRoot, node.localName);
    }
    for (const child of node.childNodes) walk(child, host);
  };
  walk(root, (root as Element).localName ?? 'document');
  return hits;
}

describe('zh-CN', () => {
  for (const state of allStates()) {
    it(`${state.name} shows no English UI words`, async () => {
      const el = await state.render('light', 'zh-CN');
      const hits = englishIn(el);
      expect(hits, hits.join('\n')).to.deep.equal([]);
    });
  }

  it('the scan does find English (the check is not vacuous)', async () => {
    const el = await allStates()[1]!.render('light', 'en');
    expect(englishIn(el).length).to.be.greaterThan(0);
  });
});
