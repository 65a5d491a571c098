import { expect } from '@open-wc/testing';
import { isTrustedRosterPush, parseRosterItem } from '../../src/protocol/roster.js';
import { parsePresence } from '../../src/protocol/presence.js';
import { bareJid, isValidBareJid, toUserId, userIdToJid } from '../../src/protocol/jid.js';
import { backoffDelay } from '../../src/protocol/backoff.js';
import { stanza } from '../support/stanza.js';

const self = { jid: 'alice@example.com', domain: 'example.com' };

describe('ids', () => {
  it('maps users of the app domain to local parts and others to bare JIDs', () => {
    expect(toUserId('Bob@Example.com/phone', 'example.com')).to.equal('bob');
    expect(toUserId('bob@other.org/x', 'example.com')).to.equal('bob@other.org');
    expect(userIdToJid('bob', 'example.com')).to.equal('bob@example.com');
    expect(userIdToJid('bob@other.org', 'example.com')).to.equal('bob@other.org');
    expect(bareJid('a@b/c/d')).to.equal('a@b');
  });

  it('rejects malformed JIDs', () => {
    expect(isValidBareJid('bob@example.com')).to.equal(true);
    for (const bad of ['', '@example.com', 'bob@', 'b ob@example.com', 'bob@exa<mple.com', 'a@b/c', 'x"y@z']) {
      expect(isValidBareJid(bad), bad).to.equal(false);
    }
  });
});

describe('roster', () => {
  it('parses items with names, groups and pending requests', () => {
    const item = stanza(`<item xmlns="jabber:iq:roster" jid="Bob@example.com" name=" Bob " subscription="to" ask="subscribe"><group>Friends</group><group>Work</group></item>`);
    expect(parseRosterItem(item, self)).to.deep.equal({
      id: 'bob',
      jid: 'bob@example.com',
      name: 'Bob',
      subscription: 'to',
      ask: true,
      groups: ['Friends', 'Work'],
    });
  });

  it('turns subscription="remove" into a removal and drops bad items', () => {
    expect(parseRosterItem(stanza(`<item jid="bob@example.com" subscription="remove"/>`), self)).to.deep.equal({ id: 'bob', remove: true });
    expect(parseRosterItem(stanza(`<item name="no jid"/>`), self)).to.equal(null);
    expect(parseRosterItem(stanza(`<item jid="bad jid@x"/>`), self)).to.equal(null);
    const odd = parseRosterItem(stanza(`<item jid="carol@example.com" subscription="bogus"/>`), self);
    expect(odd && !('remove' in odd) && odd.subscription).to.equal('none');
  });

  it('believes pushes only from our own account', () => {
    expect(isTrustedRosterPush(stanza(`<iq type="set"/>`), self)).to.equal(true);
    expect(isTrustedRosterPush(stanza(`<iq type="set" from="alice@example.com"/>`), self)).to.equal(true);
    expect(isTrustedRosterPush(stanza(`<iq type="set" from="alice@example.com/other"/>`), self)).to.equal(true);
    expect(isTrustedRosterPush(stanza(`<iq type="set" from="mallory@example.com"/>`), self)).to.equal(false);
    expect(isTrustedRosterPush(stanza(`<iq type="set" from="example.com"/>`), self)).to.equal(false);
  });
});

describe('presence', () => {
  it('maps show values and caps status text', () => {
    const away = parsePresence(stanza(`<presence from="bob@example.com/p"><show>away</show><status>${'z'.repeat(5000)}</status></presence>`), self, 5);
    expect(away).to.deep.include({ id: 'bob', show: 'away', updatedAt: 5 });
    expect(away?.status?.length).to.equal(1024);
    expect(parsePresence(stanza(`<presence from="bob@example.com/p"/>`), self)?.show).to.equal('online');
    expect(parsePresence(stanza(`<presence from="bob@example.com/p" type="unavailable"/>`), self)?.show).to.equal('offline');
    expect(parsePresence(stanza(`<presence from="bob@example.com" type="subscribe"/>`), self)).to.equal(null);
    expect(parsePresence(stanza(`<presence from="alice@example.com/other"/>`), self)).to.equal(null);
  });
});

describe('backoff', () => {
  it('grows exponentially with jitter and a ceiling', () => {
    expect(backoffDelay(0, 1000, 30000, () => 0)).to.equal(500);
    expect(backoffDelay(0, 1000, 30000, () => 1)).to.equal(1000);
    expect(backoffDelay(3, 1000, 30000, () => 1)).to.equal(8000);
    expect(backoffDelay(20, 1000, 30000, () => 1)).to.equal(30000);
    expect(backoffDelay(20, 1000, 30000, () => 0)).to.equal(15000);
  });
});
