// Runs inside test/csp/page.html (strict CSP, Trusted Types): two kits exchange a message
// through the real server while every CSP / Trusted Types violation is counted, then the
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
  await new Promise((r) => setTimeout(r, 300));
  await alice.close();
  await bob.close();
  report({ ok: true, violations, trustedTypes: typeof (window as { trustedTypes?: unknown }).trustedTypes !== 'undefined' });
}

run().catch((err: unknown) => report({ ok: false, error: String(err), violations }));
