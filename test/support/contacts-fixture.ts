// A large, realistic roster in a kit's store (memory or IndexedDB): shared by the picker tests
// and the contacts benchmark (bench/page.js). Deterministic: same n, same data.
import { ChatKit, type ChatKitOptions } from '../../src/index.js';
import { putProfiles, replaceContacts } from '../../src/store/contacts.js';
import type { ContactRecord, ProfileRecord } from '../../src/store/records.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红鹏飞建国文辉';
const FIRST = ['Anna', 'Ben', 'Chloé', 'David', 'Emma', 'Felix', 'Grace', 'Hugo', 'Ivy', 'Jonas', 'Kate', 'Liam', 'Mia', 'Noah', 'Olivia', 'Pablo', 'Quinn', 'Rosa', 'Sam', 'Tom', 'Uma', 'Victor', 'Wendy', 'Xavier', 'Yuki', 'Zoe'];
const LAST = ['Smith', 'García', 'Müller', 'Rossi', 'Kim', 'Nguyen', 'Okafor', 'Dubois', 'Silva', 'Novak'];

/** The n-th contact's display name: every third Chinese, a few digits/symbols, the rest Latin. */
export function contactName(i: number): string {
  if (i % 3 === 0) return SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 7) % GIVEN.length]! + (i % 2 ? GIVEN[(i * 13) % GIVEN.length]! : '');
  if (i % 97 === 0) return `${i % 10} Agent ${i}`;
  return `${FIRST[(i * 5) % FIRST.length]} ${LAST[(i * 3) % LAST.length]} ${i}`;
}

export function contactId(i: number): string {
  return `user${String(i).padStart(5, '0')}`;
}

/** Writes `n` mutual contacts, half named in the roster and half through fresh profiles. */
export async function seedContacts(kit: ChatKit, n: number): Promise<void> {
  const db = kit.db;
  if (!db) throw new Error('open the kit store first');
  const contacts: ContactRecord[] = [];
  const profiles: ProfileRecord[] = [];
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const id = contactId(i);
    const c: ContactRecord = { id, jid: `${id}@example.com`, subscription: 'both', groups: [] };
    if (i % 2) c.name = contactName(i);
    else profiles.push({ id, name: contactName(i), fetchedAt: now });
    contacts.push(c);
  }
  await replaceContacts(db, contacts);
  await putProfiles(db, profiles);
}

/** A kit on a fresh store (no server) holding `n` contacts. */
export async function kitWithRoster(n: number, options: Partial<ChatKitOptions> = {}): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en', ...options });
  await kit.openStore(`me-${crypto.randomUUID().slice(0, 8)}`);
  await seedContacts(kit, n);
  return kit;
}
