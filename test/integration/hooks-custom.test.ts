import { expect, fixture, html } from '@open-wc/testing';
import { xml, type Element } from '@xmpp/client';
import '../../src/index.js';
import { ChatKitError, type ChatKit, type CkChatView, type MessageRecord } from '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { befriend, createUsers, type TestUser } from '../support/server.js';
import { eventually, eventuallyEqual, makeKit, openKit, part, useServer, rejection } from '../support/kit.js';
import { rawClient } from '../support/raw-client.js';
import { BUSINESS_CARD_NS, businessCard, type BusinessCard } from '../../demo/business-card.js';
import type { ChatKitOptions } from '../../src/index.js';

const server = useServer();

async function rows(kit: ChatKit, conversationId: string): Promise<MessageRecord[]> {
  return (await latestMessages(kit.db!, conversationId, 500)).filter((m) => m.kind !== 'system');
}

async function bodies(kit: ChatKit, conversationId: string): Promise<string[]> {
  return (await rows(kit, conversationId)).map((m) => m.body);
}

async function users(prefix: string, count = 2): Promise<TestUser[]> {
  const list = await createUsers(server, count, prefix);
  for (let i = 1; i < list.length; i++) await befriend(server, list[0]!, list[i]!);
  return list;
}

/** A kit with the demo's business-card type registered before `open`, so history is recognised too. */
async function cardKit(user: TestUser, options: Partial<ChatKitOptions> = {}): Promise<ChatKit> {
  const kit = makeKit(server, options);
  kit.registerMessageType(businessCard);
  await kit.open(user.username, { password: user.password });
  return kit;
}

const card: BusinessCard = { name: 'Ada Lovelace', title: 'Analyst', phone: '+44 20 7946 0958', email: 'ada@example.org' };

