/**
 * Story fixtures: a ChatKit on a fresh in-memory store, filled with realistic data
 * through the store's own functions. Nothing here touches the network: the kit's
 * store is selected with `openStore` (no connection), profiles are written to the
 * store up front and `fetchProfiles` answers from the same table.
 *
 * Deterministic: no randomness; times are fixed offsets from the moment of seeding.
 */
import { ChatKit, type Profile } from '../src/index.js';
import { ingestMessages, markConversationRead, type IncomingMessage } from '../src/store/messages.js';
import { putProfiles, replaceContacts } from '../src/store/contacts.js';
import type { ContactRecord, MessageState, Subscription } from '../src/store/records.js';

export const DOMAIN = 'example.com';
/** Never contacted: stories open the store only. */
export const SERVICE = 'ws://127.0.0.1:5280/xmpp-websocket';

export interface SeedOptions {
  /** Conversations with messages (default 8). */
  conversations?: number;
  /** Messages in each conversation (default 12); the first conversation also gets the showcase messages. */
  messagesPer?: number;
  /** Roster entries (default 14). */
  contacts?: number;
  /** The kit's locale (default 'en'). */
  locale?: string;
  /** Whether the first conversation ends with a failed own message (default true). */
  withFailed?: boolean;
}

interface Person {
  id: string;
  name: string;
  /** Chinese names talk in Chinese, the others in English. */
  zh: boolean;
  groups: string[];
  subscription?: Subscription;
  ask?: boolean;
}

/** The signed-in user's display name (the account id differs per story). */
export const SELF_NAME = 'Alice Chen';

const PEOPLE: Person[] = [
  { id: 'bob', name: 'Bob Martin', zh: false, groups: ['Work'] },
  { id: 'zhangwei', name: '张伟', zh: true, groups: ['Work'] },
  { id: 'lina', name: '李娜', zh: true, groups: ['Friends'] },
  { id: 'carol', name: 'Carol Nguyen', zh: false, groups: ['Work'] },
  { id: 'wangfang', name: '王芳', zh: true, groups: ['Family'] },
  { id: 'dave', name: 'David Okafor', zh: false, groups: ['Friends'] },
  { id: 'liuyang', name: '刘洋', zh: true, groups: ['Work'] },
  { id: 'emma', name: 'Emma Schmidt', zh: false, groups: [] },
  { id: 'chenjing', name: '陈静', zh: true, groups: ['Friends'] },
  { id: 'frank', name: 'Frank Rossi', zh: false, groups: ['Work'], subscription: 'to' },
  { id: 'zhaolei', name: '赵磊', zh: true, groups: [] },
  { id: 'grace', name: 'Grace Kim', zh: false, groups: ['Family'], subscription: 'from' },
  { id: 'huangmin', name: '黄敏', zh: true, groups: ['Work'] },
  { id: 'henry', name: 'Henry Dubois', zh: false, groups: [], subscription: 'none', ask: true },
  { id: 'zhouqiang', name: '周强', zh: true, groups: ['Friends'] },
  { id: 'isabel', name: 'Isabel García', zh: false, groups: ['Work'] },
  { id: 'wuxia', name: '吴霞', zh: true, groups: [] },
  { id: 'jamal', name: 'Jamal Harris', zh: false, groups: ['Friends'] },
  { id: 'sunli', name: '孙丽', zh: true, groups: ['Family'] },
  { id: 'kate', name: 'Kate O’Brien', zh: false, groups: [] },
];

/** The n-th person: the fixed cast first, then numbered guests. */
export function person(n: number): Person {
  return PEOPLE[n] ?? { id: `guest${n + 1}`, name: `Guest ${n + 1}`, zh: false, groups: ['Guests'] };
}

/** The conversation id (bare JID) of the n-th person. */
export function conversationOf(n: number): string {
  return `${person(n).id}@${DOMAIN}`;
}

