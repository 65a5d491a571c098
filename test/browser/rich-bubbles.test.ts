// Rich message bubbles and list previews, from records written straight into a memory store:
// what each kind looks like, that image boxes keep their shape before and after loading, that
// the controls call back, and that a log holding every kind passes axe in light and dark.
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { ChatKit, CkChatView, CkConversationList } from '../../src/index.js';
import type { MessageRecord } from '../../src/store/records.js';
import type { MessageTypeDefinition } from '../../src/kit/message-types.js';
import type { RowContext } from '../../src/ui/chat-view/message-row.js';
import type { CkVoicePlayer } from '../../src/ui/chat-view/voice-player.js';
import { translate } from '../../src/i18n/index.js';
import { formatDuration, previewText } from '../../src/render/preview.js';
import { MessageTypes } from '../../src/kit/message-types.js';
import { eventually, part, parts, text } from '../support/kit.js';
import { RICH_PEER, SAMPLE_IMAGE_PATH, previewOf, richKit, richMessages } from '../../stories/rich-fixtures.js';
import { mountRows, spyContext } from '../../stories/rich-rows.js';

const row = (view: Element, id: string) => part(view, `[part~=message][data-id="${id}"]`);
const inRow = <T extends Element = HTMLElement>(view: Element, id: string, selector: string) => row(view, id)?.querySelector<T>(selector) ?? null;

async function openView(kit: ChatKit, conversation = RICH_PEER, height = 2400): Promise<CkChatView> {
  const view = await fixture<CkChatView>(
    html`<ck-chat-view style="display:flex;flex-direction:column;height:${height}px;width:420px" .kit=${kit} conversation=${conversation}></ck-chat-view>`,
  );
  await eventually(() => parts(view, '[part~=message]').length > 0, 'rows');
  return view;
}

const contactCard: MessageTypeDefinition<{ name: string; phone: string }> = {
  type: 'contact-card',
  parse: () => undefined,
  serialize: (d) => ({ name: 'card', attrs: { xmlns: 'urn:example:card' }, children: [d.name] }) as never,
  render: (d) => html`<div class="card-test"><strong>${d.name}</strong> <span>${d.phone}</span></div>`,
  preview: (d) => `[Contact] ${d.name}`,
  fallback: (d) => `Contact card: ${d.name}`,
};

/** Rows alone, in a host removed after the test. */
function mount(records: MessageRecord[], ctx: RowContext): ShadowRoot {
  const host = document.createElement('div');
  host.style.width = '420px';
  mounted.push(host);
  return mountRows(records, ctx, host);
}
const mounted: HTMLElement[] = [];
afterEach(() => mounted.splice(0).forEach((h) => h.remove()));

const byId = (id: string) => richMessages().find((m) => m.id === id)!;

