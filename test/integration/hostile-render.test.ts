// Every render path, fed the hostile corpus through a real server (and, for what XML cannot
// carry — NULs, lone surrogates — straight into the store): nothing may execute, no CSP
// violation may be reported, and no script-capable node or attribute may reach a shadow root.
import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import { xml } from '@xmpp/client';
import '../../src/index.js';
import type { ChatKit, CkChatView, CkContactPicker, CkConversationList, Profile } from '../../src/index.js';
import { renderText } from '../../src/render/text.js';
import { ingestMessages } from '../../src/store/messages.js';
import { countMessages } from '../../src/store/queries.js';
import { putPresences, putProfiles, replaceContacts } from '../../src/store/contacts.js';
import { HOSTILE, hostileBatches, shortHostile } from '../fixtures/hostile-strings.js';
import { installGuard, type Guard } from '../support/dom-guard.js';
import { befriend, createUsers, startServer, stopServer, type ServerHandle } from '../support/server.js';
import { closeAll, eventually, openKit, parts } from '../support/kit.js';
import { rawClient } from '../support/raw-client.js';
import { signer } from '../support/signing.js';

let server: ServerHandle;
let guard: Guard;
before(async () => {
  server = await startServer();
});
after(async () => {
  await stopServer(server);
});
beforeEach(() => {
  guard = installGuard();
});
afterEach(async () => {
  guard.stop();
  await closeAll();
});

/** XML 1.0 cannot carry C0 controls (but tab/LF/CR) or U+FFFE/FFFF; the server would end the stream. */
function xmlSafe(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');
}

function expectClean(what: string): void {
  guard.scan();
  expect(guard.executions, `${what}: payloads executed`).to.deep.equal([]);
  expect(guard.violations, `${what}: CSP violations`).to.deep.equal([]);
  expect(guard.findings.slice(0, 10), `${what}: dangerous DOM`).to.deep.equal([]);
}

const settle = (ms = 300) => new Promise((r) => setTimeout(r, ms));

