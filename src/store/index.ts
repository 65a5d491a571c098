export * from './records.js';
export { ChatDB, databaseName } from './schema.js';
export { openDatabase } from './open.js';
export * from './queries.js';
export * from './messages.js';
export * from './contacts.js';
