import { expect } from '@open-wc/testing';
import type { Element } from '@xmpp/client';
import { parseAvailability, parseSubscription, PresenceModule, MAX_STATUS_CHARS } from '../../src/protocol/presence.js';
import { buildRosterSet } from '../../src/protocol/roster.js';
import { decodePhoto, mergeVcards, parseVcard4, parseVcardTemp } from '../../src/protocol/vcard.js';
import { parseBlockItems } from '../../src/protocol/blocking.js';
import { parseLastActivity } from '../../src/protocol/last.js';
import type { Connection } from '../../src/protocol/connection.js';
import { openDatabase } from '../../src/store/open.js';
import type { ChatDB } from '../../src/store/schema.js';
import { eventually } from '../support/kit.js';
import { stanza } from '../support/stanza.js';

const self = { jid: 'alice@example.com', domain: 'example.com' };
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('subscription and presence stanzas', () => {
  it('reads a request with its nickname and text, capped', () => {
    const sub = parseSubscription(
      stanza(`<presence from="Bob@example.com/x" type="subscribe"><nick xmlns="http://jabber.org/protocol/nick">${'B'.repeat(300)}</nick><status>hi</status></presence>`),
      self,
    );
    expect(sub).to.deep.include({ type: 'subscribe', id: 'bob', jid: 'bob@example.com', message: 'hi' });
    expect(sub?.nick).to.have.length(256);
    expect(parseSubscription(stanza(`<presence from="alice@example.com/2" type="subscribe"/>`), self)).to.equal(null);
    expect(parseSubscription(stanza(`<presence from="example.com" type="subscribe"/>`), self)).to.equal(null);
    expect(parseSubscription(stanza(`<presence from="b ob@example.com" type="subscribe"/>`), self)).to.equal(null);
    expect(parseSubscription(stanza(`<presence from="bob@example.com" type="probe"/>`), self)).to.equal(null);
  });

  it('a 100 KB status is cut, not stored whole', () => {
    const huge = 'x'.repeat(100 * 1024);
    const a = parseAvailability(stanza(`<presence from="bob@example.com/r"><show>dnd</show><status>${huge}</status></presence>`), self);
    expect(a).to.deep.include({ id: 'bob', resource: 'r', show: 'dnd' });
    expect(a?.status).to.have.length(MAX_STATUS_CHARS);
    expect(parseAvailability(stanza(`<presence from="room@muc.example.com/bob"><x xmlns="http://jabber.org/protocol/muc#user"/></presence>`), self)).to.equal(null);
  });

  it('builds roster sets with trimmed, unique groups', () => {
    const iq = buildRosterSet('bob@example.com', { name: ' Bob ', groups: ['Work', ' Work', '', 'Friends'] });
    const item = iq.getChild('query', 'jabber:iq:roster')!.getChild('item')!;
    expect(item.attrs).to.deep.include({ jid: 'bob@example.com', name: 'Bob' });
    expect(item.getChildren('group').map((g) => g.text())).to.deep.equal(['Work', 'Friends']);
    expect(buildRosterSet('bob@example.com', 'remove').getChild('query')!.getChild('item')!.attrs.subscription).to.equal('remove');
  });
});

describe('vCards', () => {
  it('takes names and safe photo URLs, never javascript: or data:text', () => {
    const v4 = (uri: string) => parseVcard4(stanza(`<vcard xmlns="urn:ietf:params:xml:ns:vcard-4.0"><fn><text>Bob B</text></fn><photo><uri>${uri}</uri></photo></vcard>`));
    expect(v4('https://img.example.com/b.png')).to.deep.equal({ name: 'Bob B', avatarUrl: 'https://img.example.com/b.png' });
    expect(v4('javascript:alert(1)')).to.deep.equal({ name: 'Bob B' });
    expect(v4('JaVaScRiPt:alert(1)')).to.deep.equal({ name: 'Bob B' });
    expect(v4('data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==')).to.deep.equal({ name: 'Bob B' });
    expect(v4('data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=')).to.deep.equal({ name: 'Bob B' });
    const fromData = v4(`data:image/png;base64,${PNG}`);
    expect(fromData.photo?.type).to.equal('image/png');
    const temp = (photo: string) => parseVcardTemp(stanza(`<vCard xmlns="vcard-temp"><NICKNAME>bobby</NICKNAME><PHOTO>${photo}</PHOTO></vCard>`));
    expect(temp('<EXTVAL>javascript:alert(1)</EXTVAL>')).to.deep.equal({ name: 'bobby' });
    expect(temp(`<TYPE>image/png</TYPE><BINVAL>${PNG}</BINVAL>`).photo?.type).to.equal('image/png');
  });

  it('turns only real raster bytes into a photo, whatever the declared type', () => {
    expect(decodePhoto(PNG)?.type).to.equal('image/png');
    expect(decodePhoto(btoa('<svg onload="alert(1)"/>'))).to.equal(null);
    expect(decodePhoto(btoa('<html><script>alert(1)</script>'))).to.equal(null);
    expect(decodePhoto('%%% not base64 %%%')).to.equal(null);
    expect(decodePhoto(btoa('\x89PNG' + 'x'.repeat(300 * 1024)))).to.equal(null);
    // Stable hash for the display cache: same bytes, same key.
    expect(decodePhoto(PNG)?.hash).to.equal(decodePhoto(` ${PNG.slice(0, 10)}\n${PNG.slice(10)}`)?.hash);
  });

  it('prefers the vCard 4 name and photo, filling gaps from vcard-temp', () => {
    const photo = decodePhoto(PNG)!;
    expect(mergeVcards({ name: 'A' }, { name: 'B', photo })).to.deep.equal({ name: 'A', photo });
    expect(mergeVcards({ avatarUrl: 'https://x.example/a.png' }, { name: 'B', photo })).to.deep.equal({ name: 'B', avatarUrl: 'https://x.example/a.png' });
  });
});