// Alternating lines, peer first; cycled when a conversation needs more.
const LINES_EN = [
  'Morning! Do you have a minute today?',
  'Sure, what’s up?',
  'The client moved the review to Thursday.',
  'Thursday works. Same room as last time?',
  'Yes, 3rd floor, 10:30.',
  'Great, I’ll bring the printouts.',
  'Could you also check the budget sheet?',
  'On it — I’ll send comments tonight.',
  'Thanks! 🙏',
  'Lunch tomorrow?',
  'Only if it’s the ramen place 🍜',
  'Deal.',
];

const LINES_ZH = [
  '早上好！今天有空吗？',
  '有的，什么事？',
  '客户把评审改到周四了。',
  '周四可以，还是上次那个会议室吗？',
  '对，三楼，十点半。',
  '好的，我会把打印稿带过去。',
  '顺便帮我看一下预算表？',
  '没问题，今晚把意见发给你。',
  '太感谢了！😊',
  '明天一起吃午饭吗？',
  '去那家拉面店的话我就去 🍜',
  '一言为定。',
];

const LONG_MESSAGE =
  'Here is the summary from today’s call, so nobody has to dig through the recording. ' +
  'First, the migration: we keep the old endpoint running for two more weeks and switch the mobile apps over in the 2.4 release. ' +
  'Second, the offline mode: messages written without a connection stay in the outbox and go out in order when the app is back online, ' +
  'and anything the server refuses is marked as not sent with a way to resend or delete it. ' +
  'Third, the design review: the dark theme needs another pass on contrast, especially the unread badge and the delivery ticks. ' +
  'Finally, the Chinese translation is done (感谢李娜！) and will ship with the next build. ' +
  'Let me know if I missed anything.';

/** The end of the first conversation: rich text and own messages in every state. */
function showcase(withFailed: boolean): Array<{ own: boolean; body: string; state: MessageState; error?: string }> {
  const own = (body: string, state: MessageState, error?: string) => ({ own: true, body, state, ...(error ? { error } : {}) });
  return [
    { own: false, body: 'Release notes are up: https://example.com/releases/2.4 — the *migration* section is the one that matters.', state: 'received' },
    own(LONG_MESSAGE, 'read'),
    { own: false, body: 'Perfect, thanks. *Please* double-check the _dates_ before Friday.', state: 'received' },
    own('Will do. Dates look right so far.', 'read'),
    own('Sending the deck now.', 'delivered'),
    own('Slides: https://example.com/decks/q3-review.pdf', 'sent'),
    own('And the speaker notes…', 'pending'),
    ...(withFailed ? [own('Can you forward this to Carol too?', 'failed', 'The server refused the message (service-unavailable).')] : []),
  ];
}

/** Unread count per conversation index (cycled); at most the conversation's length. */
const UNREAD = [0, 2, 5, 0, 1, 12, 0, 3];

const MIN = 60_000;
const HOUR = 60 * MIN;

let accounts = 0;

/**
 * A ChatKit with a fresh memory store, already seeded. Each call uses a new
 * account (and memory storage is per kit anyway), so stories never share state.
 */