describe('hostile input renders as inert text', () => {
  it(`renderText: each of the ${HOSTILE.length} corpus strings alone`, async () => {
    expect(HOSTILE.length).to.be.at.least(500);
    const host = document.createElement('div');
    const shadow = host.attachShadow({ mode: 'open' });
    document.body.append(host);
    try {
      for (const s of HOSTILE) render(renderText(s), shadow);
      guard.scan();
      render(html`${HOSTILE.slice(0, 200).map((s) => html`<p title=${s}>${renderText(s)}</p>`)}`, shadow);
      await settle(100);
      expectClean('renderText');
    } finally {
      host.remove();
    }
  });

  it('message bodies, names, room names and subjects, roster names, statuses and links through a real server', async function () {
    this.timeout(60_000);
    const [alice, mallory] = await createUsers(server, 2, 'hos');
    const shortOnes = shortHostile(200).map(xmlSafe);
    await befriend(server, alice!, mallory!, { names: { [mallory!.username]: shortOnes[3]!.slice(0, 200), [alice!.username]: shortOnes[4]!.slice(0, 200) } });
    // Profiles name everyone hostilely, with script URLs as avatars.
    let n = 0;
    const fetchProfiles = async (ids: string[]): Promise<Profile[]> =>
      ids.map((id) => ({ id, name: HOSTILE[(n++ * 7) % HOSTILE.length]!.slice(0, 300), avatarUrl: `javascript:window.__ckPwn(-${n})` }));
    const kit: ChatKit = await openKit(server, alice!, { fetchProfiles, generateSignature: signer(server, alice!.password) });
    const m = await rawClient(server, mallory!);
    try {
      // Status text (presence) and 1:1 bodies from the peer: few stanzas, many strings each.
      await m.send(xml('presence', {}, xml('status', {}, hostileBatches(1000, shortOnes)[0]!)));
      const bodies = hostileBatches(8000, HOSTILE.map(xmlSafe));
      for (const [i, body] of bodies.entries()) await m.send(xml('message', { to: alice!.jid, type: 'chat', id: `h${i}` }, xml('body', {}, body)));
      await m.send(xml('message', { to: alice!.jid, type: 'chat' }, xml('body', {}, `<b>${'B'.repeat(60 * 1024)}</b>`)));
      // Own 1:1 messages, a group with a hostile name and subject, and hostile group messages.
      const own = hostileBatches(8000, HOSTILE.slice(0, 200)).slice(0, 3);
      for (const body of own) await kit.send(mallory!.jid, body);
      const room = await kit.startConversation([mallory!.username], { name: xmlSafe(`<img src=x onerror=window.__ckPwn(-1)> ${shortOnes[10]}`).slice(0, 200) });
      await eventually(async () => (await kit.db!.conversations.get(room))?.joinedAt, 'room joined', 15_000);
      await kit.setSubject(room, xmlSafe(hostileBatches(1000, shortOnes)[1]!));
      for (const body of hostileBatches(8000, HOSTILE.map(xmlSafe)).slice(0, 4)) await kit.send(room, body);
      // Roster names through the server (roster pushes).
      const rosterNames = hostileBatches(200, shortOnes).slice(0, 8);
      for (const [i, name] of rosterNames.entries()) await kit.addContact(`ghost${i}x${Date.now().toString(36)}`, { name });

      // What XML cannot carry goes straight into the store: NULs, lone surrogates, raw names.
      const db = kit.db!;
      const raw = 'raw-peer@localhost';
      await ingestMessages(
        db,
        hostileBatches(8000).map((body, i) => ({ id: `raw${i}`, conversationId: raw, conversationType: 'chat' as const, from: 'raw-peer', own: false, body, ts: Date.now() - 1000 + i, state: 'received' as const })),
      );
      const names = shortHostile(256);
      await replaceContacts(db, [
        ...(await db.contacts.toArray()),
        ...names.map((name, i) => ({ id: `evil${i}`, jid: `evil${i}@localhost`, subscription: 'both' as const, groups: [name.slice(0, 50)], name })),
      ]);
      await putPresences(db, names.map((status, i) => ({ id: `evil${i}`, show: 'online' as const, status, updatedAt: Date.now() })));
      await putProfiles(db, names.slice(0, 100).map((name, i) => ({ id: `evil${i + 1000}`, name, avatarUrl: names[i]!, fetchedAt: Date.now() })));
      await db.conversations.bulkPut(
        names.slice(0, 60).map((name, i) => ({ id: `grp${i}@conference.localhost`, type: 'group' as const, name, subject: names[names.length - 1 - i], lastAt: Date.now() - i, unread: i, pin: 0 })),
      );

      await eventually(async () => (await countMessages(db, mallory!.jid)) >= bodies.length + 1 + own.length, 'peer bodies stored', 15_000).catch(async (e) => {
        const got = (await db.messages.toArray()).filter((x) => x.conversationId === mallory!.jid).map((x) => `${x.remoteId ?? x.id}:${x.own}:${x.body.length}`);
        throw new Error(`${e} ${got.join(' ')} of ${bodies.length + 1 + own.length}; ${m.status}`);
      });

      // Render every element over all of it (tall, so virtualized lists render every row).
      const tall = 'display:flex;height:40000px';
      const views = await fixture<HTMLElement>(html`<div>
        <ck-conversation-list .kit=${kit} style=${'display:block;height:20000px'}></ck-conversation-list>
        <ck-chat-view .kit=${kit} conversation=${mallory!.jid} style=${tall}></ck-chat-view>
        <ck-chat-view .kit=${kit} conversation=${room} style=${tall}></ck-chat-view>
        <ck-chat-view .kit=${kit} conversation=${raw} style=${tall}></ck-chat-view>
        <ck-contact-picker .kit=${kit} mode="multiple" style=${'display:block;height:100000px'}></ck-contact-picker>
        <ck-members .kit=${kit} conversation=${room}></ck-members>
        <ck-chat .kit=${kit} style=${'display:flex;height:3000px'}></ck-chat>
      </div>`);
      const [list, peerView, roomView, rawView, picker] = [...views.children] as [CkConversationList, CkChatView, CkChatView, CkChatView, CkContactPicker];
      guard.scan();
      await eventually(() => parts(peerView, '[part=message]').length >= bodies.length + 1 + own.length, 'peer log rendered', 15_000);
      await eventually(() => parts(roomView, '[part=message]').length >= 4, 'room log rendered', 15_000);
      await eventually(() => parts(rawView, '[part=message]').length >= 5, 'raw log rendered');
      await eventually(() => parts(list, '[part=item]').length >= 10, 'list rendered').catch((e) => {
        throw new Error(`${e}: ${parts(list, '[part=item]').length} ${list.shadowRoot?.innerHTML.slice(0, 1500)}`);
      });
      await eventually(() => parts(picker, '[part=item]').length >= 10, 'picker rendered');
      // Profiles (hostile names) arrive asynchronously; give them time to paint.
      await eventually(async () => (await db.profiles.count()) >= 3, 'profiles fetched');
      await settle(800);
      // Virtualized lists render what is in view: scroll each through so every row paints once.
      for (const v of [list, picker]) {
        for (const scroller of parts(v, '*').filter((el) => el.scrollHeight > el.clientHeight + 4)) {
          for (let step = 0; step < 15 && scroller.scrollTop + scroller.clientHeight < scroller.scrollHeight - 2; step++) {
            scroller.scrollTop += Math.max(200, scroller.clientHeight);
            scroller.dispatchEvent(new Event('scroll'));
            await settle(10);
          }
        }
      }
      // The text is there, as text.
      const shown = peerView.shadowRoot!.textContent ?? '';
      expect(shown).to.include('<script>window.__ckPwn(');
      expect(shown).to.include('onerror=window.__ckPwn(');
      // Links the renderer made go only to allowed schemes.
      const hrefs = [peerView, roomView, rawView].flatMap((v) => parts<HTMLAnchorElement>(v, 'a[href]').map((a) => a.getAttribute('href')!));
      for (const h of hrefs) expect(h, h).to.match(/^(https?:|mailto:|xmpp:)/);
      // Hover and focus everything once: inline handlers (if any) would fire now.
      for (const el of [list, peerView, roomView, rawView, picker].flatMap((v) => parts(v, '*'))) {
        el.dispatchEvent(new MouseEvent('mouseover', { bubbles: true }));
        el.dispatchEvent(new FocusEvent('focus'));
      }
      await settle(200);
      expectClean('all views');
      expect(kit.status).to.equal('online');
    } finally {
      await m.close();
    }
  });
});