describe('custom message types through a real server', () => {
  it('a business card registered on both sides arrives as card data and renders; a plain client sees the fallback body', async () => {
    const [alice, bob, carol] = (await users('card', 3)) as [TestUser, TestUser, TestUser];
    const aliceKit = await cardKit(alice);
    const bobKit = await cardKit(bob);
    expect(aliceKit.messageTypes.get('business-card')).to.equal(businessCard);
    expect(aliceKit.messageTypes.all().map((d) => d.type)).to.deep.equal(['business-card']);

    // A client that knows nothing of it (carol, bare XMPP) gets the fallback text and the element.
    const raw = await rawClient(server, carol);
    const seen: Element[] = [];
    raw.on('stanza', (s) => void (s.is('message') && s.getChild('body') && seen.push(s)));
    await raw.send(xml('presence'));
    try {
      await aliceKit.sendCustom(bob.jid, 'business-card', card);
      const id = await aliceKit.sendCustom(carol.jid, 'business-card', card);
      expect((await aliceKit.db!.messages.get(id))!.custom).to.deep.equal({ type: 'business-card', data: card });
      const got = await eventually(async () => (await rows(bobKit, alice.jid))[0], "bob's card");
      expect(got.custom).to.deep.equal({ type: 'business-card', data: card });
      expect(got.body).to.equal('Business card: Ada Lovelace, Analyst, +44 20 7946 0958, ada@example.org');
      expect((await bobKit.db!.conversations.get(alice.jid))!.last!.custom).to.deep.equal({ type: 'business-card', data: card });

      const stanza = await eventually(() => seen[0], 'carol receives it');
      expect(stanza.getChildText('body')).to.equal('Business card: Ada Lovelace, Analyst, +44 20 7946 0958, ada@example.org');
      expect(stanza.getChild('card', BUSINESS_CARD_NS)?.getChildText('name')).to.equal('Ada Lovelace');
    } finally {
      await raw.close();
    }

    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${bobKit} conversation=${alice.jid}></ck-chat-view>`);
    const shown = await eventually(() => (part(view, 'div.bc .bc-name') ? part(view, 'div.bc') : null), 'the card in the log');
    expect(shown.querySelector('.bc-name')?.textContent).to.equal('Ada Lovelace');
    expect(shown.querySelector<HTMLAnchorElement>('a.bc-phone')?.getAttribute('href')).to.equal('tel:+442079460958');
    expect(shown.querySelector<HTMLAnchorElement>('a.bc-email')?.getAttribute('href')).to.equal('mailto:ada@example.org');

    // A new device of bob's rebuilds it from the archive.
    const bobAgain = await cardKit(bob);
    const again = await eventually(async () => (await rows(bobAgain, alice.jid))[0], 'card on the new device');
    expect(again.body).to.equal('Business card: Ada Lovelace, Analyst, +44 20 7946 0958, ada@example.org');
  });

  it('sendCustom refuses unknown types, non-JSON data and payloads over 16 KB', async () => {
    const [alice, bob] = (await users('cbad')) as [TestUser, TestUser];
    const kit = await cardKit(alice);
    expect((await rejection(kit.sendCustom(bob.jid, 'nope', {}))).code).to.equal('invalid-argument');
    expect((await rejection(kit.sendCustom(bob.jid, 'business-card', { name: 'x', f: (() => 1) as unknown as string }))).code).to.equal('invalid-argument');
    expect((await rejection(kit.sendCustom(bob.jid, 'business-card', { ...card, name: 'x'.repeat(17 * 1024) }))).code).to.equal('invalid-argument');
    expect(() => kit.registerMessageType({ type: 'broken' } as never)).to.throw(ChatKitError);
    expect(await kit.db!.messages.count()).to.equal(0);
  });

  it('hostile card payloads from a bare client are stored as data only and render as text', async () => {
    const [alice, bob] = (await users('chost')) as [TestUser, TestUser];
    const bobKit = await cardKit(bob);
    const w = window as unknown as { __ckCard?: number };
    delete w.__ckCard;
    const raw = await rawClient(server, alice);
    const cardEl = (fields: Record<string, string>, extra: Element[] = []): Element =>
      xml('card', { xmlns: BUSINESS_CARD_NS }, ...Object.entries(fields).map(([k, v]) => xml(k, {}, v)), ...extra);
    let deep = xml('x', {}, 'bottom');
    for (let i = 0; i < 20; i++) deep = xml('x', {}, deep);
    try {
      const send = (id: string, el: Element, body = 'fallback') => raw.send(xml('message', { to: bob.jid, type: 'chat', id }, xml('body', {}, body), el));
      await send('h1', cardEl({ name: '<img src=x onerror="window.__ckCard=1">', title: '<script>window.__ckCard=2</script>', phone: 'javascript:window.__ckCard=3', email: 'javascript:alert(1)//@x.org' }));
      await send('h2', cardEl({ name: 'N'.repeat(100_000), email: 'a@b.co"><script>window.__ckCard=4</script>' }, [deep]));
      await send('h3', cardEl({ title: 'no name: not a card' }));
      await send('h4', xml('card', { xmlns: 'urn:example:other' }, xml('name', {}, 'wrong namespace')));
      await send('h5', xml('x', {}), 'marker');
      await eventually(async () => (await bodies(bobKit, alice.jid)).includes('marker'), 'all five processed');
    } finally {
      await raw.close();
    }
    const stored = await rows(bobKit, alice.jid);
    expect(stored.map((m) => m.custom?.type ?? null)).to.deep.equal(['business-card', 'business-card', null, null, null]);
    const first = stored[0]!.custom!.data as BusinessCard;
    expect(first).to.deep.equal({ name: '<img src=x onerror="window.__ckCard=1">', title: '<script>window.__ckCard=2</script>', phone: 'javascript:window.__ckCard=3', email: 'javascript:alert(1)//@x.org' });
    const second = stored[1]!.custom!.data as BusinessCard;
    expect(second.name.length).to.equal(200);
    expect(JSON.stringify(stored[1]!.custom).length).to.be.below(1000);

    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${bobKit} conversation=${alice.jid}></ck-chat-view>`);
    await eventually(() => view.shadowRoot!.querySelectorAll('div.bc').length === 2, 'both cards drawn');
    const cards = [...view.shadowRoot!.querySelectorAll('div.bc')];
    expect(cards[0]!.querySelector('.bc-name')!.textContent).to.equal('<img src=x onerror="window.__ckCard=1">');
    for (const c of cards) {
      expect(c.querySelector('img, script')).to.equal(null);
      // Neither a javascript: phone nor a crafted address becomes a link.
      expect(c.querySelectorAll('a').length).to.equal(0);
    }
    await new Promise((r) => setTimeout(r, 200));
    expect(w.__ckCard).to.equal(undefined);
  });
});

