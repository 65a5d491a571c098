// Hostile rich messages: file names, captions, attachment URLs, custom payload fields, reply
// excerpts and reaction keys from the hostile corpus. All of it must show as text: nothing
// executes, no CSP violation, no element or URL attribute made from it, no navigation.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { CkChatView, CkConversationList } from '../../src/index.js';
import type { CustomData, MessageRecord } from '../../src/store/records.js';
import type { MessageTypeDefinition } from '../../src/kit/message-types.js';
import { plainPreview } from '../../src/render/text.js';
import { HOSTILE, shortHostile } from '../fixtures/hostile-strings.js';
import { installGuard, type Guard } from '../support/dom-guard.js';
import { eventually, parts, text } from '../support/kit.js';
import { RICH_PEER, richKit, richMessages } from '../../stories/rich-fixtures.js';
import { mountRows, spyContext } from '../../stories/rich-rows.js';

let guard: Guard;
const hosts: HTMLElement[] = [];
let startUrl = '';
beforeEach(() => {
  guard = installGuard();
  startUrl = location.href;
});
afterEach(() => {
  guard.stop();
  hosts.splice(0).forEach((h) => h.remove());
});

const settle = (ms = 200) => new Promise((r) => setTimeout(r, ms));

function mount(records: MessageRecord[], ctx = spyContext()): ShadowRoot {
  const host = document.createElement('div');
  hosts.push(host);
  return mountRows(records, ctx, host);
}

/** Every element under `root`, into the shadow roots of nested elements (the voice player). */
function deepAll(root: ParentNode): Element[] {
  const out: Element[] = [];
  for (const el of root.querySelectorAll('*')) {
    out.push(el);
    if (el.shadowRoot) out.push(...deepAll(el.shadowRoot));
  }
  return out;
}

function expectClean(what: string, root: ParentNode): void {
  guard.scan();
  expect(guard.executions, `${what}: payloads executed`).to.deep.equal([]);
  expect(guard.violations, `${what}: CSP violations`).to.deep.equal([]);
  expect(guard.findings.slice(0, 10), `${what}: dangerous DOM`).to.deep.equal([]);
  const els = deepAll(root);
  const badHref = els.filter((el) => el.hasAttribute('href') && !/^(https?:|mailto:|xmpp:)/i.test(el.getAttribute('href')!));
  expect(badHref.map((el) => el.getAttribute('href')!.slice(0, 80)), `${what}: hrefs outside the allow-list`).to.deep.equal([]);
  const badSrc = els.filter((el) => el.hasAttribute('src') && !/^https?:/i.test(el.getAttribute('src')!));
  expect(badSrc.map((el) => el.getAttribute('src')!.slice(0, 80)), `${what}: non-http(s) sources`).to.deep.equal([]);
  expect(location.href, `${what}: navigated`).to.equal(startUrl);
}

/** Not http(s): any of these as an attachment URL must give neither a link, an image nor a player. */
const BAD_URLS = [
  'javascript:window.__ckPwn(901)',
  'JaVaScRiPt:window.__ckPwn(902)',
  ' javascript:window.__ckPwn(903)',
  'java\tscript:window.__ckPwn(904)',
  'data:text/html,<script>window.__ckPwn(905)</script>',
  'data:image/svg+xml,<svg onload=window.__ckPwn(906)>',
  'data:image/png;base64,iVBORw0KGgo=',
  'blob:https://files.example.com/0b3b0e1c',
  'file:///etc/passwd',
  'ftp://files.example.com/a.png',
  '//evil.example/a.png',
  '/relative/a.png',
  'https://user:pw@evil.example/a.png',
  'xmpp:mallory@example.com',
  'mailto:mallory@example.com',
  '',
  ...HOSTILE.filter((s) => !/^https?:/i.test(s) && s.length < 400).slice(0, 120),
];

