import { expect } from '@open-wc/testing';
import { render } from 'lit';
import { MAX_RENDER_CHARS, plainPreview, renderText, truncateText } from '../../src/render/text.js';
import type { RenderTextOptions } from '../../src/render/text.js';

const mounted: HTMLElement[] = [];

function show(body: string, opts?: RenderTextOptions): HTMLDivElement {
  const el = document.createElement('div');
  el.style.whiteSpace = 'pre-wrap';
  document.body.append(el);
  mounted.push(el);
  render(renderText(body, opts), el);
  return el;
}

function texts(el: ParentNode, selector: string): string[] {
  return [...el.querySelectorAll(selector)].map((n) => n.textContent ?? '');
}

afterEach(() => {
  for (const el of mounted.splice(0)) el.remove();
});

describe('renderText: hostile input stays text', () => {
  it('renders an <img onerror> payload as text and creates no element', () => {
    const body = '<img src=x onerror=alert(1)>';
    const el = show(body);
    expect(el.querySelector('img')).to.equal(null);
    expect(el.children.length).to.equal(0);
    expect(el.textContent).to.equal(body);
  });

  it('renders script and anchor markup as text', () => {
    const body = '<script>alert(1)</script><a href="javascript:alert(1)">x</a>';
    const el = show(body);
    expect(el.querySelector('script, a')).to.equal(null);
    expect(el.textContent).to.equal(body);
  });

  it('never links javascript: in any spelling', () => {
    const el = show('javascript:alert(1) JAVASCRIPT:alert(1) java\tscript:alert(1) &#106;avascript:alert(1)');
    expect(el.querySelector('a')).to.equal(null);
  });

  it('does not turn markdown links with javascript: into anchors', () => {
    const body = '[x](javascript:alert(1))';
    const el = show(body);
    expect(el.querySelector('a')).to.equal(null);
    expect(el.textContent).to.equal(body);
  });

  it('links only the URL of a markdown-style link, not the closing paren', () => {
    const el = show('[x](https://example.com)');
    const a = el.querySelector('a')!;
    expect(a.getAttribute('href')).to.equal('https://example.com/');
    expect(a.textContent).to.equal('https://example.com');
    expect(el.textContent).to.equal('[x](https://example.com)');
  });

  it('keeps bidi overrides and zero-width characters as text, outside links', () => {
    const body = 'abc\u202Edef\u200Bghi https://example.com/a\u200Bb \u2066x\u2069';
    const el = show(body);
    expect(el.textContent).to.equal(body);
    const links = el.querySelectorAll('a');
    expect(links.length).to.equal(1);
    expect(links[0]!.textContent).to.equal('https://example.com/a');
  });

  it('sets a hostile mention uri only as an attribute value', () => {
    const uri = '"><img src=x onerror=alert(1)>';
    const el = show('hi bob', { mentions: [{ begin: 3, end: 6, uri }] });
    expect(el.querySelector('img')).to.equal(null);
    expect(el.querySelector('.ck-mention')!.getAttribute('data-uri')).to.equal(uri);
  });

  it('keeps template-looking text literal', () => {
    const body = '${alert(1)} {{constructor}} <!-- x -->';
    const el = show(body);
    expect(el.textContent).to.equal(body);
    expect(el.children.length).to.equal(0);
  });
});

describe('renderText: invariants on random input', () => {
  // Seeded so a failure reproduces.
  function rng(seed: number): () => number {
    return () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x80000000;
    };
  }
  const pieces = [
    '*', '_', '~', '`', '```', '>', '> ', '\n', '\r\n', ' ', 'ab', 'https://x.example/p_(q)', 'www.w.example',
    'mailto:a@b.example', 'xmpp:c@d.example', 'javascript:alert(1)', '(', ')', '.', '😀', '👍🏽', '<img src=x onerror=alert(1)>',
    '\u202e', '\u200b', '&lt;', '"', "'",
  ];
  const allowed = new Set(['A', 'SPAN', 'STRONG', 'EM', 'S', 'CODE', 'PRE', 'BLOCKQUOTE']);

  it('keeps the text exactly, creates only known elements and only safe links', () => {
    const rand = rng(393);
    for (let run = 0; run < 300; run++) {
      let body = '';
      const len = 1 + Math.floor(rand() * 40);
      for (let k = 0; k < len; k++) body += pieces[Math.floor(rand() * pieces.length)];
      const cps = [...body].length;
      const mentions = [0, 1].map(() => {
        const begin = Math.floor(rand() * cps);
        return { begin, end: begin + 1 + Math.floor(rand() * 5), uri: 'xmpp:m@example.com' };
      });
      const el = show(body, { mentions });
      expect(el.textContent, JSON.stringify(body)).to.equal(body);
      for (const node of el.querySelectorAll('*')) {
        expect(allowed.has(node.tagName), `${node.tagName} in ${JSON.stringify(body)}`).to.equal(true);
      }
      for (const a of el.querySelectorAll('a')) {
        expect(a.getAttribute('href')).to.match(/^(https?:\/\/|mailto:|xmpp:)/);
      }
      el.remove();
    }
  });
});

