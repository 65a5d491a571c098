// Stanza fuzzer: an attacker's bare client sends malformed and forged stanzas, built from
// templates with seeded random mutations, to a connected kit through a real Prosody.
// Afterwards: no uncaught error, the kit is online, and nothing in the store is attributed
// to anyone but the attacker. A short run is part of `npm test`; `npm run fuzz` runs a long
// one (FUZZ_COUNT, FUZZ_SEED). The seed is printed: a failure replays with FUZZ_SEED=<seed>.
import { expect } from '@open-wc/testing';
import { xml, type Element } from '@xmpp/client';
import '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { HOSTILE } from '../fixtures/hostile-strings.js';
import { befriend, createUsers, type TestUser } from '../support/server.js';
import { eventually, openKit, useServer } from '../support/kit.js';
import { rawClient } from '../support/raw-client.js';
import { rng } from '../support/random.js';

interface FuzzConfig {
  count: number;
  seed: number;
}
const config: FuzzConfig = {
  count: 300,
  seed: Date.now() % 2 ** 31,
  ...(globalThis as { CK_FUZZ?: Partial<FuzzConfig> }).CK_FUZZ,
};

const server = useServer();

const NS = {
  carbons: 'urn:xmpp:carbons:2',
  forward: 'urn:xmpp:forward:0',
  mam: 'urn:xmpp:mam:2',
  receipts: 'urn:xmpp:receipts',
  markers: 'urn:xmpp:chat-markers:0',
  sid: 'urn:xmpp:sid:0',
  delay: 'urn:xmpp:delay',
  mucUser: 'http://jabber.org/protocol/muc#user',
  conference: 'jabber:x:conference',
  reference: 'urn:xmpp:reference:0',
  roster: 'jabber:iq:roster',
};

/** XML 1.0 cannot carry these; the server would close the attacker's stream. */
const xmlSafe = (s: string) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd');