describe('rich bubbles in <ck-chat-view>', () => {
  it('an image reserves its box from the declared size before it loads, and keeps it after', async () => {
    const src = `${location.origin}${SAMPLE_IMAGE_PATH}`;
    const img = (id: string, width?: number, height?: number): MessageRecord => ({
      ...byId('image'),
      id,
      seq: id.length,
      body: src,
      attachment: { url: `${src}?${id}`, name: `${id}.png`, size: 1000, mime: 'image/png', width, height },
    });
    const kit = await richKit([img('landscape', 1600, 1200), img('portrait', 300, 600), img('unknown')]);
    const view = await openView(kit);
    const box = (id: string) => inRow(view, id, '[part=image]')!.getBoundingClientRect();
    const image = inRow<HTMLImageElement>(view, 'portrait', 'img')!;
    // Measured at first paint, whatever the network did meanwhile: the box never depends on it.
    expect([box('landscape').width, box('landscape').height]).to.deep.equal([240, 180]);
    expect([box('portrait').width, box('portrait').height]).to.deep.equal([160, 320]);
    expect([box('unknown').width, box('unknown').height]).to.deep.equal([240, 180]);
    expect(getComputedStyle(inRow(view, 'portrait', '[part=image]')!).aspectRatio).to.equal('160 / 320');
    expect(image.getAttribute('loading')).to.equal('lazy');
    expect(image.getAttribute('decoding')).to.equal('async');
    expect(image.alt).to.equal('portrait.png');
    await eventually(() => image.complete && image.naturalWidth > 0, 'the sample image loaded');
    // The sample's natural shape differs from the declared one: the box stays as reserved.
    expect(image.naturalWidth / image.naturalHeight).to.not.be.closeTo(0.5, 0.01);
    expect([box('portrait').width, box('portrait').height]).to.deep.equal([160, 320]);
    expect(inRow(view, 'portrait', '[part=file]')!.hidden).to.equal(true);
  });

  it('a broken image shows the file card instead', async () => {
    const broken: MessageRecord = {
      ...byId('image'),
      attachment: { url: `${location.origin}/no/such/picture-${Date.now()}.jpg`, name: 'gone.jpg', size: 5000, mime: 'image/jpeg', width: 10, height: 10 },
    };
    const kit = await richKit([broken]);
    const view = await openView(kit);
    await eventually(() => inRow(view, 'image', '[part=file]') && !inRow(view, 'image', '[part=file]')!.hidden, 'file card shown');
    expect(inRow(view, 'image', '[part=image]')!.hidden).to.equal(true);
    expect(text(inRow(view, 'image', '[part=file-name]'))).to.equal('gone.jpg');
  });

  it('a file shows a card: type icon, name, locale-aware size and a safe download link', async () => {
    const kit = await richKit();
    const view = await openView(kit);
    const card = inRow(view, 'file', '[part=file]')!;
    expect(card.dataset.kind).to.equal('pdf');
    const name = inRow(view, 'file', '[part=file-name]')!;
    expect(text(name)).to.equal('tickets-saturday-louvre-and-orsay.pdf');
    expect(name.title).to.equal('tickets-saturday-louvre-and-orsay.pdf');
    expect(getComputedStyle(name).textOverflow).to.equal('ellipsis');
    expect(text(inRow(view, 'file', '[part=file-size]'))).to.equal('48.3 kB');
    const link = inRow<HTMLAnchorElement>(view, 'file', '[part=download]')!;
    expect(link.href).to.equal('https://files.example.com/u/tickets.pdf');
    expect(link.getAttribute('download')).to.equal('tickets-saturday-louvre-and-orsay.pdf');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(link.target).to.equal('_blank');
    expect(link.getAttribute('aria-label')).to.equal('Download tickets-saturday-louvre-and-orsay.pdf');
    expect(text(inRow(view, 'file', '[part=caption]'))).to.equal('The tickets, printed');
    // A 2 MB image's card (shown if it breaks) says so in the reader's locale.
    expect(text(inRow(view, 'image', '[part=file-size]'))).to.equal('2.1 MB');
  });

  it('file sizes follow the kit locale', async () => {
    const kit = await richKit(richMessages(), 'zh-CN');
    const view = await openView(kit);
    expect(text(inRow(view, 'file', '[part=file-size]'))).to.equal(new Intl.NumberFormat('zh-CN', { style: 'unit', unit: 'kilobyte', unitDisplay: 'short', maximumFractionDigits: 1 }).format(48.3));
  });

  it('a voice message gets a compact keyboard-operable player with its duration', async () => {
    const kit = await richKit();
    const view = await openView(kit);
    const player = inRow<CkVoicePlayer>(view, 'voice', 'ck-voice-player')!;
    await player.updateComplete;
    const root = player.shadowRoot!;
    const audios = root.querySelectorAll('audio');
    expect(audios.length).to.equal(1);
    expect(audios[0]!.getAttribute('preload')).to.equal('metadata');
    expect(audios[0]!.getAttribute('src')).to.equal('https://files.example.com/u/voice.ogg');
    expect(text(root.querySelector('[part=duration]'))).to.equal('0:07');
    const button = root.querySelector<HTMLButtonElement>('[part=play-button]')!;
    expect(button.localName).to.equal('button');
    expect(button.getAttribute('aria-label')).to.equal('Play voice message');
    expect(root.querySelector('[part=progress]')!.getAttribute('aria-label')).to.equal('Playback position');
    const played: HTMLMediaElement[] = [];
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
      played.push(this);
      return Promise.resolve();
    };
    try {
      button.focus();
      button.click();
      await eventually(() => button.getAttribute('aria-label') === 'Pause voice message', 'pause label while playing');
      expect(played).to.deep.equal([audios[0]]);
    } finally {
      HTMLMediaElement.prototype.play = play;
    }
  });

  it('an own upload shows the card, its progress and a cancel button that calls the kit', async () => {
    const kit = await richKit();
    const cancelled: string[] = [];
    kit.cancelUpload = async (id) => {
      cancelled.push(id);
    };
    const view = await openView(kit);
    expect(row(view, 'upload')!.dataset.kind).to.equal('upload');
    expect(text(inRow(view, 'upload', '[part=file-name]'))).to.equal('holiday.mov');
    expect(inRow(view, 'upload', '[part=download]')).to.equal(null);
    const bar = inRow(view, 'upload', '[role=progressbar]')!;
    expect(bar.getAttribute('aria-valuenow')).to.equal('42');
    expect(bar.getAttribute('aria-label')).to.equal('Uploading holiday.mov');
    await kit.db!.messages.update('upload', { upload: { progress: 0.9 } });
    await eventually(() => inRow(view, 'upload', '[role=progressbar]')?.getAttribute('aria-valuenow') === '90', 'progress follows the store');
    inRow<HTMLButtonElement>(view, 'upload', '[part=cancel-upload]')!.click();
    await eventually(() => cancelled.length > 0, 'kit.cancelUpload called');
    expect(cancelled).to.deep.equal(['upload']);
  });

  it('a failed upload shows the card without progress, and the failure row', async () => {
    const failed: MessageRecord = { ...byId('upload'), state: 'failed', error: 'Upload refused' };
    const kit = await richKit([failed]);
    const view = await openView(kit);
    expect(inRow(view, 'upload', '[role=progressbar]')).to.equal(null);
    expect(text(inRow(view, 'upload', '[part=file-name]'))).to.equal('holiday.mov');
    await eventually(() => text(part(view, '.failure')).includes('Upload refused'), 'failure row');
  });

  it('a location shows its coordinates and an OpenStreetMap link', async () => {
    const kit = await richKit();
    const view = await openView(kit);
    expect(text(inRow(view, 'location', '[part=coordinates]'))).to.equal('48.8584°, 2.2945°');
    expect(text(inRow(view, 'location', '.accuracy'))).to.equal('within 35 m');
    const link = inRow<HTMLAnchorElement>(view, 'location', '[part=map-link]')!;
    expect(link.href).to.equal('https://www.openstreetmap.org/?mlat=48.8584&mlon=2.2945#map=16/48.8584/2.2945');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(link.target).to.equal('_blank');
  });

  it('a registered custom type renders its own bubble; an unknown one shows its fallback text', async () => {
    const kit = await richKit();
    kit.registerMessageType(contactCard);
    const view = await openView(kit);
    const card = await eventually(() => inRow(view, 'custom', '[part=custom] .card-test'), 'custom bubble');
    expect(text(card)).to.equal('Carol Diaz +33 1 23 45 67 89');
    expect(text(inRow(view, 'unknown-custom', '[part=bubble]'))).to.equal('Poll: lunch at noon? (open in the app to vote)');
  });

  it('an edited message says so beside the time, with the edit time as its title', async () => {
    const kit = await richKit();
    const view = await openView(kit);
    const mark = inRow(view, 'edited', '[part=edited]')!;
    expect(text(mark)).to.equal('edited');
    expect(mark.title).to.match(/^Edited .*2026/);
    expect(inRow(view, 'text', '[part=edited]')).to.equal(null);
  });

  it('a recalled message shows a muted notice instead of its content', async () => {
    const withReply: MessageRecord = { ...byId('recalled-peer'), reply: { ref: 'x', excerpt: 'secret' }, reactions: { '👍': ['bob'] } };
    const kit = await richKit([withReply, byId('recalled-own')]);
    const view = await openView(kit);
    expect(text(inRow(view, 'recalled-peer', '[part=bubble]'))).to.equal('This message was recalled');
    expect(text(inRow(view, 'recalled-own', '[part=bubble]'))).to.equal('You recalled a message');
    expect(getComputedStyle(inRow(view, 'recalled-own', '[part=recalled]')!).fontStyle).to.equal('italic');
    expect(inRow(view, 'recalled-peer', '[part=reply-quote]')).to.equal(null);
    expect(inRow(view, 'recalled-peer', '[part=reactions]')).to.equal(null);
  });

  it('a reply quotes its original (author, excerpt) above the body', async () => {
    const kit = await richKit();
    const view = await openView(kit);
    const quote = inRow<HTMLButtonElement>(view, 'reply', '[part=reply-quote]')!;
    expect(quote.localName).to.equal('button');
    expect(text(quote)).to.equal('In reply to bob: Here is the plan for Saturday: *museum* first, then lunch.');
    expect(text(quote.querySelector('[part=reply-author]'))).to.equal('bob');
    expect(text(quote.querySelector('[part=reply-excerpt]'))).to.equal('Here is the plan for Saturday: *museum* first, then lunch.');
    // The excerpt is plain text: no styling elements from the quoted body.
    expect(quote.querySelectorAll('strong, em, a').length).to.equal(0);
    expect(text(inRow(view, 'reply', '[part=bubble]'))).to.match(/Yes, agreed!$/);
  });

  it('reactions show as chips: emoji, count, pressed when mine, who in the label', async () => {
    const kit = await richKit();
    const view = await openView(kit);
    const chips = [...row(view, 'reactions')!.querySelectorAll<HTMLButtonElement>('[part=reaction]')];
    expect(chips.map((c) => `${text(c.querySelector('.emoji'))} ${text(c.querySelector('.count'))}`)).to.deep.equal(['👍 2', '🎉 1']);
    expect(chips.map((c) => c.getAttribute('aria-pressed'))).to.deep.equal(['true', 'false']);
    // Who reacted: read out with the chip (hidden text), and its tooltip.
    expect(chips.map((c) => text(c))).to.deep.equal(['👍 2 from You and bob', '🎉 1 from carol']);
    expect(chips[0]!.title).to.equal('👍 from You and bob');
    expect(chips[1]!.title).to.equal('🎉 from carol');
  });
});

