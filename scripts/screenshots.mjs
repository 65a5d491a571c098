#!/usr/bin/env node
// Writes docs/screenshots/chat-{light,dark}.png (desktop, two users side by side) and
// phone-{light,dark}.png (the customer-service page at 360x740, device scale 3, touch) from
// the real demo pages: starts a
// Prosody with the demo users (scripts/prosody.mjs) and the demo on Vite's dev server (as
// scripts/demo.mjs does), drives two users through headless Chromium (puppeteer-core, never a
// downloaded browser) to exchange a few messages, then shoots the page light and dark
// (`theme="dark"` on <html>).
//
//   node scripts/screenshots.mjs
//
// Chinese glyphs need a CJK font in the system (else they render as boxes):
//   apt-get install -y fonts-wqy-zenhei
import { mkdir } from 'node:fs/promises';
import puppeteer from 'puppeteer-core';
import { freePort } from './prosody.mjs';
import { startDemo } from './demo-server.mjs';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

const OUT = new URL('../docs/screenshots/', import.meta.url);
// Wide enough for each pane's <ck-chat> to show list and conversation side by side.
const VIEWPORT = { width: 1440, height: 760 };
const PHONE = {
  viewport: { width: 360, height: 740, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36',
};

const demo = await startDemo({ httpPort: await freePort(), c2sPort: await freePort(), demoPort: await freePort(), logLevel: 'warn' });
let browser;
try {
  const url = demo.url;
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS] });
  const page = await browser.newPage();
  await page.setViewport(VIEWPORT);
  page.on('pageerror', (err) => console.error('page error:', err.message));
  await page.goto(url, { waitUntil: 'load' });
  // Both panes online.
  await page.waitForFunction(() => [...document.querySelectorAll('.pane .status')].every((s) => s.textContent === 'online'), { timeout: 30_000 });

  /** Runs in the page: the pane's <ck-chat> and its inner elements. */
  const inPane = (index, fn, ...args) =>
    page.evaluate(
      (i, body, ...rest) => {
        const chat = document.querySelectorAll('ck-chat')[i];
        const inner = (tag) => chat.shadowRoot.querySelector(tag);
        return new Function('chat', 'inner', 'args', body)(chat, inner, rest);
      },
      index,
      `return (${fn})(chat, inner, ...args)`,
      ...args,
    );
  const waitInPane = async (index, fn, ...args) => {
    for (let i = 0; i < 200; i++) {
      if (await inPane(index, fn, ...args)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out: ${fn}`);
  };
  const say = async (index, text) => {
    await inPane(index, (chat, inner) => inner('ck-chat-view').shadowRoot.querySelector('[part=input]').focus());
    await page.keyboard.type(text);
    await page.keyboard.press('Enter');
  };

  // Alice starts a chat with Bob from the picker.
  await inPane(0, (chat) => chat.openPicker());
  await waitInPane(0, (chat, inner) => [...inner('ck-contact-picker').shadowRoot.querySelectorAll('[part~=item]')].some((r) => r.textContent.includes('Bob')));
  await inPane(0, (chat, inner) => [...inner('ck-contact-picker').shadowRoot.querySelectorAll('[part~=item]')].find((r) => r.textContent.includes('Bob')).click());
  await waitInPane(0, (chat) => chat.conversation?.startsWith('bob@'));
  await say(0, 'Hi Bob! Are we still on for the design review at 10:30?');
  await say(0, 'I pushed the new theme: https://example.com/themes/dark');

  // Bob opens it from his list and answers.
  await waitInPane(1, (chat, inner) => inner('ck-conversation-list').shadowRoot.querySelector('[part~=item]'));
  await inPane(1, (chat, inner) => inner('ck-conversation-list').shadowRoot.querySelector('[part~=item]').click());
  await say(1, 'Yes, 10:30 works. *Looks great* in dark mode.');
  await say(1, '好的，我会把打印稿带过去。');
  await waitInPane(0, (chat, inner, n) => inner('ck-chat-view').shadowRoot.querySelectorAll('[part~=bubble]').length >= n, 4);
  await say(0, 'Perfect, see you there.');
  await waitInPane(1, (chat, inner, n) => inner('ck-chat-view').shadowRoot.querySelectorAll('[part~=bubble]').length >= n, 5);
  await page.evaluate(() => document.activeElement?.blur());
  // Let delivery ticks and read markers settle.
  await new Promise((r) => setTimeout(r, 1500));

  await mkdir(OUT, { recursive: true });
  for (const theme of ['light', 'dark']) {
    await page.evaluate((t) => document.documentElement.setAttribute('theme', t), theme);
    await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
    await new Promise((r) => setTimeout(r, 300));
    const file = new URL(`chat-${theme}.png`, OUT);
    await page.screenshot({ path: file.pathname, type: 'png' });
    console.log(`wrote ${file.pathname}`);
  }

  // The phone: carol asks the shop for help and an online agent (alice) answers.
  const phone = await browser.newPage();
  await phone.emulate(PHONE);
  phone.on('pageerror', (err) => console.error('phone page error:', err.message));
  await phone.goto(new URL('service.html?visitor=carol', url).href, { waitUntil: 'load' });
  await phone.waitForFunction(() => document.querySelector('ck-chat-view')?.conversation, { timeout: 30_000 });
  const carolSays = async (text) => {
    await phone.evaluate(() => document.querySelector('ck-chat-view').shadowRoot.querySelector('[part=input]').focus());
    await phone.keyboard.type(text);
    await phone.keyboard.press('Enter');
  };
  await carolSays('Hello! My order #1042 has not arrived yet.');
  const agentPane = await page.evaluate(() => {
    const chats = [...document.querySelectorAll('ck-chat')];
    return chats.findIndex((c) => c.kit?.clientId === 'alice');
  });
  await waitInPane(agentPane, (chat, inner) => [...inner('ck-conversation-list').shadowRoot.querySelectorAll('[part~=item]')].some((r) => r.dataset.id?.startsWith('carol@')));
  await inPane(agentPane, (chat, inner) => [...inner('ck-conversation-list').shadowRoot.querySelectorAll('[part~=item]')].find((r) => r.dataset.id?.startsWith('carol@')).click());
  await say(agentPane, 'Sorry about that! It left our warehouse yesterday and arrives tomorrow.');
  await phone.waitForFunction(() => document.querySelector('ck-chat-view').shadowRoot.querySelectorAll('[part~=bubble]').length >= 2, { timeout: 30_000 });
  await carolSays('Great, thank you!');
  await new Promise((r) => setTimeout(r, 1200));
  await phone.evaluate(() => document.activeElement?.blur());
  for (const theme of ['light', 'dark']) {
    await phone.evaluate((t) => document.documentElement.setAttribute('theme', t), theme);
    await phone.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: theme }]);
    await new Promise((r) => setTimeout(r, 300));
    const file = new URL(`phone-${theme}.png`, OUT);
    await phone.screenshot({ path: file.pathname, type: 'png' });
    console.log(`wrote ${file.pathname}`);
  }
} finally {
  await browser?.close().catch(() => {});
  await demo.stop();
}
