import { expect, fixture, html } from '@open-wc/testing';
import { client, xml, type Client, type Element } from '@xmpp/client';
import '../../src/index.js';
import { ChatKitError, type ChatKit, type CkMembers, type Signature, type SignatureRequest } from '../../src/index.js';
import { signatureElement, signaturePayload, type SignedActionName } from '../../src/protocol/signature.js';
import { befriend, createUsers, startServer, stopServer, type ServerHandle, type TestUser } from '../support/server.js';
import { closeAll, eventually, openKit, parts } from '../support/kit.js';
import { hmacHex, secretOf, signer, type SignerOptions } from '../support/signing.js';

let server: ServerHandle;
const raws: Client[] = [];

before(async () => {
  server = await startServer();
});
after(async () => {
  await stopServer(server);
});
afterEach(async () => {
  await Promise.all(raws.splice(0).map((x) => x.stop().catch(() => undefined)));
  await closeAll();
});

const MUC_ADMIN = 'http://jabber.org/protocol/muc#admin';
const MUC_USER = 'http://jabber.org/protocol/muc#user';

/** A bare @xmpp/client session, for stanzas the kit itself would never send. */
async function rawClient(user: TestUser): Promise<Client> {
  const x = client({ service: server.service, domain: server.domain, username: user.username, password: user.password, resource: 'raw' });
  x.reconnect.stop();
  x.on('error', () => undefined);
  raws.push(x);
  await x.start();
  // @xmpp/client miscounts stanzas that arrive before stream management is on.
  await eventually(() => x.streamManagement.enabled, 'raw stream management');
  return x;
}

interface Sig {
  action: SignedActionName;
  actor: string;
  room: string;
  members: string[];
  timestamp?: number;
  nonce?: string;
  secret?: string;
}

/** A signature element as the app server would make it (or, with `secret`, a forger). */
async function sign(s: Sig): Promise<Element> {
  const statement = { ...s, timestamp: s.timestamp ?? Date.now(), nonce: s.nonce ?? crypto.randomUUID() };
  const hex = await hmacHex(s.secret ?? secretOf(server), signaturePayload(statement));
  return signatureElement({ ...statement, signature: hex });
}

/** Sends an IQ and returns 'ok' or "condition: text". */
async function outcome(x: Client, iq: Element): Promise<string> {
  try {
    await x.iqCaller.request(iq, 10_000);
    return 'ok';
  } catch (err) {
    const e = err as { condition?: string; text?: string };
    return `${e.condition}: ${e.text ?? ''}`;
  }
}

function affiliationIq(room: string, jid: string, affiliation: string, signature?: Element): Element {
  return xml('iq', { type: 'set', to: room }, xml('query', { xmlns: MUC_ADMIN }, xml('item', { affiliation, jid }), signature ?? null));
}

async function memberJids(x: Client, room: string): Promise<string[]> {
  const result = await x.iqCaller.request(xml('iq', { type: 'get', to: room }, xml('query', { xmlns: MUC_ADMIN }, xml('item', { affiliation: 'member' }))));
  return (result.getChild('query', MUC_ADMIN)?.getChildren('item') ?? []).map((i) => i.attrs.jid!).sort();
}

/** alice's group with bob and carol, made through the kit. */
async function group(prefix: string, aliceOptions: SignerOptions = {}): Promise<{ alice: TestUser; bob: TestUser; carol: TestUser; dave: TestUser; aliceKit: ChatKit; room: string }> {
  const [alice, bob, carol, dave] = (await createUsers(server, 4, prefix)) as [TestUser, TestUser, TestUser, TestUser];
  await befriend(server, alice, bob);
  await befriend(server, alice, carol);
  const aliceKit = await openKit(server, alice, { generateSignature: signer(server, alice.password, aliceOptions) });
  const room = await aliceKit.startConversation([bob.username, carol.username]);
  return { alice, bob, carol, dave, aliceKit, room };
}