describe('renderText: links', () => {
  it('links a URL with safe attributes and leaves a trailing period outside', () => {
    const el = show('see https://example.com/a.');
    const a = el.querySelector('a')!;
    expect(a.getAttribute('href')).to.equal('https://example.com/a');
    expect(a.getAttribute('target')).to.equal('_blank');
    expect(a.getAttribute('rel')).to.equal('noopener noreferrer');
    expect(a.textContent).to.equal('https://example.com/a');
    expect(el.textContent).to.equal('see https://example.com/a.');
  });

  it('keeps balanced parentheses and drops an unbalanced closing one', () => {
    const el = show('(see https://en.wikipedia.org/wiki/Foo_(bar))');
    expect(texts(el, 'a')).to.deep.equal(['https://en.wikipedia.org/wiki/Foo_(bar)']);
  });

  it('does not swallow commas, question marks or quotes', () => {
    const el = show('"https://a.example/x", then https://b.example/y? and \'https://c.example\'');
    expect(texts(el, 'a')).to.deep.equal(['https://a.example/x', 'https://b.example/y', 'https://c.example']);
  });

  it('links www., mailto: and xmpp: addresses', () => {
    const el = show('www.example.org! mailto:bob@example.com, xmpp:alice@example.com?message');
    const hrefs = [...el.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    expect(hrefs).to.deep.equal([
      'https://www.example.org/',
      'mailto:bob@example.com',
      'xmpp:alice@example.com?message',
    ]);
    expect(texts(el, 'a')[0]).to.equal('www.example.org');
  });

  it('does not link other schemes or URLs glued to a word', () => {
    const el = show('ftp://example.com foohttps://example.com a.www.example.com https:// xmpp: is fun');
    expect(el.querySelector('a')).to.equal(null);
  });

  it('stops a URL at Chinese punctuation', () => {
    const el = show('看这个https://example.com/路径，好吗？');
    expect(texts(el, 'a')).to.deep.equal(['https://example.com/路径']);
  });

  it('does not style the inside of a URL but styles around it', () => {
    const el = show('*see https://example.com/a_b_ and https://example.com/x*y*');
    const strong = el.querySelector('strong')!;
    expect(strong).to.not.equal(null);
    expect(el.querySelector('em')).to.equal(null);
    expect(texts(el, 'a')).to.deep.equal(['https://example.com/a_b', 'https://example.com/x*y']);
    expect(strong.textContent).to.equal(el.textContent);
  });

  it('does not link inside preformatted text', () => {
    const el = show('`https://example.com` and\n```\nhttps://example.org\n```');
    expect(el.querySelector('a')).to.equal(null);
  });
});

describe('renderText: XEP-0393 spans', () => {
  it('styles strong text and keeps the directives visible but marked', () => {
    const el = show('plain *strong* plain');
    expect(texts(el, 'strong')).to.deep.equal(['*strong*']);
    expect(texts(el, 'strong .ck-sd')).to.deep.equal(['*', '*']);
    expect(el.textContent).to.equal('plain *strong* plain');
  });

  it('styles the XEP examples that must be styled', () => {
    expect(texts(show('*strong*'), 'strong')).to.deep.equal(['*strong*']);
    expect(texts(show('*strong* plain *strong*'), 'strong')).to.deep.equal(['*strong*', '*strong*']);
    expect(texts(show('*strong*plain*'), 'strong')).to.deep.equal(['*strong*']);
    expect(texts(show('* plain *strong*'), 'strong')).to.deep.equal(['*strong*']);
  });

  it('styles nothing in the XEP examples that must stay plain', () => {
    for (const body of ['not strong*', '*not strong', '*not \n strong*', '*not *strong', '**', '****', 'a*b*c', '_ x_', '~x ~']) {
      const el = show(body);
      expect(el.querySelector('strong, em, s, code'), body).to.equal(null);
      expect(el.textContent).to.equal(body);
    }
  });

  it('renders emphasis, strike through and inline preformatted text', () => {
    const el = show('The full title is _Twelfth Night, or What You Will_ but\nEveryone ~dis~likes cake. Wow, `monospace`!');
    expect(texts(el, 'em')).to.deep.equal(['_Twelfth Night, or What You Will_']);
    expect(texts(el, 's')).to.deep.equal(['~dis~']);
    expect(texts(el, 'code')).to.deep.equal(['`monospace`']);
  });

  it('does not style inside an inline preformatted span', () => {
    const el = show('This is `*monospace*`');
    expect(el.querySelector('strong')).to.equal(null);
    expect(texts(el, 'code')).to.deep.equal(['`*monospace*`']);
  });

  it('nests different spans that open together or inside each other', () => {
    const bold = show('This is *`monospace and bold`*');
    expect(texts(bold, 'strong > code')).to.deep.equal(['`monospace and bold`']);
    const em = show('_emphasized span containing *strong span*_');
    expect(texts(em, 'em > strong')).to.deep.equal(['*strong span*']);
  });

  it('does not let a span escape its line', () => {
    const body = 'There are three blocks in this body marked by parens,\nbut there is no *formatting\nas spans* may not escape blocks.';
    const el = show(body);
    expect(el.querySelector('strong')).to.equal(null);
    expect(el.textContent).to.equal(body);
  });

  it('marks every directive character with ck-sd', () => {
    const el = show('*a* _b_ ~c~ `d`');
    expect(texts(el, '.ck-sd').join('')).to.equal('**__~~``');
  });
});

describe('renderText: XEP-0393 blocks', () => {
  it('renders a preformatted block without styling and keeps the fences dimmed', () => {
    const body = '```ignored\n(println "Hello, *world*!")\n```\n\nThis should show up as *monospace*';
    const el = show(body);
    const pre = el.querySelector('pre')!;
    expect(pre.textContent).to.equal('```ignored\n(println "Hello, *world*!")\n```\n');
    expect(texts(pre, '.ck-sd')).to.deep.equal(['```ignored', '```']);
    expect(pre.querySelector('strong')).to.equal(null);
    expect(texts(el, 'strong')).to.deep.equal(['*monospace*']);
    expect(el.textContent).to.equal(body);
  });

  it('ends an unclosed preformatted block with its parent quote', () => {
    const body = '> ```\n> (println "Hello, world!")\n\nThe entire blockquote is a preformatted text block, but this line\nis *plaintext*!';
    const el = show(body);
    const pre = el.querySelector('blockquote > pre')!;
    expect(pre.textContent).to.equal('> ```\n> (println "Hello, world!")\n');
    expect(el.querySelector('blockquote')!.textContent).to.equal(pre.textContent);
    expect(texts(el, 'strong')).to.deep.equal(['*plaintext*']);
    expect(el.textContent).to.equal(body);
  });

  it('closes a preformatted block in a CRLF body', () => {
    const el = show('```\r\ncode *x*\r\n```\r\nafter *bold*');
    expect(el.querySelector('pre')!.textContent).to.equal('```\r\ncode *x*\r\n```\r\n');
    expect(texts(el, 'strong')).to.deep.equal(['*bold*']);
  });

  it('renders a quotation with a dimmed marker and styled content', () => {
    const body = '> That that is, *is*.\n\nSaid the old hermit of Prague.';
    const el = show(body);
    const quote = el.querySelector('blockquote')!;
    expect(quote.textContent).to.equal('> That that is, *is*.\n');
    expect(texts(quote, '.ck-sd-quote')).to.deep.equal(['>']);
    expect(texts(quote, 'strong')).to.deep.equal(['*is*']);
    expect(el.textContent).to.equal(body);
  });

  it('nests quotations', () => {
    const el = show('>> That that is, is.\n> Said the old hermit of Prague.\n\nWho?');
    const inner = el.querySelector('blockquote > blockquote')!;
    expect(inner.textContent).to.equal('>> That that is, is.\n');
    expect(el.querySelector('blockquote')!.textContent).to.equal('>> That that is, is.\n> Said the old hermit of Prague.\n');
  });

  it('does not add a blank line after a block element', () => {
    const style = 'font: 16px/20px monospace; margin: 0; padding: 0; border: 0;';
    const measure = (body: string): number => {
      const el = show(body);
      el.style.cssText += style;
      el.querySelectorAll<HTMLElement>('blockquote, pre').forEach((b) => (b.style.cssText = style));
      return el.getBoundingClientRect().height;
    };
    expect(measure('> a\nb')).to.equal(measure('a\nb'));
    expect(measure('```\na\n```\nb')).to.equal(measure('a\nb\nc\nd'));
  });
});

describe('renderText: mentions', () => {
  it('wraps a XEP-0372 range, counting code points past astral emoji', () => {
    // Code points: 😀=0, 😀=1, ' '=2, '@'=3 ... 'b'=6; in UTF-16 '@' is at 5.
    const el = show('😀😀 @bob hi', { mentions: [{ begin: 3, end: 7, uri: 'xmpp:bob@example.com' }] });
    const m = el.querySelector('.ck-mention')!;
    expect(m.textContent).to.equal('@bob');
    expect(m.getAttribute('data-uri')).to.equal('xmpp:bob@example.com');
    expect(m.classList.contains('ck-mention-self')).to.equal(false);
    expect(el.textContent).to.equal('😀😀 @bob hi');
  });

  it('marks mentions of the viewer with ck-mention-self', () => {
    const el = show('@alice and @bob', {
      selfUri: 'xmpp:alice@example.com',
      mentions: [
        { begin: 11, end: 15, uri: 'xmpp:bob@example.com' },
        { begin: 0, end: 6, uri: 'xmpp:alice@example.com' },
      ],
    });
    expect(texts(el, '.ck-mention')).to.deep.equal(['@alice', '@bob']);
    expect(texts(el, '.ck-mention-self')).to.deep.equal(['@alice']);
  });

  it('does not style directive characters inside a mention', () => {
    const el = show('hi _bob_ and _you_', { mentions: [{ begin: 3, end: 8, uri: 'xmpp:_bob_@example.com' }] });
    expect(texts(el, '.ck-mention')).to.deep.equal(['_bob_']);
    expect(texts(el, 'em')).to.deep.equal(['_you_']);
  });

  it('mentions inside styled text keep the styling', () => {
    const el = show('*hey @bob*', { mentions: [{ begin: 5, end: 9, uri: 'xmpp:bob@example.com' }] });
    expect(texts(el, 'strong .ck-mention')).to.deep.equal(['@bob']);
  });

  it('ignores invalid, overlapping and out-of-range references', () => {
    const body = 'hello @bob';
    const el = show(body, {
      mentions: [
        { begin: 6, end: 10, uri: 'xmpp:bob@example.com' },
        { begin: 7, end: 9, uri: 'xmpp:overlap@example.com' },
        { begin: 4, end: 2, uri: 'xmpp:reversed@example.com' },
        { begin: 50, end: 60, uri: 'xmpp:far@example.com' },
        { begin: 1.5, end: 3, uri: 'xmpp:fraction@example.com' },
      ],
    });
    expect([...el.querySelectorAll('.ck-mention')].map((m) => m.getAttribute('data-uri'))).to.deep.equal([
      'xmpp:bob@example.com',
    ]);
    expect(el.textContent).to.equal(body);
  });

  it('prefers a mention over a link that overlaps it', () => {
    const el = show('ping xmpp:bob@example.com now', { mentions: [{ begin: 5, end: 25, uri: 'xmpp:bob@example.com' }] });
    expect(el.querySelector('a')).to.equal(null);
    expect(texts(el, '.ck-mention')).to.deep.equal(['xmpp:bob@example.com']);
  });
});

describe('renderText: size limits', () => {
  it(`truncates at ${MAX_RENDER_CHARS} characters by default and marks it`, () => {
    const el = show('a'.repeat(MAX_RENDER_CHARS + 500));
    const mark = el.querySelector('.ck-truncated')!;
    expect(mark.textContent).to.equal('…');
    expect(el.textContent!.length).to.equal(MAX_RENDER_CHARS + 1);
    const short = show('a'.repeat(100));
    expect(short.querySelector('.ck-truncated')).to.equal(null);
  });

  it('does not split a surrogate pair when truncating', () => {
    const el = show('abcd😀e', { maxChars: 5 });
    expect(el.textContent).to.equal('abcd…');
    expect(truncateText('abcd😀e', 6)).to.deep.equal({ text: 'abcd😀', truncated: true });
    expect(truncateText('abc', 6)).to.deep.equal({ text: 'abc', truncated: false });
  });

  it('keeps mentions that start before the cut and drops the rest', () => {
    const el = show('@bob and @carol', {
      maxChars: 12,
      mentions: [
        { begin: 0, end: 4, uri: 'xmpp:bob@example.com' },
        { begin: 9, end: 15, uri: 'xmpp:carol@example.com' },
      ],
    });
    expect(texts(el, '.ck-mention')).to.deep.equal(['@bob', '@ca']);
  });

  /**
   * Complexity, not speed (speed is for `npm run bench`): work on 8× the input must
   * cost about 8× the time. A quadratic parser costs 64×, a worse one far more, so the
   * bound of 24× separates them while tolerating noise from parallel test files.
   */
  function bestMs(fn: () => void): number {
    let best = Infinity;
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      fn();
      best = Math.min(best, performance.now() - t0);
    }
    return Math.max(best, 1);
  }

  /** The lowest of three measured ratios: GC pauses inflate one trial, never a quadratic's every trial. */
  function growth(run: (size: number) => void): number {
    run(100_000); // warm up the JIT
    let ratio = Infinity;
    for (let trial = 0; trial < 3 && ratio >= 24; trial++) {
      ratio = Math.min(ratio, bestMs(() => run(800_000)) / bestMs(() => run(100_000)));
    }
    return ratio;
  }

  function repeatTo(unit: string, size: number): string {
    return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  }

  // Shapes that make naive regex or rescanning parsers quadratic or worse.
  const adversarial: Array<[string, string]> = [
    ['unclosed directives', '*a _b ~c `d '],
    ['directives glued to words', 'a*b_c~d`e '],
    ['nested openers', '*_~`x'],
    ['URL prefixes', 'http://http://'],
    ['parens in a URL', 'https://a.example/((((((((]]]]'],
    ['deep quotes', '>>>>>>>>>>'],
    ['fence lines', '```\n> '],
    ['short lines', 'hi\n'],
    ['lone surrogates', '\ud83d*\ude00_'],
  ];
  for (const [name, unit] of adversarial) {
    it(`parses and renders ${name} in linear time, text intact`, () => {
      const body = repeatTo(unit, 100_000);
      const el = show(body, { maxChars: Infinity });
      expect(el.textContent).to.equal(body);
      el.remove();
      const ratio = growth((size) => {
        const shown = show(repeatTo(unit, size), { maxChars: Infinity });
        shown.remove();
      });
      expect(ratio, `8× input took ${ratio.toFixed(1)}× the time`).to.be.below(24);
    });
  }

  it('builds templates for bodies dense with spans, links or mentions in linear time', () => {
    const mentionsFor = (size: number) =>
      Array.from({ length: size / 5 }, (_, k) => ({ begin: k * 5, end: k * 5 + 4, uri: `xmpp:u${k}@example.com` }));
    const cases: Array<[string, (size: number) => RenderTextOptions]> = [
      ['*a* _b_ ', () => ({ maxChars: Infinity })],
      ['https://a.example/x ', () => ({ maxChars: Infinity })],
      ['@bob ', (size) => ({ mentions: mentionsFor(size), maxChars: Infinity })],
    ];
    for (const [unit, opts] of cases) {
      const ratio = growth((size) => renderText(repeatTo(unit, size), opts(size)));
      expect(ratio, `${unit}: 8× input took ${ratio.toFixed(1)}× the time`).to.be.below(24);
    }
  });
});

describe('plainPreview', () => {
  it('collapses whitespace to one line and keeps directives', () => {
    expect(plainPreview('  hello\n\n  *world*\tand\u00a0 more \n')).to.equal('hello *world* and more');
  });

  it('leaves short text alone', () => {
    expect(plainPreview('hi there', 10)).to.equal('hi there');
    expect(plainPreview('x'.repeat(120))).to.equal('x'.repeat(120));
  });

  it('truncates to the limit with an ellipsis', () => {
    const p = plainPreview('x'.repeat(500));
    expect(p).to.equal('x'.repeat(119) + '…');
    expect(plainPreview('one two three', 6)).to.equal('one t…');
    expect(plainPreview('one two three', 5)).to.equal('one…'); // no space before the ellipsis
  });

  it('never splits an emoji', () => {
    expect(plainPreview('😀'.repeat(50), 10)).to.equal('😀'.repeat(9) + '…');
    expect(plainPreview('👍🏽'.repeat(20), 5)).to.equal('👍🏽'.repeat(4) + '…');
  });
});