class Fuzzer {
  readonly rnd: () => number;
  constructor(
    seed: number,
    readonly alice: TestUser,
    readonly victim: TestUser,
    readonly ownIds: string[],
  ) {
    this.rnd = rng(seed);
  }
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  text(): string {
    const s = xmlSafe(this.pick(HOSTILE));
    return s.length > 3000 ? s.slice(0, this.int(3000)) : s;
  }
  /** JIDs to impersonate or point at: the victim, alice, rooms, garbage. */
  jid(): string {
    return this.pick([
      this.victim.jid,
      `${this.victim.jid}/phone`,
      this.alice.jid,
      `${this.alice.jid}/web`,
      `room${this.int(3)}@conference.localhost`,
      `room0@conference.localhost/${this.victim.username}`,
      'localhost',
      '',
      '@@',
      `${'x'.repeat(this.int(2000))}@localhost`,
      xmlSafe(this.pick(HOSTILE)).slice(0, 200),
    ]);
  }
  id(): string {
    return this.pick([crypto.randomUUID(), this.pick(this.ownIds.length ? this.ownIds : ['none']), '', 'x'.repeat(this.int(600)), this.text().slice(0, 50)]);
  }
  inner(): Element {
    return xml(
      'message',
      { from: this.jid(), to: this.jid(), type: this.pick(['chat', 'normal', 'groupchat', 'headline', 'error', 'bogus']), id: this.id() },
      xml('body', {}, this.text()),
      this.rnd() < 0.5 ? xml('origin-id', { xmlns: NS.sid, id: this.id() }) : null,
      this.rnd() < 0.5 ? xml('stanza-id', { xmlns: NS.sid, id: this.id(), by: this.jid() }) : null,
      this.rnd() < 0.3 ? xml('delay', { xmlns: NS.delay, stamp: this.pick(['2999-01-01T00:00:00Z', 'not a date', '1970-01-01T00:00:00Z', '']) }) : null,
    );
  }
  /** One stanza to alice's bare JID, from a random template, then mutated. */
  stanza(): Element {
    const to = this.alice.jid;
    const type = this.pick(['chat', 'normal', 'groupchat', 'headline', 'error', undefined, 'x']);
    const attrs: Record<string, string> = { to };
    if (type) attrs.type = type;
    if (this.rnd() < 0.7) attrs.id = this.id();
    const templates: Array<() => Element> = [
      () => xml('message', attrs, xml(this.pick(['sent', 'received']), { xmlns: NS.carbons }, xml('forwarded', { xmlns: NS.forward }, this.inner()))),
      () => xml('message', attrs, xml('result', { xmlns: NS.mam, queryid: this.id(), id: this.id() }, xml('forwarded', { xmlns: NS.forward }, this.inner()))),
      () => xml('message', attrs, xml('received', { xmlns: NS.receipts, id: this.id() })),
      () => xml('message', attrs, xml('displayed', { xmlns: NS.markers, id: this.id() })),
      () => xml('message', attrs, xml('body', {}, this.text()), xml('request', { xmlns: NS.receipts })),
      () => xml('message', attrs, xml('x', { xmlns: NS.mucUser }, xml('invite', { from: this.jid() }, xml('reason', {}, this.text())))),
      () => xml('message', attrs, xml('x', { xmlns: NS.conference, jid: this.jid(), reason: this.text().slice(0, 300) })),
      () => xml('message', attrs, xml('subject', {}, this.text()), this.rnd() < 0.5 ? xml('body', {}, this.text()) : null),
      () => xml('message', attrs, xml('body', {}, this.text()), xml('reference', { xmlns: NS.reference, type: 'mention', begin: String(this.int(50) - 5), end: String(this.int(100)), uri: `xmpp:${this.jid()}` })),
      () => xml('message', attrs, xml('error', { type: 'cancel' }, xml('service-unavailable', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }), xml('text', { xmlns: 'urn:ietf:params:xml:ns:xmpp-stanzas' }, this.text()))),
      () => {
        let deep = xml('body', {}, this.text());
        for (let i = this.int(120); i > 0; i--) deep = xml(this.pick(['x', 'forwarded', 'message', 'sent']), { xmlns: this.pick(Object.values(NS)) }, deep);
        return xml('message', attrs, deep);
      },
      () => xml('message', attrs, ...Array.from({ length: this.int(3000) }, () => xml(this.pick(['body', 'x', 'delay', 'stanza-id']), { xmlns: this.pick(Object.values(NS)), id: this.id() }))),
      () => xml('presence', { to, type: this.pick(['subscribe', 'subscribed', 'unsubscribed', 'unavailable', 'probe', 'error']) }, xml('status', {}, this.text()), xml('nick', { xmlns: 'http://jabber.org/protocol/nick' }, this.text().slice(0, 500))),
      () => xml('presence', { to }, xml('show', {}, this.pick(['away', 'dnd', 'xa', 'chat', 'bogus', this.text().slice(0, 20)])), xml('status', {}, this.text()), xml('x', { xmlns: NS.mucUser }, xml('item', { jid: this.jid(), affiliation: 'owner' }))),
    ];
    const el = this.pick(templates)();
    this.mutate(el);
    return el;
  }
  /** Drops, duplicates or corrupts a few children and attributes somewhere in the tree. */
  mutate(el: Element): void {
    for (let round = this.int(4); round > 0; round--) {
      const nodes: Element[] = [];
      const walk = (e: Element, depth: number): void => {
        nodes.push(e);
        if (depth < 10) for (const c of e.children) if (typeof c !== 'string') walk(c, depth + 1);
      };
      walk(el, 0);
      const target = this.pick(nodes);
      if (target === el) continue; // keep the addressing the server routes by
      const op = this.int(5);
      const keys = Object.keys(target.attrs);
      if (op === 0 && keys.length) delete target.attrs[this.pick(keys)];
      else if (op === 1 && keys.length) target.attrs[this.pick(keys)] = this.text().slice(0, 100);
      else if (op === 2) target.children.splice(0, target.children.length);
      else if (op === 3) target.children.push(...target.children.slice(0, 2));
      else target.attrs.xmlns = this.pick(Object.values(NS));
    }
  }
}

