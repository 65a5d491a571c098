// Rich messages from another client, hand-written and sent through the real server: the
// kit stores what they mean (live and from the archive), and ignores what is forged.
import { expect } from '@open-wc/testing';
import { xml, type Element } from '@xmpp/client';
import '../../src/index.js';
import { latestMessages } from '../../src/store/queries.js';
import { createUsers } from '../support/server.js';
import { eventually, eventuallyEqual, openKit, useServer } from '../support/kit.js';
import { rawClient } from '../support/raw-client.js';

const server = useServer();

const chat = (to: string, id: string, ...children: Element[]) => xml('message', { to, type: 'chat', id }, ...children);
const body = (text: string) => xml('body', {}, text);

describe('rich messages from another client', () => {
  it('alice sees bob correct, react to, reply to and recall his message, and his typing', async () => {
    const [alice, bob, mallory] = await createUsers(server, 3, 'rin');
    const kit = await openKit(server, alice!);
    const b = await rawClient(server, bob!);
    const m = await rawClient(server, mallory!);
    try {
      const db = kit.db!;
      await b.send(chat(alice!.jid, 'b1', body('helo')));
      const original = await eventually(async () => (await latestMessages(db, bob!.jid, 10)).find((m) => m.remoteId === 'b1'), 'first message');
      await b.send(chat(alice!.jid, 'b2', body('hello'), xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: 'b1' })));
      await b.send(chat(alice!.jid, 'b3', xml('reactions', { xmlns: 'urn:xmpp:reactions:0', id: 'b1' }, xml('reaction', {}, '👍'))));
      await b.send(chat(alice!.jid, 'b3a', xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' })));
      await eventually(async () => (await db.typing.get(`${bob!.jid} ${bob!.username}`))?.userId === bob!.username, 'bob is typing');
      await b.send(
        chat(
          alice!.jid,
          'b4',
          body('> hello\nand more'),
          xml('reply', { xmlns: 'urn:xmpp:reply:0', to: `${bob!.jid}/x`, id: 'b1' }),
          xml('fallback', { xmlns: 'urn:xmpp:fallback:0', for: 'urn:xmpp:reply:0' }, xml('body', { start: '0', end: '8' })),
        ),
      );
      await eventuallyEqual(
        async () => {
          const m = await db.messages.get(original.id);
          return [m?.body, !!m?.edited, m?.reactions];
        },
        ['hello', true, { '👍': [bob!.username] }],
        'correction and reaction applied',
      );
      const reply = await eventually(async () => (await latestMessages(db, bob!.jid, 10)).find((m) => m.remoteId === 'b4'), 'reply');
      expect(reply.body).to.equal('and more');
      expect(reply.reply).to.deep.equal({ ref: 'b1', id: original.id, to: bob!.username, excerpt: 'hello' });
      // The reply (a message from bob) ended his typing.
      expect(await db.typing.count()).to.equal(0);
      await b.send(chat(alice!.jid, 'b6', xml('composing', { xmlns: 'http://jabber.org/protocol/chatstates' })));
      await eventually(async () => (await db.typing.count()) === 1, 'typing again');
      await b.send(chat(alice!.jid, 'b7', xml('paused', { xmlns: 'http://jabber.org/protocol/chatstates' })));
      await eventually(async () => (await db.typing.count()) === 0, 'typing paused');

      // Mallory names bob's message id: it is not hers to change, nor in her conversation.
      await m.send(chat(alice!.jid, 'm1', body('pwned'), xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: 'b1' })));
      await m.send(chat(alice!.jid, 'm2', xml('retract', { xmlns: 'urn:xmpp:message-retract:1', id: 'b1' })));
      await m.send(chat(alice!.jid, 'm3', body('marker')));
      await eventually(async () => (await latestMessages(db, mallory!.jid, 10)).length === 1, 'marker arrives');
      expect(await db.messages.get(original.id)).to.deep.include({ body: 'hello', reactions: { '👍': [bob!.username] } });
      expect(await db.messages.get(original.id)).to.not.have.key('retracted');

      await b.send(
        chat(
          alice!.jid,
          'b8',
          xml('retract', { xmlns: 'urn:xmpp:message-retract:1', id: 'b1' }),
          xml('fallback', { xmlns: 'urn:xmpp:fallback:0', for: 'urn:xmpp:message-retract:1' }),
          body('This person attempted to retract a previous message, but it is unsupported by your client.'),
        ),
      );
      await eventually(async () => (await db.messages.get(original.id))?.retracted, 'recalled');
      const rows = await latestMessages(db, bob!.jid, 10);
      // Two rows: the recalled original and the reply; no change became a message of its own.
      expect(rows.map((m) => [m.remoteId, m.body])).to.deep.equal([
        ['b1', ''],
        ['b4', 'and more'],
      ]);
      expect((await db.conversations.get(bob!.jid))!.unread).to.equal(2);
    } finally {
      await b.close();
      await m.close();
    }
  });

  it('a correction sent while alice was away reaches her through the archive, with the file bob sent', async () => {
    const [alice, bob] = await createUsers(server, 2, 'rar');
    const b = await rawClient(server, bob!);
    try {
      const url = `${server.httpBase}/files/report%202026.pdf`;
      await b.send(
        chat(
          alice!.jid,
          'f1',
          body(url),
          xml('x', { xmlns: 'jabber:x:oob' }, xml('url', {}, url)),
          xml('file', { xmlns: 'urn:xmpp:file:metadata:0' }, xml('media-type', {}, 'application/pdf'), xml('size', {}, '1234')),
        ),
      );
      await b.send(chat(alice!.jid, 't1', body('teh plan')));
      await b.send(chat(alice!.jid, 't2', body('the plan'), xml('replace', { xmlns: 'urn:xmpp:message-correct:0', id: 't1' })));
      // A receipt request round trip: the server has stored everything above.
      await new Promise((r) => setTimeout(r, 300));
      const kit = await openKit(server, alice!);
      const db = kit.db!;
      await eventuallyEqual(async () => (await latestMessages(db, bob!.jid, 10)).map((m) => m.body), [url, 'the plan'], 'archive caught up');
      const [file, text] = await latestMessages(db, bob!.jid, 10);
      expect(file!.attachment).to.deep.equal({ url, name: 'report 2026.pdf', size: 1234, mime: 'application/pdf' });
      expect(text!.edited).to.be.a('number');
      expect((await db.conversations.get(bob!.jid))!.last).to.include({ body: 'the plan', id: text!.id });
    } finally {
      await b.close();
    }
  });
});