describe('signed group actions, enforced by the server (mod_ck_signature)', () => {
  it('a kick whose signature is missing, forged, stale, for someone else or replayed is refused', async () => {
    const { alice, bob, carol, room } = await group('sk');
    const x = await rawClient(alice);
    const kick = { action: 'kick' as const, actor: alice.jid, room, members: [carol.jid] };

    expect(await outcome(x, affiliationIq(room, carol.jid, 'none'))).to.equal('not-authorized: ck-signature: missing signature');
    expect(await outcome(x, affiliationIq(room, carol.jid, 'none', await sign({ ...kick, secret: 'not-the-secret' })))).to.equal(
      'not-authorized: ck-signature: invalid signature',
    );
    expect(await outcome(x, affiliationIq(room, carol.jid, 'outcast', await sign({ ...kick, timestamp: Date.now() - 10 * 60_000 })))).to.equal(
      'not-authorized: ck-signature: signature expired',
    );
    expect(await outcome(x, affiliationIq(room, bob.jid, 'none', await sign(kick)))).to.equal(
      `not-authorized: ck-signature: signature does not cover ${bob.jid}`,
    );
    // Signed by the app for bob, used by carol: the actor is part of what is signed.
    const y = await rawClient(carol);
    expect(await outcome(y, affiliationIq(room, bob.jid, 'none', await sign({ ...kick, members: [bob.jid] })))).to.equal(
      'not-authorized: ck-signature: invalid signature',
    );
    expect(await memberJids(x, room)).to.deep.equal([bob.jid, carol.jid].sort());

    // A valid one works once.
    const valid = affiliationIq(room, carol.jid, 'none', await sign(kick));
    expect(await outcome(x, valid)).to.equal('ok');
    expect(await memberJids(x, room)).to.deep.equal([bob.jid]);
    expect(await outcome(x, affiliationIq(room, carol.jid, 'member', await sign({ action: 'invite', actor: alice.jid, room, members: [carol.jid] })))).to.equal('ok');
    expect(await outcome(x, valid)).to.equal('not-authorized: ck-signature: nonce already used');
    expect(await memberJids(x, room)).to.deep.equal([bob.jid, carol.jid].sort());
  });

  it('adding a member without a valid signature is refused, directly or through a mediated invitation', async () => {
    const { alice, bob, dave, room } = await group('si');
    const x = await rawClient(alice);
    const invite = { action: 'invite' as const, actor: alice.jid, room, members: [dave.jid] };
    expect(await outcome(x, affiliationIq(room, dave.jid, 'member'))).to.equal('not-authorized: ck-signature: missing signature');
    expect(await outcome(x, affiliationIq(room, dave.jid, 'member', await sign({ ...invite, secret: 'guess' })))).to.equal(
      'not-authorized: ck-signature: invalid signature',
    );
    // A kick signature does not invite.
    expect(await outcome(x, affiliationIq(room, dave.jid, 'member', await sign({ ...invite, action: 'kick' })))).to.match(/^not-authorized: ck-signature: signature is for "kick"/);
    // Granting admin to an outsider is an addition too.
    expect(await outcome(x, affiliationIq(room, dave.jid, 'admin'))).to.equal('not-authorized: ck-signature: missing signature');

    // Members may invite (the room allows it), but the room adds the invitee only with a signature.
    const y = await rawClient(bob);
    await y.send(xml('presence', { to: `${room}/bobraw` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
    const refused = new Promise<Element>((resolve) => y.on('stanza', (s) => s.is('message') && s.attrs.type === 'error' && s.attrs.id === 'inv1' && resolve(s)));
    await y.send(xml('message', { to: room, id: 'inv1' }, xml('x', { xmlns: MUC_USER }, xml('invite', { to: dave.jid }))));
    const error = (await refused).getChild('error')!;
    expect(error.getChild('not-authorized', 'urn:ietf:params:xml:ns:xmpp-stanzas')).to.not.equal(undefined);
    expect(error.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas')).to.equal('ck-signature: missing signature');
    expect(await memberJids(x, room)).to.not.include(dave.jid);

    const signed = await sign({ ...invite, actor: bob.jid });
    await y.send(xml('message', { to: room, id: 'inv2' }, xml('x', { xmlns: MUC_USER }, xml('invite', { to: dave.jid })), signed));
    await eventually(async () => (await memberJids(x, room)).includes(dave.jid), 'dave added by the signed invitation');
  });

  it('creating a room needs a "start" signature for that very room', async () => {
    const [alice] = (await createUsers(server, 1, 'sc')) as [TestUser];
    const x = await rawClient(alice);
    const errors: Element[] = [];
    x.on('stanza', (s) => s.is('presence') && s.attrs.type === 'error' && errors.push(s));
    const room = `${crypto.randomUUID()}@${server.mucDomain}`;
    const other = `${crypto.randomUUID()}@${server.mucDomain}`;
    const join = (sig?: Element) => x.send(xml('presence', { to: `${room}/alice` }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' }), sig ?? null));
    await join();
    await join(await sign({ action: 'start', actor: alice.jid, room: other, members: [] }));
    await eventually(() => errors.length === 2, 'two refusals');
    expect(errors.map((e) => e.getChild('error')!.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas'))).to.deep.equal([
      'ck-signature: missing signature',
      'ck-signature: invalid signature',
    ]);
    const info = await outcome(x, xml('iq', { type: 'get', to: room }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    expect(info).to.match(/^item-not-found/);
  });

  it('the kit reports a refused signature as such, and a vetoed one sends nothing', async () => {
    const forged = await group('sf');
    const bad = await openKit(server, forged.alice, { generateSignature: signer(server, forged.alice.password, { secret: 'wrong' }) });
    const err = (await bad.kick(forged.room, [forged.carol.username]).catch((e: unknown) => e)) as ChatKitError;
    expect(err).to.be.instanceOf(ChatKitError);
    expect(err.code).to.equal('signature-refused');
    expect(err.message).to.contain('invalid signature');
    // The members panel shows the same failure as a ck-error event.
    const panel = await fixture<CkMembers>(html`<ck-members .kit=${bad} conversation=${forged.room}></ck-members>`);
    await eventually(() => parts(panel, '[part=remove-button]').length === 2, 'owner sees remove buttons');
    const shown = new Promise<Error>((resolve) => panel.addEventListener('ck-error', (e) => resolve((e as Event & { error: Error }).error)));
    parts(panel, '[part=remove-button]')[0]!.click();
    expect(((await shown) as ChatKitError).code).to.equal('signature-refused');

    const stale = await openKit(server, forged.alice, { generateSignature: signer(server, forged.alice.password, { skewMs: -10 * 60_000 }) });
    const staleErr = (await stale.invite(forged.room, [forged.dave.username]).catch((e: unknown) => e)) as ChatKitError;
    expect(staleErr.code).to.equal('signature-refused');
    expect(staleErr.message).to.contain('expired');

    // A hook that hands out the same signature twice: the second use is a replay.
    let first: Signature | undefined;
    const replaying = async (req: SignatureRequest): Promise<Signature> => {
      if (req.action === 'open') return { signature: forged.alice.password, timestamp: Date.now(), nonce: crypto.randomUUID() };
      first ??= await signer(server, forged.alice.password)(req);
      return first;
    };
    const replayKit = await openKit(server, forged.alice, { generateSignature: replaying });
    await replayKit.kick(forged.room, [forged.carol.username]);
    await forged.aliceKit.invite(forged.room, [forged.carol.username]);
    const replayErr = (await replayKit.kick(forged.room, [forged.carol.username]).catch((e: unknown) => e)) as ChatKitError;
    expect(replayErr.code).to.equal('signature-refused');
    expect(replayErr.message).to.contain('nonce already used');

    // A veto: nothing reaches the server (carol stays a member).
    const log: SignatureRequest[] = [];
    const vetoing = await openKit(server, forged.alice, { generateSignature: signer(server, forged.alice.password, { veto: ['kick', 'invite'], log }) });
    const vetoErr = (await vetoing.kick(forged.room, [forged.carol.username]).catch((e: unknown) => e)) as ChatKitError;
    expect(vetoErr.code).to.equal('signature-vetoed');
    expect(log.map((r) => r.action)).to.deep.equal(['kick']);
    const x = await rawClient(forged.alice);
    expect(await memberJids(x, forged.room)).to.include(forged.carol.jid);
  });
});