describe('beforeSend and filterIncoming', () => {
  it('beforeSend rewrites text (a word filter) and vetoes messages: a veto stores and sends nothing', async () => {
    const [alice, bob] = (await users('bsend')) as [TestUser, TestUser];
    const seen: string[] = [];
    const aliceKit = await cardKit(alice, {
      beforeSend: (m) => {
        seen.push(`${m.kind}:${m.text}`);
        if (m.text.includes('secret') || m.kind === 'location') throw new Error('policy: not allowed');
        if (m.kind === 'custom' && m.custom) return { ...m, custom: { ...m.custom, data: { ...(m.custom.data as BusinessCard), title: 'Checked' } } };
        return { ...m, text: m.text.replace(/darn/gi, '****') };
      },
    });
    const bobKit = await cardKit(bob);

    await aliceKit.send(bob.jid, 'darn it');
    const veto = await rejection(aliceKit.send(bob.jid, 'the secret is 42'));
    expect(veto.code).to.equal('send-vetoed');
    expect(veto.message).to.contain('policy: not allowed');
    expect((await rejection(aliceKit.sendLocation(bob.jid, { lat: 1, lon: 2 }))).code).to.equal('send-vetoed');
    await aliceKit.sendCustom(bob.jid, 'business-card', card);
    await aliceKit.send(bob.jid, 'after');

    const want = ['**** it', 'Business card: Ada Lovelace, Checked, +44 20 7946 0958, ada@example.org', 'after'];
    expect(await bodies(aliceKit, bob.jid)).to.deep.equal(want);
    await eventuallyEqual(() => bodies(bobKit, alice.jid), want, "bob's log");
    expect(((await rows(bobKit, alice.jid))[1]!.custom!.data as BusinessCard).title).to.equal('Checked');
    expect(seen.map((s) => s.split(':')[0])).to.deep.equal(['text', 'text', 'location', 'custom', 'text']);
    await new Promise((r) => setTimeout(r, 300));
    expect(JSON.stringify(await bobKit.db!.messages.toArray())).to.not.contain('secret');

    // An edit is new text on the wire: the same filter rewrites or vetoes it.
    const first = (await rows(aliceKit, bob.jid))[0]!;
    await aliceKit.edit(first.id, 'darn again');
    expect((await rejection(aliceKit.edit(first.id, 'secret edit'))).code).to.equal('send-vetoed');
    const edited = ['**** again', ...want.slice(1)];
    expect(await bodies(aliceKit, bob.jid)).to.deep.equal(edited);
    await eventuallyEqual(() => bodies(bobKit, alice.jid), edited, "bob's log after the edit");
    expect(JSON.stringify(await bobKit.db!.messages.toArray())).to.not.contain('secret');
  });

  it('filterIncoming hides a message: not stored, not counted, also from the archive', async () => {
    const [alice, bob] = (await users('filt')) as [TestUser, TestUser];
    const asked: string[] = [];
    const options: Partial<ChatKitOptions> = {
      filterIncoming: (m) => {
        asked.push(m.body);
        if (m.body === 'boom') throw new Error('a buggy hook keeps the message');
        return !m.body.includes('spam');
      },
    };
    const aliceKit = await openKit(server, alice);
    const bobKit = await openKit(server, bob, options);
    for (const body of ['hello', 'buy spam now', 'boom', 'bye']) await aliceKit.send(bob.jid, body);
    await eventuallyEqual(() => bodies(bobKit, alice.jid), ['hello', 'boom', 'bye'], "bob's log without the spam");
    expect((await bobKit.db!.conversations.get(alice.jid))!.unread).to.equal(3);
    expect(asked).to.include('buy spam now');

    const bobAgain = await openKit(server, bob, options);
    await eventuallyEqual(() => bodies(bobAgain, alice.jid), ['hello', 'boom', 'bye'], "a new device's log from the archive");
    await new Promise((r) => setTimeout(r, 300));
    expect(await bodies(bobAgain, alice.jid)).to.deep.equal(['hello', 'boom', 'bye']);
  });
});
