import { ChatDB, databaseName } from './schema.js';
import type { StorageKind } from '../kit/types.js';

/**
 * Opens (creating on first use) the account's database. Memory storage runs the
 * same schema on fake-indexeddb, so every query and live query behaves alike;
 * it is loaded only when asked for, keeping it out of the common path.
 */
export async function openDatabase(account: string, kind: StorageKind): Promise<ChatDB> {
  if (kind === 'memory') {
    const { IDBFactory, IDBKeyRange } = await import('fake-indexeddb');
    return new ChatDB(databaseName(account), { indexedDB: new IDBFactory(), IDBKeyRange });
  }
  return new ChatDB(databaseName(account));
}
