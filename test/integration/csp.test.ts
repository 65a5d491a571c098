import { expect } from '@open-wc/testing';
import { createUsers } from '../support/server.js';
import { useServer } from '../support/kit.js';

const server = useServer();

interface CspResult {
  ok: boolean;
  error?: string;
  violations: string[];
  trustedTypes: boolean;
}

describe('strict Content Security Policy', () => {
  it('the chat flow, rich messages and the message menu work with zero CSP and zero Trusted Types violations', async function () {
    this.timeout(60_000);
    const [alice, bob] = await createUsers(server, 2, 'csp');
    const params = { service: server.service, domain: server.domain, alice, bob };
    const frame = document.createElement('iframe');
    const result = new Promise<CspResult>((resolve) => {
      addEventListener('message', function onMessage(e: MessageEvent) {
        if ((e.data as { ckCsp?: boolean })?.ckCsp) {
          removeEventListener('message', onMessage);
          resolve(e.data as CspResult);
        }
      });
    });
    frame.src = `/test/csp/page.html?params=${encodeURIComponent(JSON.stringify(params))}`;
    frame.style.cssText = 'width: 600px; height: 600px';
    document.body.append(frame);
    try {
      const r = await result;
      expect(r.error, r.error).to.equal(undefined);
      expect(r.ok).to.equal(true);
      expect(r.trustedTypes, 'Trusted Types are available to enforce').to.equal(true);
      expect(r.violations).to.deep.equal([]);
    } finally {
      frame.remove();
    }
  });
});