export async function seededKit(options: SeedOptions = {}): Promise<ChatKit> {
  const { conversations = 8, messagesPer = 12, contacts = 14, locale = 'en', withFailed = true } = options;
  const self = `alice${++accounts}`;
  const now = Date.now();

  const cast = Array.from({ length: Math.max(conversations, contacts) }, (_, i) => person(i));
  const table = new Map<string, Profile>([[self, { id: self, name: SELF_NAME }], ...cast.map((p) => [p.id, { id: p.id, name: p.name }] as const)]);

  const kit = new ChatKit({
    service: SERVICE,
    domain: DOMAIN,
    storage: 'memory',
    locale,
    // Answers from the fixture table: no network, even if the kit asks for a profile again.
    fetchProfiles: async (ids) => ids.flatMap((id) => table.get(id) ?? []),
  });
  await kit.openStore(self);
  const db = kit.db!;

  await putProfiles(db, [...table.values()].map((p) => ({ id: p.id, name: p.name, fetchedAt: now })));

  const roster: ContactRecord[] = cast.slice(0, contacts).map((p) => ({
    id: p.id,
    jid: `${p.id}@${DOMAIN}`,
    name: p.name,
    subscription: p.subscription ?? 'both',
    groups: p.groups,
    ...(p.ask ? { ask: true } : {}),
  }));
  await replaceContacts(db, roster);

  for (let c = 0; c < conversations; c++) {
    const peer = person(c);
    const conversationId = conversationOf(c);
    const lines = peer.zh ? LINES_ZH : LINES_EN;
    type Draft = { own: boolean; body: string; state: MessageState; error?: string };
    const drafts: Draft[] = Array.from({ length: messagesPer }, (_, k) => {
      const own = k % 2 === 1;
      return { own, body: lines[k % lines.length]!, state: own ? 'read' : 'received' };
    });
    if (c === 0 && messagesPer > 0) {
      // Keep the conversation's length but end it with the showcase.
      const tail = showcase(withFailed);
      drafts.splice(Math.max(0, drafts.length - tail.length), tail.length, ...tail);
    }
    const unread = c === 0 ? 0 : Math.min(UNREAD[c % UNREAD.length]!, drafts.length);
    // The unread ones are the newest, and from the peer.
    for (let k = drafts.length - unread; k < drafts.length; k++) {
      drafts[k] = { own: false, body: lines[k % lines.length]!, state: 'received' };
    }

    // Newest message: a few minutes (first conversation) to hours (later ones) ago. Going
    // back, four messages a day a few minutes apart: the newest four on the last message's
    // day, the others on the calendar days before it (so the log shows "Yesterday" and
    // dated separators at any hour), at a time of day that differs per conversation.
    const end = now - 2 * MIN - c * 47 * MIN;
    const endDay = new Date(end);
    endDay.setHours(0, 0, 0, 0);
    const morning = 9 * HOUR + 30 * MIN + ((c * 37) % 600) * MIN;
    const records: IncomingMessage[] = drafts.map((d, k) => {
      const back = drafts.length - 1 - k;
      const day = Math.floor(back / 4);
      const within = (3 - (back % 4)) * 4 * MIN + (k % 3) * 17_000;
      let ts = end - (back % 4) * 4 * MIN - (k % 3) * 17_000;
      if (day > 0) {
        const date = new Date(endDay);
        date.setDate(date.getDate() - day); // calendar days, right across DST changes
        ts = date.getTime() + morning + within;
      }
      const id = `${peer.id}-${k + 1}`;
      return {
        id,
        conversationId,
        from: d.own ? self : peer.id,
        own: d.own,
        body: d.body,
        ts,
        state: d.state,
        ...(d.own ? { originId: id } : { stanzaId: `arc-${peer.id}-${k + 1}` }),
        ...(d.error ? { error: d.error, attempts: 3 } : {}),
      };
    });
    const split = records.length - unread;
    await ingestMessages(db, records.slice(0, split));
    await markConversationRead(db, conversationId);
    await ingestMessages(db, records.slice(split));
  }
  return kit;
}

/** What the stories' loaders hand to `render` as `loaded`. */
export interface Loaded {
  kit: ChatKit;
}

/**
 * A story loader: seeds a kit before the story renders, in the locale of the
 * `lang` toolbar global (or the story's own `globals`). Runs again on every render.
 */
export function kitLoader(options: SeedOptions = {}) {
  return async ({ globals }: { globals: Record<string, unknown> }): Promise<Loaded> => ({
    kit: await seededKit({ locale: String(globals.lang ?? 'en'), ...options }),
  });
}

/** The `theme` toolbar global as the elements' `theme` attribute. */
export function themeOf(globals: Record<string, unknown>): 'light' | 'dark' {
  return globals.theme === 'dark' ? 'dark' : 'light';
}

/**
 * Resolves with `get()`'s first truthy value, polling each frame: elements paint
 * from live queries, so rows appear a moment after the element connects.
 */
export async function until<T>(get: () => T | null | undefined | false, timeoutMs = 3000): Promise<T> {
  const start = performance.now();
  for (;;) {
    const value = get();
    if (value) return value;
    if (performance.now() - start > timeoutMs) throw new Error('Timed out waiting for the element to render');
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }
}