describe('stanza fuzzer', () => {
  it(`survives ${config.count} malformed and forged stanzas (seed ${config.seed}) with no forged record`, async function () {
    this.timeout(Math.max(60_000, config.count * 200));
    console.log(`fuzz: seed=${config.seed} count=${config.count}`);
    const [alice, mallory, bob] = await createUsers(server, 3, 'fuz');
    await befriend(server, alice!, bob!);
    const errors: string[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => errors.push(String('reason' in e ? e.reason : e.message));
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    const kit = await openKit(server, alice!);
    const ownIds = [await kit.send(bob!.jid, 'to bob 1'), await kit.send(bob!.jid, 'to bob 2')];
    await eventually(async () => (await kit.db!.messages.toArray()).every((m) => m.state !== 'pending'), 'own messages sent');
    const m = await rawClient(server, mallory!);
    const started = performance.now();
    let sent = 0;
    try {
      const fuzz = new Fuzzer(config.seed, alice!, bob!, ownIds);
      for (let i = 0; i < config.count; i++) {
        const s = fuzz.stanza();
        // Prosody closes a stream whose frames overflow its 512 KB buffer: that would end the
        // attacker, not test the kit. So: no stanza over ~64 KB, and a ping round trip every 10.
        if (new TextEncoder().encode(s.toString()).length > 64_000) continue;
        if (i % 10 === 9) await m.request(xml('iq', { type: 'get', to: server.domain }, xml('ping', { xmlns: 'urn:xmpp:ping' }))).catch(() => undefined);
        if (m.status !== 'online') break; // the server refused the attacker's stream: stop, then judge
        await m.send(s).catch(() => undefined);
        sent++;
      }
      if (m.status === 'online') {
        await m.send(xml('message', { to: alice!.jid, type: 'chat', id: 'end' }, xml('body', {}, 'fuzz-end marker')));
        await eventually(async () => (await latestMessages(kit.db!, mallory!.jid, 10_000)).some((x) => x.body === 'fuzz-end marker'), 'end marker', 30_000).catch(async (e) => {
          const convs = (await kit.db!.conversations.toArray()).map((c) => `${c.id}:${c.type}`);
          throw new Error(`${e}; attacker ${m.status}; kit ${kit.status}; ${(await kit.db!.messages.count())} messages; conversations ${convs.join(' ')}`);
        });
      } else {
        await new Promise((r) => setTimeout(r, 1000));
      }
      const ms = Math.round(performance.now() - started);
      console.log(`fuzz: sent ${sent} of ${config.count} stanzas in ${ms} ms (seed ${config.seed})`);

      expect(errors, `uncaught errors (seed ${config.seed})`).to.deep.equal([]);
      expect(kit.status, `status (seed ${config.seed})`).to.equal('online');
      const messages = await kit.db!.messages.toArray();
      // Everything not our own is the attacker's (or an invitation line naming the attacker as inviter).
      const forged = messages.filter((x) => !x.own && x.from !== mallory!.username);
      expect(forged.map((x) => `${x.conversationId} from=${x.from} ${x.body.slice(0, 40)}`), `forged records (seed ${config.seed})`).to.deep.equal([]);
      // Our own messages to bob are still exactly ours, not marked delivered or read by anyone.
      const toBob = messages.filter((x) => x.conversationId === bob!.jid);
      expect(toBob.map((x) => [x.body, x.own, x.state]).sort()).to.deep.equal([
        ['to bob 1', true, 'sent'],
        ['to bob 2', true, 'sent'],
      ]);
      const presence = await kit.db!.presence.get(bob!.username);
      expect(presence?.status ?? '', 'bob presence untouched').to.not.match(/__ckPwn/);
      expect(sent).to.be.at.least(Math.min(config.count, 50));
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
      await m.close().catch(() => undefined);
    }
  });
});