describe('rich bubble callbacks (row context)', () => {
  it('image, cancel, reply and reaction controls call the context with the message', async () => {
    const ctx = spyContext();
    const root = mount([byId('image'), byId('upload'), byId('reply'), byId('reactions')], ctx);
    root.querySelector<HTMLButtonElement>('[data-id=image] [part=image]')!.click();
    root.querySelector<HTMLButtonElement>('[data-id=upload] [part=cancel-upload]')!.click();
    root.querySelector<HTMLButtonElement>('[data-id=reply] [part=reply-quote]')!.click();
    root.querySelectorAll<HTMLButtonElement>('[data-id=reactions] [part=reaction]')[1]!.click();
    expect(ctx.calls).to.deep.equal([
      ['openImage', 'image'],
      ['cancelUpload', 'upload'],
      ['jumpTo', { id: 'text', ref: 'text' }],
      ['toggleReaction', ['reactions', '🎉']],
    ]);
    // Names come from nameOf; the viewer is "You".
    expect(text(root.querySelector('[data-id=reply] [part=reply-author]'))).to.equal('Bob Martin');
    expect(root.querySelector<HTMLElement>('[data-id=reactions] [part=reaction]')!.title).to.equal('👍 from You and Bob Martin');
  });

  it('captions keep text rendering (allowed links only, styling); reply excerpts stay plain', () => {
    const caption: MessageRecord = { ...byId('file'), body: 'see *this* https://example.com/a and javascript:alert(1) or mailto:bob@example.com' };
    const reply: MessageRecord = { ...byId('reply'), reply: { ref: 'r', excerpt: 'visit https://example.com/b *now*' } };
    const root = mount([caption, reply], spyContext());
    const links = [...root.querySelectorAll<HTMLAnchorElement>('[part=caption] a')];
    expect(links.map((a) => a.href)).to.deep.equal(['https://example.com/a', 'mailto:bob@example.com']);
    expect(links.every((a) => a.rel === 'noopener noreferrer')).to.equal(true);
    expect(text(root.querySelector('[part=caption] strong'))).to.equal('*this*');
    expect(root.querySelectorAll('[part=reply-excerpt] *').length).to.equal(0);
  });

  it('a reply whose original is not stored jumps by its wire ref', () => {
    const ctx = spyContext();
    const root = mount([{ ...byId('reply'), reply: { ref: 'wire-7' } }], ctx);
    const quote = root.querySelector<HTMLButtonElement>('[part=reply-quote]')!;
    expect(text(quote.querySelector('[part=reply-excerpt]'))).to.equal('Original message');
    quote.click();
    expect(ctx.calls).to.deep.equal([['jumpTo', { ref: 'wire-7' }]]);
  });

  it("the integrator's location renderer replaces the default; one that throws falls back to it", () => {
    const drawn = mount([byId('location')], spyContext({ renderLocation: (m) => html`<div class="map-test">${m.location!.lat}</div>` }));
    expect(text(drawn.querySelector('[part=location] .map-test'))).to.equal('48.8584');
    expect(drawn.querySelector('[part=map-link]')).to.equal(null);
    const thrown = mount(
      [byId('location')],
      spyContext({
        renderLocation: () => {
          throw new Error('map failed');
        },
      }),
    );
    expect(thrown.querySelector('[part=map-link]')).to.not.equal(null);
  });

  it('a custom renderer that throws shows the fallback body, and the rest of the log still renders', () => {
    const ctx = spyContext({
      renderCustom: () => {
        throw new Error('integrator bug');
      },
    });
    const root = mount([byId('custom'), byId('text')], ctx);
    expect(text(root.querySelector('[data-id=custom] [part=bubble]'))).to.equal('Contact card: Carol Diaz, +33 1 23 45 67 89');
    expect(text(root.querySelector('[data-id=text] [part=bubble]'))).to.contain('Here is the plan');
  });

  it('audio files that are not voice messages get the player too; video gets the file card', () => {
    const audio: MessageRecord = { ...byId('voice'), attachment: { url: 'https://x.example/a.mp3', name: 'song.mp3', size: 3_000_000, mime: 'audio/mpeg' } };
    const video: MessageRecord = { ...byId('voice'), id: 'video', attachment: { url: 'https://x.example/v.mp4', name: 'clip.mp4', size: 3_000_000, mime: 'video/mp4' } };
    const root = mount([audio, video], spyContext());
    expect(root.querySelector('[data-id=voice] ck-voice-player')).to.not.equal(null);
    expect(root.querySelector<HTMLElement>('[data-id=video] [part=file]')!.dataset.kind).to.equal('video');
  });
});

