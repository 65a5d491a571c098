// The demo's servers, for `npm run demo` and the screenshot script: a Prosody with the demo
// users (alice, bob, carol: friends; alice and bob are carol's shop agents) and the demo
// pages on Vite's dev server, whose app-server middleware reads its settings from the env.
import { createServer } from 'vite';
import { DEMO_USERS, DOMAIN, seedDemo, signatureSecret, startProsody } from './prosody.mjs';

/**
 * @param {{ httpPort?: number, c2sPort?: number, demoPort?: number, logLevel?: 'info' | 'warn' }} [options]
 */
export async function startDemo({ httpPort, c2sPort, demoPort, logLevel = 'info' } = {}) {
  const prosody = await startProsody({ httpPort, c2sPort });
  try {
    await seedDemo(prosody);
    // The customer-service page (/service.html): carol is the visitor, alice and bob the agents.
    await prosody.befriend(
      [
        ['carol', 'alice'],
        ['carol', 'bob'],
      ],
      { group: 'Agents', names: Object.fromEntries(DEMO_USERS.map((u) => [u.username, u.name])) },
    );
    process.env.CK_SERVICE = prosody.service;
    process.env.CK_DOMAIN = DOMAIN;
    process.env.CK_DEMO_USERS = JSON.stringify(DEMO_USERS);
    // The app server signs group actions with the secret Prosody's mod_ck_signature checks.
    process.env.CK_SIGNATURE_SECRET = signatureSecret();
    if (demoPort) process.env.CK_DEMO_PORT = String(demoPort);
    const vite = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname, logLevel });
    await vite.listen();
    const url = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
    const stop = async () => {
      await vite.close().catch(() => {});
      await prosody.stop().catch(() => {});
    };
    return { prosody, vite, url, stop };
  } catch (err) {
    await prosody.stop().catch(() => {});
    throw err;
  }
}
