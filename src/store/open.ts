import { ChatDB, databaseName } from './schema.js';
import type { StorageKind } from '../kit/types.js';

/** Thrown when the memory backend cannot be loaded (the single file's companion chunk is missing). */
export class MemoryBackendError extends Error {
  override name = 'MemoryBackendError';
}

/**
 * Opens (creating on first use) the account's database. Memory storage runs the
 * same schema on an in-memory IndexedDB (fake-indexeddb), so every query and live
 * query behaves alike; it is loaded only when asked for, keeping it out of the common path.
 */
export async function openDatabase(account: string, kind: StorageKind, onFallback?: (error: unknown) => void): Promise<ChatDB> {
  if (kind === 'memory') {
    let backend: typeof import('./memory.js');
    try {
      backend = await import('./memory.js');
    } catch (cause) {
      throw new MemoryBackendError('Memory storage could not be loaded: serve xmpp-chatkit-memory.js next to xmpp-chatkit.js.', { cause });
    }
    return new ChatDB(databaseName(account), { indexedDB: new backend.IDBFactory(), IDBKeyRange: backend.IDBKeyRange });
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