describe('conversation list previews of rich messages', () => {
  const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('en', key, params);

  it('previewText names each kind', () => {
    const types = new MessageTypes();
    types.register(contactCard);
    const p = (id: string) => previewText(previewOf(byId(id)), { t, types });
    expect(p('image')).to.equal('[Image]');
    expect(p('file')).to.equal('[File] tickets-saturday-louvre-and-orsay.pdf');
    expect(previewText({ ...previewOf(byId('voice')), attachment: { name: 'v.ogg', mime: 'audio/ogg', voice: true, duration: 7_000 } }, { t })).to.equal('[Voice] 0:07');
    expect(p('voice')).to.equal('[Voice]');
    expect(p('location')).to.equal('[Location]');
    expect(p('recalled-peer')).to.equal('Message recalled');
    expect(p('custom')).to.equal('[Contact] Carol Diaz');
    expect(p('unknown-custom')).to.equal('Poll: lunch at noon? (open in the app to vote)');
    expect(p('text')).to.equal('Here is the plan for Saturday: *museum* first, then lunch.');
    expect(formatDuration(65_400)).to.equal('1:05');
    expect(formatDuration(3_725_000)).to.equal('1:02:05');
  });

  it('a preview that throws or is too long falls back or is cut', () => {
    const types = new MessageTypes();
    types.register({ ...contactCard, preview: () => { throw new Error('bad'); } });
    expect(previewText(previewOf(byId('custom')), { t, types })).to.equal('Contact card: Carol Diaz, +33 1 23 45 67 89');
    const long = previewText({ ...previewOf(byId('file')), attachment: { name: 'x'.repeat(500), mime: 'application/zip' } }, { t });
    expect(long.length).to.equal(120);
    expect(long.endsWith('…')).to.equal(true);
  });

  it('<ck-conversation-list> shows each kind in its preview line', async () => {
    const all = richMessages();
    // One conversation per kind, each ending with that message.
    const kinds = ['image', 'file', 'location', 'recalled-peer', 'custom', 'unknown-custom'];
    const records = kinds.map((id, i) => ({ ...all.find((m) => m.id === id)!, conversationId: `p${i}@example.com`, ts: Date.UTC(2026, 0, 5, 10, i) }));
    const kit = await richKit(records);
    kit.registerMessageType(contactCard);
    const list = await fixture<CkConversationList>(html`<ck-conversation-list style="display:block;height:800px" .kit=${kit}></ck-conversation-list>`);
    const preview = (i: number) => text(list.shadowRoot!.querySelector(`[part~=item][data-id="p${i}@example.com"] [part=preview]`));
    await eventually(() => preview(0) !== '', 'previews');
    expect(kinds.map((_, i) => preview(i))).to.deep.equal([
      '[Image]',
      'You: [File] tickets-saturday-louvre-and-orsay.pdf',
      '[Location]',
      'Message recalled',
      '[Contact] Carol Diaz',
      'Poll: lunch at noon? (open in the app to vote)',
    ]);
  });
});

describe('rich bubbles accessibility (axe)', () => {
  afterEach(() => document.documentElement.removeAttribute('theme'));
  for (const theme of ['light', 'dark'] as const) {
    it(`a log with every kind has no axe violations (${theme})`, async () => {
      const kit = await richKit();
      document.documentElement.setAttribute('theme', theme);
      const view = await openView(kit, RICH_PEER, 3000);
      await eventually(() => parts(view, '[part~=message]').length === richMessages().length, 'every row');
      await expect(view).to.be.accessible();
    });
  }
});
