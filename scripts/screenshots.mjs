#!/usr/bin/env node
// Writes docs/screenshots/chat-light.png and chat-dark.png from the real demo page: starts a
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
import { freePort, seedDemo, startProsody } from './prosody.mjs';
import { DEMO_USERS, DOMAIN, signatureSecret } from './prosody.mjs';
import puppeteer from 'puppeteer-core';
import { createServer } from 'vite';

const OUT = new URL('../docs/screenshots/', import.meta.url);
const VIEWPORT = { width: 1200, height: 700 };

const prosody = await startProsody({ httpPort: await freePort(), c2sPort: await freePort() });
let vite;
let browser;
try {
  await seedDemo(prosody);
  process.env.CK_SERVICE = prosody.service;
  process.env.CK_DOMAIN = DOMAIN;
  process.env.CK_DEMO_USERS = JSON.stringify(DEMO_USERS);
  process.env.CK_SIGNATURE_SECRET = signatureSecret();
  process.env.CK_DEMO_PORT = String(await freePort());
  vite = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
  await vite.listen();
  const url = vite.resolvedUrls.local[0];

  browser = await puppeteer.launch({
    executablePath: process.env.CK_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
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
} finally {
  await browser?.close().catch(() => {});
  await vite?.close().catch(() => {});
  await prosody.stop().catch(() => {});
}
