import { expect } from '@open-wc/testing';
import { safeHref, safeImageSrc } from '../../src/render/url.js';

describe('safeHref', () => {
  it('accepts http, https, mailto and xmpp and returns the normalized href', () => {
    expect(safeHref('https://Example.COM')).to.equal('https://example.com/');
    expect(safeHref('HTTP://example.com/a/../b?q=1#f')).to.equal('http://example.com/b?q=1#f');
    expect(safeHref('mailto:bob@example.com')).to.equal('mailto:bob@example.com');
    expect(safeHref('xmpp:room@conference.example.com?join')).to.equal('xmpp:room@conference.example.com?join');
    expect(safeHref('https://例子.测试/路径')).to.equal('https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84');
  });

  it('rejects script and other dangerous schemes in any spelling', () => {
    for (const url of [
      'javascript:alert(1)',
      'JAVASCRIPT:alert(1)',
      'JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'java\nscript:alert(1)',
      ' javascript:alert(1)',
      '\u0000javascript:alert(1)',
      'javascript&#58;alert(1)',
      '&#106;avascript:alert(1)',
      'javascript&colon;alert(1)',
      'vbscript:msgbox(1)',
      'data:text/html,<script>alert(1)</script>',
      'file:///etc/passwd',
      'ftp://example.com/',
    ]) {
      expect(safeHref(url), JSON.stringify(url)).to.equal(null);
    }
  });

  it('rejects relative, empty and malformed URLs', () => {
    for (const url of ['', '/path', '//evil.example/x', 'example.com', 'https://', 'mailto:', 'xmpp:', 'http://[::1']) {
      expect(safeHref(url), JSON.stringify(url)).to.equal(null);
    }
  });

  it('rejects whitespace, bidi and zero-width tricks anywhere in the URL', () => {
    for (const url of [
      'https://example.com ',
      'https://exa mple.com',
      'https://example.com/\u202Egnp.exe',
      'https://exa\u200Bmple.com',
      '\u2066https://example.com',
      'https://example.com/\u00a0',
    ]) {
      expect(safeHref(url), JSON.stringify(url)).to.equal(null);
    }
  });

  it('rejects credentials that disguise the real host', () => {
    expect(safeHref('https://google.com@evil.example/')).to.equal(null);
    expect(safeHref('https://user:pass@example.com/')).to.equal(null);
  });

  it('allows blob: only when asked', () => {
    const blob = 'blob:https://app.example/5d1c7e0a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
    expect(safeHref(blob)).to.equal(null);
    expect(safeHref(blob, { allowBlob: true })).to.equal(blob);
  });

  it('allows raster data: images only when asked, never SVG or HTML', () => {
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    expect(safeHref(png)).to.equal(null);
    expect(safeHref(png, { allowData: true })).to.equal(png);
    expect(safeHref('data:image/svg+xml;base64,PHN2Zz4=', { allowData: true })).to.equal(null);
    expect(safeHref('data:text/html;base64,PHNjcmlwdD4=', { allowData: true })).to.equal(null);
    expect(safeHref(png, { allowBlob: true })).to.equal(null);
  });
});

describe('safeImageSrc', () => {
  it('accepts http(s) images', () => {
    expect(safeImageSrc('https://cdn.example/a.png')).to.equal('https://cdn.example/a.png');
    expect(safeImageSrc('http://cdn.example/a.png')).to.equal('http://cdn.example/a.png');
  });

  it('rejects non-image schemes and tricks', () => {
    for (const url of [
      'mailto:bob@example.com',
      'xmpp:bob@example.com',
      'javascript:alert(1)',
      'data:image/png;base64,iVBORw0KGgo=',
      'data:image/svg+xml,<svg onload=alert(1)>',
      ' https://cdn.example/a.png',
      '/a.png',
    ]) {
      expect(safeImageSrc(url), JSON.stringify(url)).to.equal(null);
    }
  });

  it('allows blob: only when asked', () => {
    const blob = 'blob:https://app.example/5d1c7e0a-1b2c-4d3e-8f90-a1b2c3d4e5f6';
    expect(safeImageSrc(blob)).to.equal(null);
    expect(safeImageSrc(blob, { allowBlob: true })).to.equal(blob);
  });
});
