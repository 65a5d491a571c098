// Proves the whole real-server chain from the browser: test runner server commands ->
// Prosody (scripts/prosody.mjs + mod_ck_testkit) -> @xmpp/client over WebSocket in Chromium.

import { expect } from '@open-wc/testing';
import { client, xml, type Client, type Element } from '@xmpp/client';
import {
  befriend,
  createUsers,
  killServer,
  restartServer,
  startServer,
  stopServer,
  type ServerHandle,
  type TestUser,
} from '../support/server.js';

const ROSTER_NS = 'jabber:iq:roster';

function waitFor(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error(`timed out waiting for ${what}`));
      else setTimeout(tick, 20);
    };
    tick();
  });
}

/**
 * Logs in over WebSocket (PLAIN: ws://127.0.0.1 counts as secure), waits until XEP-0198
 * stream management is enabled (@xmpp/client 0.14 miscounts stanzas that arrive between
 * <enable/> and <enabled/>, so nothing should be sent or expected before that), then sends
 * initial presence: without it Prosody does not route bare-JID messages to this resource
 * (they go to offline storage instead).
 */
async function connect(server: ServerHandle, user: TestUser, errors: Error[]): Promise<Client> {
  const xmpp = client({
    service: server.service,
    domain: server.domain,
    username: user.username,
    password: user.password,
    resource: 'smoke',
  });
  xmpp.on('error', (err) => {
    errors.push(err);
  });
  await xmpp.start();
  await waitFor(() => xmpp.streamManagement.enabled, `stream management for ${user.username}`);
  await xmpp.send(xml('presence'));
  return xmpp;
}

async function disconnect(xmpp: Client | undefined): Promise<void> {
  if (!xmpp) return;
  xmpp.reconnect.stop();
  await xmpp.stop().catch(() => undefined);
}

function nextMessage(xmpp: Client, from: string, timeoutMs = 10_000): Promise<Element> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message from ${from} within ${timeoutMs} ms`)), timeoutMs);
    xmpp.on('stanza', (stanza: Element) => {
      if (stanza.is('message') && (stanza.attrs.from ?? '').split('/')[0] === from && stanza.getChild('body')) {
        clearTimeout(timer);
        resolve(stanza);
      }
    });
  });
}

describe('real server: Prosody + @xmpp/client in the browser', function () {
  this.timeout(30_000);

  let server: ServerHandle | undefined;
  let alice: TestUser;
  let bob: TestUser;
  let a: Client | undefined;
  let b: Client | undefined;
  const errors: Error[] = [];

  const srv = (): ServerHandle => {
    if (!server) throw new Error('server not started');
    return server;
  };

  before(async () => {
    server = await startServer();
    [alice, bob] = await createUsers(srv(), 2, 'smoke');
    await befriend(srv(), alice, bob, { names: { [alice.username]: 'Alice', [bob.username]: 'Bob' }, group: 'Friends' });
  });

  after(async () => {
    await disconnect(a);
    await disconnect(b);
    if (server) await stopServer(server);
  });

  it('starts a loopback server with a WebSocket endpoint', () => {
    const s = srv();
    expect(s.domain).to.equal('localhost');
    expect(s.service).to.match(/^ws:\/\/127\.0\.0\.1:\d+\/xmpp-websocket$/);
    expect(s.httpBase).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(alice.jid).to.equal(`${alice.username}@localhost`);
    expect(alice.username).to.not.equal(bob.username);
  });

  it('logs both users in over WebSocket with stream management', async () => {
    a = await connect(srv(), alice, errors);
    b = await connect(srv(), bob, errors);
    expect(a.jid?.bare().toString()).to.equal(alice.jid);
    expect(b.jid?.bare().toString()).to.equal(bob.jid);
    expect(a.streamManagement.id).to.be.a('string').and.not.equal('');
  });

  it('shows each user in the other roster with subscription both', async () => {
    if (!a || !b) throw new Error('not connected');
    const result = await a.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: ROSTER_NS })));
    const items = result.getChild('query', ROSTER_NS)?.getChildren('item') ?? [];
    const item = items.find((i) => i.attrs.jid === bob.jid);
    expect(item, 'bob in alice roster').to.not.equal(undefined);
    expect(item?.attrs.subscription).to.equal('both');
    expect(item?.attrs.name).to.equal('Bob');
    expect(item?.getChildText('group')).to.equal('Friends');

    const reverse = await b.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: ROSTER_NS })));
    const back = reverse.getChild('query', ROSTER_NS)?.getChildren('item').find((i) => i.attrs.jid === alice.jid);
    expect(back?.attrs.subscription).to.equal('both');
    expect(back?.attrs.name).to.equal('Alice');
  });

  it('delivers a chat message with the right body', async () => {
    if (!a || !b) throw new Error('not connected');
    const body = `hello bob ${Math.random().toString(36).slice(2)} – ünïcödé ✓`;
    const received = nextMessage(b, alice.jid);
    await a.send(xml('message', { to: bob.jid, type: 'chat', id: `m-${Date.now()}` }, xml('body', {}, body)));
    const message = await received;
    expect(message.attrs.type).to.equal('chat');
    expect(message.getChildText('body')).to.equal(body);
    expect(errors.map((e) => e.message)).to.deep.equal([]);
  });

  it('keeps accounts and rosters across restart and kill', async () => {
    await disconnect(a);
    await disconnect(b);
    a = b = undefined;

    const restarted = await restartServer(srv());
    expect(restarted.service).to.equal(srv().service); // same ports
    a = await connect(srv(), alice, errors);
    await disconnect(a);
    a = undefined;

    await killServer(srv());
    await restartServer(srv());
    b = await connect(srv(), bob, errors);
    const result = await b.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: ROSTER_NS })));
    const back = result.getChild('query', ROSTER_NS)?.getChildren('item').find((i) => i.attrs.jid === alice.jid);
    expect(back?.attrs.subscription).to.equal('both');
  });
});
