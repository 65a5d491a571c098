export const NS = {
  client: 'jabber:client',
  roster: 'jabber:iq:roster',
  carbons: 'urn:xmpp:carbons:2',
  forward: 'urn:xmpp:forward:0',
  delay: 'urn:xmpp:delay',
  sid: 'urn:xmpp:sid:0',
  receipts: 'urn:xmpp:receipts',
  markers: 'urn:xmpp:chat-markers:0',
  chatStates: 'http://jabber.org/protocol/chatstates',
  sm: 'urn:xmpp:sm:3',
  stanzas: 'urn:ietf:params:xml:ns:xmpp-stanzas',
  hints: 'urn:xmpp:hints',
} as const;
