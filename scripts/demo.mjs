#!/usr/bin/env node
// `npm run demo`: a local Prosody with the demo users (alice, bob, carol; mutual
// friends) and the demo pages on Vite's dev server. Ctrl+C stops both.
import { DEMO_C2S_PORT, DEMO_HTTP_PORT, DEMO_USERS } from './prosody.mjs';
import { startDemo } from './demo-server.mjs';

const demo = await startDemo({
  httpPort: Number(process.env.CK_HTTP_PORT || DEMO_HTTP_PORT),
  c2sPort: Number(process.env.CK_C2S_PORT || DEMO_C2S_PORT),
});
console.log(
  `\nxmpp-chatkit demo: ${demo.url}\n  customer service (phone layout): ${demo.url}service.html\n  React: ${demo.url}react/   Vue: ${demo.url}vue/\n` +
    `XMPP server: ${demo.prosody.service} (users ${DEMO_USERS.map((u) => `${u.username}/${u.password}`).join(', ')})\n`,
);

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await demo.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
