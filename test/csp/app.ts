// Runs inside test/csp/page.html (strict CSP, Trusted Types): two kits exchange messages
// (text, an uploaded image, a location, an edit, a reaction) through the real server while every CSP / Trusted Types violation is counted, then the
// result goes to the parent test page.
import { ChatKit } from '../../src/index.js';

interface Params {
  service: string;
  domain: string;
  alice: { username: string; password: string; jid: string };
  bob: { username: string; password: string; jid: string };
}

const violations: string[] = [];
document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI} ${e.sample}`));

const report = (data: object): void => parent.postMessage({ ckCsp: true, ...data }, '*');

async function run(): Promise<void> {
  const p = JSON.parse(new URLSearchParams(location.search).get('params') ?? '{}') as Params;
  const alice = new ChatKit({ service: p.service, domain: p.domain, storage: 'memory' });
  const bob = new ChatKit({ service: p.service, domain: p.domain, storage: 'memory' });
  await alice.open(p.alice.username, { password: p.alice.password });
  await bob.open(p.bob.username, { password: p.bob.password });
  const view = document.querySelector('#bob') as HTMLElement & { kit: ChatKit; conversation: string | null };
  const list = document.querySelector('#list') as HTMLElement & { kit: ChatKit };
  view.kit = bob;
  view.conversation = p.alice.jid;
  list.kit = bob;
  const body = 'Hello under a strict CSP, with a link https://example.com and *styling*';
  await alice.send(p.bob.jid, body);
  const deadline = performance.now() + 15_000;
  for (;;) {
    const bubble = view.shadowRoot?.querySelector('[part=bubble]');
    const row = list.shadowRoot?.querySelector('[part=item]');
    if (bubble?.textContent?.includes('Hello under a strict CSP') && row) break;
    if (performance.now() > deadline) throw new Error('the message was not rendered');
    await new Promise((r) => setTimeout(r, 50));
  }
  // Reply from bob's composer path too.
  await bob.send(p.alice.jid, 'reply');
  // Rich messages: an uploaded image (thumbnail box sized through CSSOM), a location, an
  // edit, a reaction chip, and the message menu (positioned through CSSOM).
  const canvas = new OffscreenCanvas(40, 30);
  canvas.getContext('2d')!.fillRect(0, 0, 40, 30);
  await alice.sendFile(p.bob.jid, await canvas.convertToBlob({ type: 'image/png' }), { name: 'dot.png' });
  await alice.sendLocation(p.bob.jid, { lat: 48.8584, lon: 2.2945 });
  const firstId = (await alice.db!.messages.where('[conversationId+ts+seq]').between([p.bob.jid, -Infinity, -Infinity], [p.bob.jid, Infinity, Infinity]).first())!.id;
  await alice.edit(firstId, `${body} (edited)`);
  const richDeadline = performance.now() + 15_000;
  for (;;) {
    const root = view.shadowRoot!;
    const img = root.querySelector<HTMLImageElement>('[part~=image] img, img[part~=image]');
    const loaded = !!img && img.complete && img.naturalWidth > 0;
    if (loaded && root.querySelector('[part~=location]') && root.querySelector('[part~=edited]')) break;
    if (performance.now() > richDeadline) throw new Error('the rich messages were not rendered');
    await new Promise((r) => setTimeout(r, 50));
  }
  const theirs = (await bob.db!.messages.toArray()).find((m) => !m.own && m.location)!;
  await bob.react(theirs.id, '👍');
  const bubble = view.shadowRoot!.querySelector<HTMLElement>(`[data-id="${theirs.id}"] [part=bubble]`)!;
  const box = bubble.getBoundingClientRect();
  bubble.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true, cancelable: true, clientX: box.left + 5, clientY: box.top + 5 }));
  const menuDeadline = performance.now() + 5_000;
  while (!view.shadowRoot!.querySelector('[part=message-menu]') || !view.shadowRoot!.querySelector('[part~=reaction]')) {
    if (performance.now() > menuDeadline) throw new Error('the menu or the reaction chip did not render');
    await new Promise((r) => setTimeout(r, 50));
  }
  await new Promise((r) => setTimeout(r, 300));
  await alice.close();
  await bob.close();
  report({ ok: true, violations, trustedTypes: typeof (window as { trustedTypes?: unknown }).trustedTypes !== 'undefined' });
}

run().catch((err: unknown) => report({ ok: false, error: String(err), violations }));
