import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import type { CkChatView, CkConversationList } from '../../src/index.js';
import { befriend, createUsers, killServer, restartServer, startServer, stopServer } from '../support/server.js';
import { closeAll, eventually, makeKit, openKit, part, parts, text, useServer, rejection } from '../support/kit.js';

const server = useServer();

describe('signing in', () => {
  it('signs in with the credential generateSignature returns for "open"', async () => {
    const [alice] = await createUsers(server, 1, 'sig');
    const requests: unknown[] = [];
    const kit = makeKit(server, {
      generateSignature: async (req) => {
        requests.push(req);
        return { signature: alice!.password, timestamp: Date.now(), nonce: 'n1' };
      },
    });
    await kit.open(alice!.username);
    expect(kit.status).to.equal('online');
    expect(requests).to.deep.equal([{ action: 'open', clientId: alice!.username }]);
  });

  it('a vetoed signature rejects open with a clear error and leaves the kit offline', async () => {
    const [alice] = await createUsers(server, 1, 'veto');
    const statuses: string[] = [];
    const kit = makeKit(server, {
      generateSignature: async () => {
        throw new Error('not allowed today');
      },
    });
    kit.addEventListener('ck-status', (e) => statuses.push(e.status));
    const err = await rejection(kit.open(alice!.username));
    expect(err.code).to.equal('signature-vetoed');
    expect(err.message).to.match(/refused by generateSignature/);
    expect(kit.status).to.equal('offline');
    expect(statuses).to.not.include('online');
  });

  it('a wrong password rejects open with a clear error and leaves the kit offline', async () => {
    const [alice] = await createUsers(server, 1, 'pw');
    const kit = makeKit(server);
    const err = await rejection(kit.open(alice!.username, { password: 'not-the-password' }));
    expect(err.code).to.equal('login-refused');
    expect(err.message).to.match(/wrong user name or password/);
    expect(kit.status).to.equal('offline');
  });

  it('open without a password or hook says so', async () => {
    const kit = makeKit(server);
    const err = await rejection(kit.open('someone'));
    expect(err.code).to.equal('no-credentials');
    expect(kit.status).to.equal('offline');
  });
});

describe('server down', () => {
  it('shows reconnecting while the server is unreachable, then comes online when it returns', async () => {
    const own = await startServer();
    try {
      const [alice, bob] = await createUsers(own, 2, 'down');
      // Killed, not stopped: the data stays, so restartServer brings the same accounts back.
      await killServer(own);
      const kit = makeKit(own);
      const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${kit} conversation=${bob!.jid}></ck-chat-view>`);
      const opened = kit.open(alice!.username, { password: alice!.password });
      opened.catch(() => undefined);
      await eventually(() => kit.status === 'reconnecting', 'reconnecting status');
      await eventually(() => part(view, '[part=banner]')?.dataset.status === 'reconnecting', 'banner');
      expect(text(part(view, '[part=banner]'))).to.match(/Reconnecting/);
      // Sending while down queues the message; nothing is lost.
      await kit.send(bob!.jid, 'queued while down');
      await eventually(() => parts(view, '[part=message][data-state=pending]').length === 1, 'pending bubble');
      await restartServer(own);
      kit.reconnectNow();
      await opened;
      expect(kit.status).to.equal('online');
      await eventually(() => parts(view, '[part=message][data-state=sent]').length === 1, 'queued message sent');
    } finally {
      await stopServer(own).catch(() => undefined);
    }
  });

  it('close() during reconnecting rejects open and goes offline without errors', async () => {
    const own = await startServer();
    const [alice] = await createUsers(own, 1, 'cl');
    await stopServer(own);
    const kit = makeKit(own);
    const opened = kit.open(alice!.username, { password: alice!.password });
    await eventually(() => kit.status === 'reconnecting', 'reconnecting');
    await kit.close();
    const err = await rejection(opened);
    expect(err.code).to.equal('closed');
    expect(kit.status).to.equal('offline');
  });
});

describe('offline-first', () => {
  it('after a reload with the server stopped, the list and history paint from IndexedDB', async () => {
    const own = await startServer();
    const [alice, bob] = await createUsers(own, 2, 'idb');
    await befriend(own, alice!, bob!);
    const aliceKit = await openKit(own, alice!);
    const bobKit = await openKit(own, bob!, { storage: 'indexeddb' });
    await aliceKit.send(bob!.jid, 'kept across reloads');
    await eventually(async () => (await bobKit.db!.messages.count()) === 1, 'bob stored the message');
    await bobKit.send(alice!.jid, 'my reply');
    await eventually(async () => (await bobKit.db!.messages.toArray()).some((m) => m.own && m.state !== 'pending'), 'reply sent');
    await closeAll();
    await stopServer(own);

    // "Reload": a new kit and new elements over the same IndexedDB database, no server.
    const reloaded = makeKit(own, { storage: 'indexeddb' });
    const root = await fixture<HTMLDivElement>(html`<div>
      <ck-conversation-list .kit=${reloaded}></ck-conversation-list>
      <ck-chat-view .kit=${reloaded} conversation=${alice!.jid}></ck-chat-view>
    </div>`);
    const opening = reloaded.open(bob!.username, { password: bob!.password }).catch((e: unknown) => e);
    const list = root.querySelector<CkConversationList>('ck-conversation-list')!;
    const view = root.querySelector<CkChatView>('ck-chat-view')!;
    await eventually(() => text(part(list, '[part=preview]')).includes('my reply'), 'list painted from the store');
    await eventually(() => parts(view, '[part=bubble]').map(text).join('|') === 'kept across reloads|my reply', 'history painted');
    expect(reloaded.status).to.not.equal('online');
    await reloaded.close();
    await opening;
    await reloaded.db?.delete();
  });
});
