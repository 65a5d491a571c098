import { xml, type Element } from '@xmpp/client';
import type { ChatDB } from '../store/schema.js';
import type { IncomingMessage, IngestOptions } from '../store/messages.js';
import type { MessageRecord } from '../store/records.js';
import { getMeta, setMeta } from '../store/queries.js';
import type { Connection } from './connection.js';
import { bareJid } from './jid.js';
import { debug } from './log.js';
import { parseArchived, type ParsedMessage, type Self } from './message.js';
import { NS } from './ns.js';

/** Our archive's id of the newest message this store has seen: catch-up starts after it. */
export const CURSOR_KEY = 'mam:last';
// The server's largest page (Prosody's max_archive_query_results default): fewest round trips.
const CATCH_UP_PAGE = 250;
const HISTORY_PAGE = 50;
/** A new store starts with this much of the newest history; older pages load on scroll. */
const FIRST_FETCH = 100;
/** A catch-up stops after this many pages and resumes from its cursor next session. */
const MAX_CATCH_UP_PAGES = 500;

export type ArchivedSignal = Extract<ParsedMessage, { kind: 'receipt' | 'displayed' }>;

export interface ArchivePage {
  messages: Array<{ message: IncomingMessage; wantsReceipt: boolean }>;
  /** Receipts and markers, in archive order, each with the count of messages before it. */
  signals: Array<{ signal: ArchivedSignal; at: number }>;
  complete: boolean;
  first?: string;
  last?: string;
}

export interface ArchiveQuery {
  with?: string;
  after?: string;
  /** An archive id, or '' for the newest page. */
  before?: string;
  max: number;
}

export interface ArchiveFin {
  complete: boolean;
  first?: string;
  last?: string;
}

/**
 * Runs one XEP-0313 query against an archive (ours when `to` is absent, or a room's) and
 * hands each result to `onResult`. Results are accepted only when they carry this query's
 * id and come from the queried archive (`acceptFrom`): unsolicited or forged results are
 * dropped here, at the edge.
 */
export async function runArchiveQuery(
  conn: Connection,
  query: ArchiveQuery & { to?: string },
  acceptFrom: (from: string | undefined) => boolean,
  onResult: (forwarded: Element, archiveId: string) => void,
): Promise<ArchiveFin> {
  const queryid = crypto.randomUUID();
  const off = conn.on('stanza', (stanza) => {
    const result = stanza.is('message') ? stanza.getChild('result', NS.mam) : undefined;
    if (!result || result.attrs.queryid !== queryid) return;
    if (!acceptFrom(stanza.attrs.from)) {
      debug('dropped archive result from', stanza.attrs.from);
      return;
    }
    const forwarded = result.getChild('forwarded', NS.forward);
    const id = result.attrs.id;
    if (!forwarded || !id) return;
    try {
      onResult(forwarded, id);
    } catch (err) {
      debug('dropped malformed archive result', err);
    }
  });
  try {
    const fields = [xml('field', { var: 'FORM_TYPE', type: 'hidden' }, xml('value', {}, NS.mam))];
    if (query.with) fields.push(xml('field', { var: 'with' }, xml('value', {}, query.with)));
    const rsm = xml('set', { xmlns: NS.rsm }, xml('max', {}, String(query.max)));
    if (query.after !== undefined) rsm.append(xml('after', {}, query.after));
    if (query.before !== undefined) rsm.append(xml('before', {}, query.before));
    const iq = xml(
      'iq',
      { type: 'set', to: query.to },
      xml('query', { xmlns: NS.mam, queryid }, xml('x', { xmlns: NS.dataForms, type: 'submit' }, ...fields), rsm),
    );
    const response = await conn.request(iq, 30_000);
    const fin = response.getChild('fin', NS.mam);
    const set = fin?.getChild('set', NS.rsm);
    return {
      complete: fin?.attrs.complete === 'true',
      first: set?.getChildText('first') ?? undefined,
      last: set?.getChildText('last') ?? undefined,
    };
  } finally {
    off();
  }
}

/** One page of our own archive, parsed into messages and receipts/markers. */
export async function queryArchive(conn: Connection, self: Self, query: ArchiveQuery): Promise<ArchivePage> {
  const messages: ArchivePage['messages'] = [];
  const signals: ArchivePage['signals'] = [];
  const fin = await runArchiveQuery(
    conn,
    query,
    (from) => !from || bareJid(from) === self.jid,
    (forwarded, id) => {
      const parsed = parseArchived(forwarded, id, self);
      if (parsed?.kind === 'message') messages.push({ message: parsed.message, wantsReceipt: parsed.wantsReceipt });
      else if (parsed?.kind === 'receipt' || parsed?.kind === 'displayed') signals.push({ signal: parsed, at: messages.length });
    },
  );
  return { messages, signals, ...fin };
}