describe('block list and last activity', () => {
  it('reads block list items, ignoring malformed ones', () => {
    const el = stanza(`<blocklist xmlns="urn:xmpp:blocking"><item jid="Mallory@example.com"/><item jid="spam.example"/><item jid="bad jid@x"/><item/></blocklist>`);
    expect(parseBlockItems(el, self)).to.deep.equal([
      { id: 'mallory', jid: 'mallory@example.com' },
      { id: 'spam.example', jid: 'spam.example' },
    ]);
  });

  it('turns seconds into a time, and 0, negative or absurd values into unknown', () => {
    const r = (s: string) => stanza(`<iq type="result"><query xmlns="jabber:iq:last" seconds="${s}"/></iq>`);
    expect(parseLastActivity(r('90'), 100_000)).to.equal(10_000);
    for (const bad of ['0', '-5', 'abc', '1e20', '']) expect(parseLastActivity(r(bad)), bad).to.equal(null);
  });
});

/** Enough of a Connection for PresenceModule: stanzas in, stanzas out. */
class FakeConnection {
  status = 'online';
  sent: Element[] = [];
  #listeners: Array<(s: Element) => void> = [];
  on(event: string, fn: (s: Element) => void): () => void {
    if (event === 'stanza') this.#listeners.push(fn);
    return () => undefined;
  }
  async send(el: Element): Promise<void> {
    this.sent.push(el);
  }
  receive(source: string): void {
    this.#listeners.forEach((fn) => fn(stanza(source)));
  }
}

describe('PresenceModule', () => {
  let db: ChatDB;
  let conn: FakeConnection;
  const blocked = new Set<string>();
  beforeEach(async () => {
    db = await openDatabase(`presence-${crypto.randomUUID()}`, 'memory');
    conn = new FakeConnection();
    blocked.clear();
    new PresenceModule(conn as unknown as Connection, db, self, { isBlocked: (id) => blocked.has(id) });
  });
  afterEach(() => db.close());

  it('a user is as available as their most available resource; the last one leaving sets last seen', async () => {
    conn.receive(`<presence from="bob@example.com/phone"><show>away</show></presence>`);
    conn.receive(`<presence from="bob@example.com/desk"><status>at my desk</status></presence>`);
    await eventually(async () => (await db.presence.get('bob'))?.show === 'online', 'online from the desk');
    expect((await db.presence.get('bob'))?.status).to.equal('at my desk');
    conn.receive(`<presence from="bob@example.com/desk" type="unavailable"/>`);
    await eventually(async () => (await db.presence.get('bob'))?.show === 'away', 'still away on the phone');
    expect((await db.presence.get('bob'))?.lastSeen).to.equal(undefined);
    const before = Date.now();
    conn.receive(`<presence from="bob@example.com/phone" type="unavailable"/>`);
    await eventually(async () => (await db.presence.get('bob'))?.show === 'offline', 'offline');
    expect((await db.presence.get('bob'))?.lastSeen).to.be.within(before, Date.now());
  });

  it('an unavailable presence for someone never seen online says nothing about when, unless stamped', async () => {
    conn.receive(`<presence from="carol@example.com/x" type="unavailable"/>`);
    conn.receive(`<presence from="dave@example.com/x" type="unavailable"><delay xmlns="urn:xmpp:delay" stamp="2024-01-02T03:04:05Z"/></presence>`);
    await eventually(async () => (await db.presence.count()) === 2, 'both stored');
    expect((await db.presence.get('carol'))?.lastSeen).to.equal(undefined);
    expect((await db.presence.get('dave'))?.lastSeen).to.equal(Date.parse('2024-01-02T03:04:05Z'));
  });

  it('stores requests, approves those we asked for, and ignores blocked users', async () => {
    await db.contacts.put({ id: 'erin', jid: 'erin@example.com', subscription: 'none', ask: true, groups: [] });
    blocked.add('mallory');
    conn.receive(`<presence from="frank@example.com" type="subscribe"><status>hi, it is Frank</status></presence>`);
    conn.receive(`<presence from="erin@example.com" type="subscribe"/>`);
    conn.receive(`<presence from="mallory@example.com" type="subscribe"/>`);
    conn.receive(`<presence from="mallory@example.com/x"/>`);
    await eventually(async () => (await db.requests.count()) === 1, 'one request');
    expect(await db.requests.get('frank')).to.deep.include({ jid: 'frank@example.com', message: 'hi, it is Frank' });
    await eventually(() => conn.sent.some((s) => s.attrs.to === 'erin@example.com' && s.attrs.type === 'subscribed'), 'erin approved');
    expect(await db.presence.get('mallory')).to.equal(undefined);
    conn.receive(`<presence from="frank@example.com" type="unsubscribe"/>`);
    await eventually(async () => (await db.requests.count()) === 0, 'withdrawn request gone');
  });
});
