import { expect } from '@open-wc/testing';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-CN.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('message catalogs', () => {
  it('zh-CN has exactly the English keys', () => {
    expect(Object.keys(zhCN).sort()).to.deep.equal(Object.keys(en).sort());
  });

  it('every zh-CN string is translated and keeps the English placeholders', () => {
    for (const [key, text] of Object.entries(en) as Array<[keyof typeof en, string]>) {
      const zh = zhCN[key];
      expect(zh, key).to.be.a('string').and.not.equal('');
      expect(placeholders(zh), key).to.deep.equal(placeholders(text));
    }
  });
});
