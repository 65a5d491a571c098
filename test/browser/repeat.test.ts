import { expect } from '@open-wc/testing';
import { html, render } from 'lit';
import { repeat } from '../../src/ui/shared/repeat.js';

const comments = (el: Node): number => [...el.childNodes].filter((n) => n.nodeType === Node.COMMENT_NODE).length;
const list = (items: number[]) => html`${repeat(items, (i) => i, (i) => html`<p>${i}</p>`)}`;
const span = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);

describe('keyed repeat', () => {
  it('leaves no markers behind while a window slides over a long list, either way', () => {
    const slid = document.createElement('div');
    for (let from = 0; from <= 3000; from += 30) render(list(span(from, 160)), slid);
    for (let from = 3000; from >= 1500; from -= 30) render(list(span(from, 160)), slid);
    const fresh = document.createElement('div');
    render(list(span(1500, 160)), fresh);
    expect([...slid.querySelectorAll('p')].map((p) => p.textContent)).to.deep.equal(span(1500, 160).map(String));
    // The same DOM as rendering the final window once: every dropped item took all its nodes.
    expect(comments(slid)).to.equal(comments(fresh));
    expect(slid.childNodes.length).to.equal(fresh.childNodes.length);
  });

  it('keeps moved and kept items (and their markers) when items are shuffled, dropped and added', () => {
    const el = document.createElement('div');
    render(list([1, 2, 3, 4, 5, 6]), el);
    const kept = el.querySelector('p:nth-of-type(4)');
    render(list([6, 4, 9, 1, 7]), el);
    render(list([7, 4, 2, 6]), el);
    expect([...el.querySelectorAll('p')].map((p) => p.textContent)).to.deep.equal(['7', '4', '2', '6']);
    expect(el.querySelectorAll('p')[1]).to.equal(kept);
    const fresh = document.createElement('div');
    render(list([7, 4, 2, 6]), fresh);
    expect(el.childNodes.length).to.equal(fresh.childNodes.length);
    render(list([]), el);
    render(list([3, 1]), el);
    expect([...el.querySelectorAll('p')].map((p) => p.textContent)).to.deep.equal(['3', '1']);
  });
});
