#!/usr/bin/env node
// `npm run demo`: a local Prosody with the demo users (alice, bob, carol; mutual
// friends) and the demo page on Vite's dev server. Ctrl+C stops both.
import { createServer } from 'vite';
import { DEMO_C2S_PORT, DEMO_HTTP_PORT, DEMO_USERS, DOMAIN, seedDemo, signatureSecret, startProsody } from './prosody.mjs';

const httpPort = Number(process.env.CK_HTTP_PORT || DEMO_HTTP_PORT);
const c2sPort = Number(process.env.CK_C2S_PORT || DEMO_C2S_PORT);

const prosody = await startProsody({ httpPort, c2sPort });
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

const vite = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname });
await vite.listen();
const url = vite.resolvedUrls?.local[0] ?? 'http://127.0.0.1:5173/';
console.log(`\nxmpp-chatkit demo: ${url}\nXMPP server: ${prosody.service} (users ${DEMO_USERS.map((u) => `${u.username}/${u.password}`).join(', ')})\n`);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await vite.close().catch(() => {});
  await prosody.stop().catch(() => {});
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
