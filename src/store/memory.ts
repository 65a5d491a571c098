// The in-memory IndexedDB behind `storage: 'memory'` and the fallback when the browser's
// IndexedDB is unusable. A module of its own so every build loads it only when asked for:
// the single-file build ships it as the companion chunk xmpp-chatkit-memory.js.
export { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