export type Ingest = (messages: IncomingMessage[], options: IngestOptions) => Promise<MessageRecord[]>;

/**
 * Keeps the store equal to the archive: after every session that could not resume,
 * fetches everything after the cursor (forward, counted as unread); on demand,
 * pages a conversation's older history in (backward, never unread).
 */
export class ArchiveSync {
  /** True while a catch-up runs: live messages must not move the cursor past a gap. */
  catchingUp = false;

  constructor(
    private readonly conn: Connection,
    private readonly db: ChatDB,
    private readonly self: Self,
    private readonly ingest: Ingest,
    private readonly acknowledge: (messages: Array<{ message: IncomingMessage; wantsReceipt: boolean }>, added: MessageRecord[]) => void,
    private readonly applySignals: (signals: ArchivedSignal[]) => Promise<void>,
  ) {}

  async catchUp(): Promise<void> {
    this.catchingUp = true;
    try {
      let cursor = await getMeta<string>(this.db, CURSOR_KEY);
      if (!cursor) {
        // A new store: the newest page is history, not news.
        const page = await queryArchive(this.conn, this.self, { before: '', max: FIRST_FETCH });
        const added = await this.ingest(page.messages.map((m) => m.message), { countUnread: unreadAfterOwnActivity(page) });
        await this.applySignals(page.signals.map((s) => s.signal));
        // Some of it may never have reached any device of ours: confirm what is recent.
        this.acknowledge(page.messages, added);
        if (page.last) await setMeta(this.db, CURSOR_KEY, page.last);
        return;
      }
      // The next page is asked for as soon as this one's last id is known, so the server
      // answers it while this one is stored; pages are still stored strictly in order, and
      // the cursor moves only after its page is stored.
      const fetchAfter = (after: string): Promise<ArchivePage> => {
        const pending = queryArchive(this.conn, this.self, { after, max: CATCH_UP_PAGE });
        pending.catch(() => {}); // awaited below (or abandoned with the catch-up): never unhandled
        return pending;
      };
      let next = fetchAfter(cursor);
      for (let n = 0; n < MAX_CATCH_UP_PAGES; n++) {
        let page: ArchivePage;
        try {
          page = await next;
        } catch (err) {
          if ((err as { condition?: string }).condition === 'item-not-found') {
            // The archive no longer knows our cursor (expired or reset): start over from now.
            await setMeta(this.db, CURSOR_KEY, undefined);
            return this.catchUp();
          }
          throw err;
        }
        const more = !page.complete && page.messages.length > 0 && !!page.last;
        if (more && n + 1 < MAX_CATCH_UP_PAGES) next = fetchAfter(page.last!);
        const added = await this.ingest(page.messages.map((m) => m.message), {});
        await this.applySignals(page.signals.map((s) => s.signal));
        this.acknowledge(page.messages, added);
        if (page.last) {
          cursor = page.last;
          await setMeta(this.db, CURSOR_KEY, cursor);
        }
        if (!more) return;
      }
    } finally {
      this.catchingUp = false;
    }
  }

  /**
   * Pages one older batch of a conversation in from the archive. Returns how many
   * messages were new; marks the conversation complete when the archive has no more.
   */
  async loadEarlier(conversationId: string, max = HISTORY_PAGE): Promise<number> {
    const oldest = await this.db.messages
      .where('[conversationId+ts+seq]')
      .between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity])
      .filter((m) => !!m.stanzaId)
      .first();
    const page = await queryArchive(this.conn, this.self, { with: conversationId, before: oldest?.stanzaId ?? '', max });
    // Without an anchor the page is the newest, not older than what is stored: append it as history.
    const added = await this.ingest(
      page.messages.map((m) => m.message).filter((m) => m.conversationId === conversationId),
      oldest?.stanzaId ? { placement: 'prepend' } : { countUnread: false },
    );
    if (page.complete || page.messages.length === 0) {
      await this.db.conversations.update(conversationId, { historyComplete: true });
    }
    return added.length;
  }
}

/**
 * On a new device nothing says what was read; the archive does: a peer message
 * counts as unread only when nothing of ours follows it in its conversation (no
 * reply of ours, no "displayed" marker we sent from another device).
 */
export function unreadAfterOwnActivity(page: ArchivePage): (m: IncomingMessage) => boolean {
  const lastOwn = new Map<string, number>();
  page.messages.forEach(({ message }, i) => {
    if (message.own) lastOwn.set(message.conversationId, i);
  });
  for (const { signal, at } of page.signals) {
    if (signal.kind === 'displayed' && signal.byUs) lastOwn.set(signal.peer, Math.max(lastOwn.get(signal.peer) ?? -1, at - 1));
  }
  const index = new Map(page.messages.map(({ message }, i) => [message, i]));
  return (m) => (index.get(m) ?? -1) > (lastOwn.get(m.conversationId) ?? -1);
}
