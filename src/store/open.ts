import { ChatDB, databaseName } from './schema.js';
import type { StorageKind } from '../kit/types.js';

/**
 * Opens (creating on first use) the account's database. Memory storage runs the
 * same schema on fake-indexeddb, so every query and live query behaves alike;
 * it is loaded only when asked for, keeping it out of the common path.
 */
export async function openDatabase(account: string, kind: StorageKind, onFallback?: (error: unknown) => void): Promise<ChatDB> {
  if (kind === 'memory') {
    const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb');
    return new ChatDB(databaseName(account), { indexedDB: new IDBFactory(), IDBKeyRange });
  }
  const db = new ChatDB(databaseName(account));
  try {
    // Opened now, not lazily on the first query: a browser without usable IndexedDB (private
    // modes, disabled storage, a broken profile) must still get a working chat.
    await db.open();
    return db;
  } catch (err) {
    db.close();
    onFallback?.(err);
    return openDatabase(account, 'memory');
  }
}
