/**
 * Rich messages for stories and tests: one of each kind the chat view draws (image,
 * file, voice, upload in progress, location, custom type, edited, recalled, reply,
 * reactions), written straight into a memory store as the protocol layer would store them.
 */
import { ChatKit } from '../src/index.js';
import type { ConversationRecord, MessagePreview, MessageRecord } from '../src/store/records.js';
import { DOMAIN, SERVICE } from './fixtures.js';

export const RICH_SELF = 'alice';
export const RICH_PEER = `bob@${DOMAIN}`;
/** A real image the dev servers serve (Storybook and the test runner both serve the repo root). */
export const SAMPLE_IMAGE_PATH = '/docs/screenshots/phone-light.png';

const BASE = Date.UTC(2026, 0, 5, 9, 0, 0);

/** One message of each rich kind, oldest first, in a 1:1 with bob. */
export function richMessages(conversationId = RICH_PEER, imageUrl = `https://files.${DOMAIN}/u/photo.jpg`): MessageRecord[] {
  let seq = 0;
  const at = (over: Partial<MessageRecord> & Pick<MessageRecord, 'id'>): MessageRecord => {
    seq++;
    const own = over.own ?? false;
    return {
      conversationId,
      from: own ? RICH_SELF : 'bob',
      own,
      body: '',
      ts: BASE + seq * 60_000,
      seq,
      state: own ? 'read' : 'received',
      ...over,
    };
  };
  return [
    at({ id: 'text', body: 'Here is the plan for Saturday: *museum* first, then lunch.' }),
    at({
      id: 'image',
      body: imageUrl,
      attachment: { url: imageUrl, name: 'eiffel.jpg', size: 2_097_152, mime: 'image/jpeg', width: 1600, height: 1200 },
    }),
    at({
      id: 'file',
      own: true,
      body: 'The tickets, printed',
      attachment: { url: `https://files.${DOMAIN}/u/tickets.pdf`, name: 'tickets-saturday-louvre-and-orsay.pdf', size: 48_300, mime: 'application/pdf' },
    }),
    at({
      id: 'voice',
      body: `https://files.${DOMAIN}/u/voice.ogg`,
      attachment: { url: `https://files.${DOMAIN}/u/voice.ogg`, name: 'voice.ogg', size: 12_000, mime: 'audio/ogg', duration: 7_000, voice: true },
    }),
    at({
      id: 'upload',
      own: true,
      state: 'pending',
      attachment: { url: '', name: 'holiday.mov', size: 31_000_000, mime: 'video/quicktime' },
      upload: { progress: 0.42 },
    }),
    at({ id: 'location', body: 'geo:48.8584,2.2945;u=35', location: { lat: 48.8584, lon: 2.2945, accuracy: 35 } }),
    at({ id: 'custom', body: 'Contact card: Carol Diaz, +33 1 23 45 67 89', custom: { type: 'contact-card', data: { name: 'Carol Diaz', phone: '+33 1 23 45 67 89' } } }),
    at({ id: 'unknown-custom', body: 'Poll: lunch at noon? (open in the app to vote)', custom: { type: 'poll', data: { q: 'lunch at noon?' } } }),
    at({ id: 'edited', own: true, body: 'See you at 10:30, not 10', edited: BASE + 20 * 60_000 }),
    at({ id: 'recalled-peer', retracted: true }),
    at({ id: 'recalled-own', own: true, retracted: true }),
    at({ id: 'reply', body: 'Yes, agreed!', reply: { ref: 'text', id: 'text', to: 'bob', excerpt: 'Here is the plan for Saturday: *museum* first, then lunch.' } }),
    at({ id: 'reactions', body: 'Shall I book the table?', reactions: { '👍': ['bob', RICH_SELF], '🎉': ['carol'] } }),
  ];
}

/** The list preview each rich kind leads to (the store's own shape). */
export function previewOf(m: MessageRecord): MessagePreview {
  return {
    id: m.id,
    from: m.from,
    own: m.own,
    body: m.body,
    state: m.state,
    ...(m.attachment ? { attachment: { name: m.attachment.name, mime: m.attachment.mime, voice: m.attachment.voice } } : {}),
    ...(m.location ? { location: true } : {}),
    ...(m.retracted ? { retracted: true } : {}),
    ...(m.custom ? { custom: m.custom } : {}),
  };
}

/** A kit on a fresh memory store holding `messages` in one 1:1 conversation. */
export async function richKit(messages: MessageRecord[] = richMessages(), locale = 'en'): Promise<ChatKit> {
  const kit = new ChatKit({ service: SERVICE, domain: DOMAIN, storage: 'memory', locale });
  await kit.openStore(RICH_SELF);
  const db = kit.db!;
  const byConversation = new Map<string, MessageRecord[]>();
  for (const m of messages) byConversation.set(m.conversationId, [...(byConversation.get(m.conversationId) ?? []), m]);
  const conversations: ConversationRecord[] = [...byConversation].map(([id, rows]) => {
    const last = rows[rows.length - 1]!;
    return { id, type: 'chat', lastAt: last.ts, last: previewOf(last), unread: 0, pin: 0 };
  });
  await db.conversations.bulkPut(conversations);
  await db.messages.bulkPut(messages);
  return kit;
}