describe('hostile rich messages render as inert text', () => {
  it(`file names and captions: ${shortHostile(300).length} corpus strings`, async () => {
    const strings = shortHostile(300);
    const records: MessageRecord[] = strings.map((s, i) => ({
      ...richMessages().find((m) => m.id === 'file')!,
      id: `f${i}`,
      seq: i,
      body: s,
      // Not an image or audio type: a card with a link, nothing fetched.
      attachment: { url: `https://files.example.com/f/${i}`, name: s, size: i, mime: 'application/octet-stream' },
    }));
    const root = mount(records);
    await settle();
    expectClean('file cards', root);
    strings.forEach((s, i) => {
      const row = root.querySelector(`[data-id="f${i}"]`)!;
      const name = row.querySelector('[part=file-name]')!;
      const expected = s.trim() || String(i);
      expect(name.textContent, `name ${i}`).to.equal(expected);
      expect(name.childElementCount, `name ${i} elements`).to.equal(0);
      expect(row.querySelector('[part=download]')!.getAttribute('download'), `download ${i}`).to.equal(expected);
      const caption = row.querySelector('[part=caption]');
      if (s.trim()) expect(caption?.textContent, `caption ${i}`).to.equal(s);
    });
  });

  it(`attachment URLs that are not http(s) (${BAD_URLS.length}) give no link, image or player`, async () => {
    const mimes = [{ mime: 'image/png' }, { mime: 'audio/ogg', voice: true }, { mime: 'audio/mpeg' }, { mime: 'application/pdf' }];
    const records: MessageRecord[] = BAD_URLS.flatMap((url, i) =>
      mimes.map((m, k) => ({
        ...richMessages().find((r) => r.id === 'file')!,
        id: `u${i}-${k}`,
        seq: i * 10 + k,
        body: url,
        attachment: { url, name: `n${i}`, size: 10, ...m },
      })),
    );
    const root = mount(records);
    await settle();
    expectClean('bad URLs', root);
    for (const r of records) {
      const row = root.querySelector(`[data-id="${r.id}"]`)!;
      expect(row.getAttribute('data-kind'), r.id).to.equal('file');
      expect(row.querySelector('a, img, audio, ck-voice-player'), `${r.id}: ${r.attachment!.url.slice(0, 40)}`).to.equal(null);
    }
  });

  it('custom payload fields with markup stay text, in the bubble and in the fallback', async () => {
    const strings = shortHostile(300).filter((s) => /<|javascript:/i.test(s));
    expect(strings.length).to.be.at.least(100);
    const def: MessageTypeDefinition<{ title: string; note: string }> = {
      type: 'note',
      parse: () => undefined,
      serialize: () => ({ name: 'note', attrs: {}, children: [] }) as never,
      render: (d) => html`<b class="title">${d.title}</b><span class="note" title=${d.note}>${d.note}</span>`,
      preview: (d) => d.title,
      fallback: (d) => d.note,
    };
    const records = strings.flatMap((s, i): MessageRecord[] => [
      { ...richMessages()[0]!, id: `c${i}`, seq: 2 * i, body: s, custom: { type: 'note', data: { title: s, note: s } } },
      { ...richMessages()[0]!, id: `x${i}`, seq: 2 * i + 1, body: s, custom: { type: 'unknown', data: { html: s } } },
    ]);
    const ctx = spyContext({
      renderCustom: (m) => (m.custom?.type === 'note' ? def.render(m.custom.data as { title: string; note: string }, { message: m }) : undefined),
    });
    const root = mount(records, ctx);
    await settle();
    expectClean('custom types', root);
    strings.forEach((s, i) => {
      const custom = root.querySelector(`[data-id="c${i}"] [part=custom]`)!;
      expect(custom.querySelector('.title')!.textContent).to.equal(s);
      expect(custom.querySelector('.note')!.textContent).to.equal(s);
      expect(custom.querySelectorAll('*').length, `custom ${i} elements`).to.equal(2);
      expect(root.querySelector(`[data-id="x${i}"] [part=bubble]`)!.textContent).to.equal(s);
    });
  });

  it('reply authors and excerpts, reaction emoji and reactors with markup stay text', async () => {
    const strings = shortHostile(300);
    const records: MessageRecord[] = strings.map((s, i) => ({
      ...richMessages()[0]!,
      id: `r${i}`,
      seq: i,
      body: 'ok',
      reply: { ref: s, id: s, to: s, excerpt: s },
      reactions: { [s.slice(0, 30) || '👍']: [s, 'bob'], [s]: [s] },
    }));
    const root = mount(records);
    await settle();
    expectClean('replies and reactions', root);
    strings.forEach((s, i) => {
      const quote = root.querySelector(`[data-id="r${i}"] [part=reply-quote]`)!;
      const excerpt = quote.querySelector('[part=reply-excerpt]')!;
      expect(excerpt.childElementCount).to.equal(0);
      expect(excerpt.textContent).to.equal(s.trim() ? plainPreview(s, 200) : 'Original message');
      expect(quote.querySelector('[part=reply-author]')?.textContent ?? '').to.equal(s);
      for (const chip of root.querySelectorAll(`[data-id="r${i}"] [part=reaction]`)) {
        expect(chip.querySelectorAll('*').length).to.equal(3);
      }
    });
  });

  it('malformed records (wrong types, NaN, missing fields) render without throwing', async () => {
    const base = richMessages()[0]!;
    const odd = [
      { attachment: { url: 42, name: null, size: 'big', mime: {} } },
      { attachment: { url: 'https://files.example.com/x', name: '', size: -1, mime: 'image/png', width: NaN, height: Infinity } },
      { attachment: { url: 'https://files.example.com/y', name: 'y', size: 1e300, mime: 'application/zip' }, upload: { progress: NaN }, own: true },
      { location: { lat: NaN, lon: 2 }, body: 'geo:nonsense' },
      { location: { lat: 91, lon: 2 }, body: 'geo:91,2' },
      { location: { lat: '48', lon: '2' }, body: 'geo:48,2' },
      { edited: NaN },
      { reactions: { '👍': 'bob', '❤️': [1, null], '': ['bob'] } },
      { reactions: 'lots' },
      { reply: { ref: 7, excerpt: { html: '<b>' }, to: 3 } },
      { custom: { type: 5, data: null } },
      { body: undefined },
      { retracted: true, body: '<script>window.__ckPwn(950)</script>' },
    ].map((over, i) => ({ ...base, id: `o${i}`, seq: i, ...over }) as unknown as MessageRecord);
    const root = mount(odd);
    await settle();
    expectClean('malformed', root);
    expect(root.querySelectorAll('[part~=message]').length).to.equal(odd.length);
    expect(root.querySelector('[data-id=o3]')!.getAttribute('data-kind')).to.equal('text');
    expect(root.querySelector('[data-id=o2] [role=progressbar]')!.getAttribute('aria-valuenow')).to.equal('0');
  });

  it('through <ck-chat-view> and <ck-conversation-list>: hostile rich records and previews', async () => {
    const strings = shortHostile(200).filter((s) => /<|javascript:|data:/i.test(s)).slice(0, 40);
    const base = richMessages()[0]!;
    const records: MessageRecord[] = [];
    strings.forEach((s, i) => {
      const cid = `h${i}@example.com`;
      const kinds: Array<Partial<MessageRecord>> = [
        { body: s, attachment: { url: BAD_URLS[i % BAD_URLS.length]!, name: s, size: 1, mime: 'image/png' } },
        { body: s, reply: { ref: 'x', excerpt: s, to: s }, reactions: { '👍': [s] } },
        { body: s, custom: { type: 'note', data: { title: s } as CustomData } },
        { body: s, attachment: { url: 'https://files.example.com/z', name: s, size: 1, mime: 'application/zip' } },
      ];
      kinds.forEach((k, j) => records.push({ ...base, id: `v${i}-${j}`, conversationId: i < 10 ? RICH_PEER : cid, seq: i * 10 + j, ts: base.ts + i * 1000 + j, ...k }));
    });
    const kit = await richKit(records);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;flex-direction:column;height:900px" .kit=${kit} conversation=${RICH_PEER}></ck-chat-view>`);
    const list = await fixture<CkConversationList>(html`<ck-conversation-list style="display:block;height:900px" .kit=${kit}></ck-conversation-list>`);
    await eventually(() => parts(view, '[part~=message]').length >= 40, 'chat rows');
    await eventually(() => parts(list, '[part~=item]').length > 5, 'list rows');
    await settle(300);
    expectClean('view', view.shadowRoot!);
    expectClean('list', list.shadowRoot!);
    // Each list preview is the plain text it stands for: "[File] <name>" for the zip cards.
    for (const item of parts(list, '[part~=item]')) {
      const preview = item.querySelector('[part=preview]')!;
      expect(preview.querySelectorAll('*:not([part=marker])').length, text(preview)).to.equal(0);
    }
    // The newest conversation is at the top, so rendered; its last message is a zip card.
    const i = strings.length - 1;
    const zip = parts(list, `[part~=item][data-id="h${i}@example.com"] [part=preview]`)[0];
    expect(zip?.textContent).to.equal(plainPreview(`[File] ${strings[i]!}`));
  });
});
