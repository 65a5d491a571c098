#!/usr/bin/env node
// Reproduces a Prosody 0.12 behaviour the chaos harness works around (test/chaos/sockets.ts):
// a WebSocket close frame sent by the client on a connection that RESUMED an XEP-0198 session
// is never answered, and the TCP connection stays open, so a browser's `ws.close()` hangs in
// CLOSING (Chromium gives up only after its closing-handshake timeout). The same close on a
// fresh session is answered at once.
//
//   node scripts/chaos/ws-close-after-resume.mjs
//
// Prints one line per step; exits 0 when the resumed connection's close is answered, 1 when it
// is not (the behaviour seen with Prosody 0.12.3), 2 on any other failure.
// Cause, from Prosody 0.12.3's sources: on resume, mod_smacks points the new connection at the
// original session (c2s_sessions[conn] = original_session), whose `session.data` closure
// (mod_c2s.lua, `local filter = session.filter`) still runs the ORIGINAL connection's
// "bytes/in" filters; mod_websocket's filter of the first connection therefore parses the new
// connection's frames and writes its close reply (and conn:close()) to the first, long closed,
// connection. Ping frames are answered there too.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (typeof globalThis.WebSocket !== 'function') {
  // Node 20 has WebSocket behind a flag only.
  const r = spawnSync(process.execPath, ['--experimental-websocket', '--no-warnings', fileURLToPath(import.meta.url)], { stdio: 'inherit' });
  process.exit(r.status ?? 2);
}

const { startProsody } = await import('../prosody.mjs');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const server = await startProsody();
let code = 2;
try {
  await server.createUsers([{ username: 'wsclose', password: 'wsclose-pass' }]);

  function connect() {
    const ws = new WebSocket(server.service, ['xmpp']);
    const inbox = [];
    ws.onmessage = (e) => inbox.push(String(e.data));
    const closed = new Promise((resolve) => (ws.onclose = (e) => resolve(`close event code=${e.code} clean=${e.wasClean}`)));
    const opened = new Promise((resolve, reject) => {
      ws.onopen = resolve;
      ws.onerror = () => reject(new Error('WebSocket error'));
    });
    async function until(re, ms = 3000) {
      const deadline = Date.now() + ms;
      while (Date.now() < deadline) {
        const i = inbox.findIndex((m) => re.test(m));
        if (i >= 0) return inbox.splice(0, i + 1)[i];
        await sleep(10);
      }
      throw new Error(`no frame matching ${re} within ${ms} ms`);
    }
    return { ws, until, closed, opened };
  }
  const open = '<open xmlns="urn:ietf:params:xml:ns:xmpp-framing" to="localhost" version="1.0"/>';
  const auth = `<auth xmlns="urn:ietf:params:xml:ns:xmpp-sasl" mechanism="PLAIN">${Buffer.from('\0wsclose\0wsclose-pass').toString('base64')}</auth>`;
  async function login(c) {
    await c.opened;
    c.ws.send(open);
    await c.until(/stream:features/);
    c.ws.send(auth);
    await c.until(/<success/);
    c.ws.send(open);
    await c.until(/urn:ietf:params:xml:ns:xmpp-bind/);
  }
  const answered = (c) => Promise.race([c.closed, sleep(5000).then(() => null)]);

  const first = connect();
  await login(first);
  first.ws.send('<iq type="set" id="b1" xmlns="jabber:client"><bind xmlns="urn:ietf:params:xml:ns:xmpp-bind"/></iq>');
  await first.until(/id=['"]b1['"]/);
  first.ws.send('<enable xmlns="urn:xmpp:sm:3" resume="true"/>');
  const previd = /id=['"]([^'"]+)['"]/.exec(await first.until(/<enabled/))[1];
  first.ws.close();
  console.log(`fresh session, client closes the WebSocket: ${(await answered(first)) ?? 'NOT answered within 5 s'}`);

  const second = connect();
  await login(second);
  second.ws.send(`<resume xmlns="urn:xmpp:sm:3" h="0" previd="${previd}"/>`);
  console.log(`resume: ${(await second.until(/<resumed|<failed/)).slice(0, 80)}`);
  second.ws.close();
  const outcome = await answered(second);
  console.log(`resumed session, client closes the WebSocket: ${outcome ?? 'NOT answered within 5 s'}`);
  code = outcome ? 0 : 1;
} catch (err) {
  console.error(err);
} finally {
  await server.stop();
}
process.exit(code);
