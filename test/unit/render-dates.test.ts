import { expect } from '@open-wc/testing';
import {
  dateLocale,
  formatDaySeparator,
  formatListTime,
  formatMessageTime,
  isSameDay,
  prepareDateFormats,
} from '../../src/render/dates.js';

// Local-time constructors: the expectations hold in any time zone the browser runs in.
const at = (y: number, m: number, d: number, h = 12, min = 0): number => new Date(y, m - 1, d, h, min).getTime();
const NOW = at(2024, 3, 15, 10, 30); // Friday 15 March 2024, 10:30

describe('dateLocale', () => {
  it('maps Simplified Chinese tags to zh-CN', () => {
    for (const tag of ['zh', 'zh-CN', 'zh-Hans', 'zh-Hans-CN', 'zh_CN', 'ZH-cn']) {
      expect(dateLocale(tag), tag).to.equal('zh-CN');
    }
  });

  it('falls back to en-US for everything else', () => {
    for (const tag of ['en', 'en-GB', 'fr-FR', 'zh-TW', 'zh-Hant', '']) {
      expect(dateLocale(tag), tag).to.equal('en-US');
    }
  });
});

describe('formatListTime', () => {
  it('shows the time for today', () => {
    expect(formatListTime(at(2024, 3, 15, 14, 5), NOW, 'en')).to.equal('2:05 PM');
    expect(formatListTime(at(2024, 3, 15, 8, 5), NOW, 'en-US')).to.equal('8:05 AM');
    expect(formatListTime(at(2024, 3, 15, 14, 5), NOW, 'zh-CN')).to.equal('14:05');
    expect(formatListTime(at(2024, 3, 15, 0, 0), NOW, 'zh')).to.equal('00:00');
  });

  it('says yesterday by calendar day, not by 24 hours', () => {
    const justAfterMidnight = at(2024, 3, 15, 0, 10);
    expect(formatListTime(at(2024, 3, 14, 23, 50), justAfterMidnight, 'en')).to.equal('Yesterday');
    expect(formatListTime(at(2024, 3, 14, 0, 1), NOW, 'zh-CN')).to.equal('昨天');
    expect(formatListTime(at(2024, 3, 13, 23, 59), NOW, 'en')).to.not.equal('Yesterday');
  });

  it('shows the weekday within the last six days', () => {
    expect(formatListTime(at(2024, 3, 11), NOW, 'en')).to.equal('Mon');
    expect(formatListTime(at(2024, 3, 11), NOW, 'zh-CN')).to.equal('周一');
    expect(formatListTime(at(2024, 3, 9), NOW, 'en')).to.equal('Sat');
  });

  it('shows month and day from a week ago within the year', () => {
    expect(formatListTime(at(2024, 3, 8), NOW, 'en')).to.equal('Mar 8');
    expect(formatListTime(at(2024, 3, 8), NOW, 'zh-CN')).to.equal('3月8日');
    expect(formatListTime(at(2024, 1, 2), NOW, 'en')).to.equal('Jan 2');
  });

  it('shows a short date for earlier years', () => {
    expect(formatListTime(at(2023, 12, 31), NOW, 'en')).to.equal('12/31/23');
    expect(formatListTime(at(2023, 12, 31), NOW, 'zh-CN')).to.equal('2023/12/31');
  });

  it('uses the weekday across a new year', () => {
    const jan2 = at(2024, 1, 2, 9, 0);
    expect(formatListTime(at(2023, 12, 31), jan2, 'en')).to.equal('Sun');
    expect(formatListTime(at(2023, 12, 31), jan2, 'zh')).to.equal('周日');
  });

  it('returns an empty string for an invalid timestamp', () => {
    expect(formatListTime(Number.NaN, NOW, 'en')).to.equal('');
  });

  it('returns an empty string for a timestamp no Date can hold', () => {
    expect(formatListTime(9e15, NOW, 'en')).to.equal('');
    expect(formatDaySeparator(-9e15, NOW, 'zh-CN')).to.equal('');
    expect(formatMessageTime(Number.MAX_VALUE, 'en')).to.equal('');
  });

  it('pads the hour in Chinese and not in English, and keeps a plain space before AM/PM', () => {
    expect(formatMessageTime(at(2024, 3, 15, 7, 3), 'zh-CN')).to.equal('07:03');
    expect(formatMessageTime(at(2024, 3, 15, 12, 0), 'en')).to.equal('12:00 PM');
    expect(formatMessageTime(at(2024, 3, 15, 0, 0), 'en')).to.equal('12:00 AM');
  });
});

describe('formatDaySeparator', () => {
  it('says today and yesterday in both languages', () => {
    expect(formatDaySeparator(at(2024, 3, 15, 9), NOW, 'en')).to.equal('Today');
    expect(formatDaySeparator(at(2024, 3, 15, 9), NOW, 'zh-CN')).to.equal('今天');
    expect(formatDaySeparator(at(2024, 3, 14, 9), NOW, 'en')).to.equal('Yesterday');
    expect(formatDaySeparator(at(2024, 3, 14, 9), NOW, 'zh-Hans')).to.equal('昨天');
  });

  it('shows weekday and date within the year', () => {
    expect(formatDaySeparator(at(2024, 3, 11), NOW, 'en')).to.equal('Monday, March 11');
    expect(formatDaySeparator(at(2024, 3, 11), NOW, 'zh-CN')).to.equal('3月11日 星期一');
  });

  it('shows the full date for earlier years', () => {
    expect(formatDaySeparator(at(2023, 6, 1), NOW, 'en')).to.equal('June 1, 2023');
    expect(formatDaySeparator(at(2023, 6, 1), NOW, 'zh-CN')).to.equal('2023年6月1日');
  });
});

describe('formatMessageTime', () => {
  it('formats the time of day per language', () => {
    expect(formatMessageTime(at(2024, 3, 15, 21, 7), 'en')).to.equal('9:07 PM');
    expect(formatMessageTime(at(2024, 3, 15, 21, 7), 'zh-CN')).to.equal('21:07');
  });
});

describe('isSameDay', () => {
  it('compares local calendar days', () => {
    expect(isSameDay(at(2024, 3, 15, 0, 0), at(2024, 3, 15, 23, 59))).to.equal(true);
    expect(isSameDay(at(2024, 3, 14, 23, 59), at(2024, 3, 15, 0, 0))).to.equal(false);
  });
});

describe('prepareDateFormats', () => {
  it('builds the formatters ahead without changing what they print', () => {
    prepareDateFormats('zh-CN');
    prepareDateFormats('en');
    expect(formatListTime(at(2024, 3, 15, 14, 5), NOW, 'zh-CN')).to.equal('14:05');
    expect(formatDaySeparator(at(2024, 3, 11), NOW, 'en')).to.equal('Monday, March 11');
  });
});
