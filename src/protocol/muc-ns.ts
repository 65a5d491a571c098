/** Namespaces of group chat (XEP-0045) and its companions. */
export const MUC_NS = {
  muc: 'http://jabber.org/protocol/muc',
  user: 'http://jabber.org/protocol/muc#user',
  admin: 'http://jabber.org/protocol/muc#admin',
  owner: 'http://jabber.org/protocol/muc#owner',
  roomconfig: 'http://jabber.org/protocol/muc#roomconfig',
  conference: 'jabber:x:conference',
  reference: 'urn:xmpp:reference:0',
  occupantId: 'urn:xmpp:occupant-id:0',
  discoInfo: 'http://jabber.org/protocol/disco#info',
  discoItems: 'http://jabber.org/protocol/disco#items',
} as const;
