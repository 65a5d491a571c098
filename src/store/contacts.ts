import type { ChatDB } from './schema.js';
import type { ContactRecord, PresenceRecord, ProfileRecord } from './records.js';

/** Replaces the whole roster (a full roster result). */
export async function replaceContacts(db: ChatDB, contacts: readonly ContactRecord[]): Promise<void> {
  await db.transaction('rw', db.contacts, async () => {
    await db.contacts.clear();
    await db.contacts.bulkPut([...contacts]);
  });
}

/** Applies a roster push: `remove` deletes, anything else upserts. */
export async function applyRosterItem(db: ChatDB, item: ContactRecord | { id: string; remove: true }): Promise<void> {
  if ('remove' in item) await db.contacts.delete(item.id);
  else await db.contacts.put(item);
}

export async function putPresence(db: ChatDB, record: PresenceRecord): Promise<void> {
  await db.presence.put(record);
}

export async function putProfiles(db: ChatDB, records: readonly ProfileRecord[]): Promise<void> {
  if (records.length) await db.profiles.bulkPut([...records]);
}
