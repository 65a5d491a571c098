import Dexie, { type DexieOptions, type Table } from 'dexie';
import type {
  BlockedRecord,
  ContactRecord,
  ConversationRecord,
  MemberRecord,
  MessageRecord,
  MetaRecord,
  OpRecord,
  OrphanRecord,
  OutboxFileRecord,
  PresenceRecord,
  ProfileRecord,
  RequestRecord,
  TypingRecord,
} from './records.js';

/**
 * One database per account. Versions are append-only: a new version adds its
 * `stores()` (and an upgrade function when data must move); never edit an old one.
 */
export class ChatDB extends Dexie {
  declare conversations: Table<ConversationRecord, string>;
  declare messages: Table<MessageRecord, string>;
  declare contacts: Table<ContactRecord, string>;
  declare profiles: Table<ProfileRecord, string>;
  declare presence: Table<PresenceRecord, string>;
  declare meta: Table<MetaRecord, string>;
  declare requests: Table<RequestRecord, string>;
  declare blocked: Table<BlockedRecord, string>;
  declare members: Table<MemberRecord, [string, string]>;
  declare typing: Table<TypingRecord, string>;
  declare ops: Table<OpRecord, string>;
  declare orphans: Table<OrphanRecord, number>;
  declare files: Table<OutboxFileRecord, string>;

  constructor(name: string, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores({
      conversations: 'id, lastAt',
      // [conversationId+ts+seq]: the log's order; [state+seq]: the outbox in send order;
      // the two id indexes deduplicate a message arriving live, as a carbon and from the archive.
      messages: 'id, [conversationId+ts+seq], [state+seq], [conversationId+originId], [conversationId+stanzaId]',
      contacts: 'id, name',
      profiles: 'id, fetchedAt',
      presence: 'id',
      meta: 'key',
    });
    // v2: pinned conversations lead the list: [pin+lastAt] walked backwards.
    this.version(2)
      .stores({ conversations: 'id, lastAt, [pin+lastAt]' })
      .upgrade((tx) =>
        tx
          .table('conversations')
          .toCollection()
          .modify((c: { pin?: number }) => {
            c.pin ??= 0;
          }),
      );
    // v3: incoming subscription requests (newest first by `at`) and the XEP-0191 block list.
    this.version(3).stores({ requests: 'id, at', blocked: 'id' });
    // v4: group members, one row per room and user; read per room.
    this.version(4).stores({ members: '[roomId+userId], roomId' });
    // v5 (rich messages): corrections, recalls, reactions and replies find their target by
    // the wire id the sender used ([conversationId+remoteId] joins the two id indexes);
    // typing notices; the outbox of changes (ops) and of attachment bytes (files); changes
    // that arrived before their message (orphans, looked up by the id they name).
    this.version(5).stores({
      messages: 'id, [conversationId+ts+seq], [state+seq], [conversationId+originId], [conversationId+stanzaId], [conversationId+remoteId]',
      typing: 'key, conversationId',
      ops: 'id, seq',
      orphans: '++key, [conversationId+ref]',
      files: 'id',
    });
  }
}

export function databaseName(account: string): string {
  return `xmpp-chatkit/${account}`;
}
