import type { ReactiveController } from 'lit';
import { watchFresh, type FreshEvent } from '../../store/fresh.js';
import type { MessageRecord } from '../../store/records.js';
import type { ChatDB } from '../../store/schema.js';
import { isBlockedId } from '../../store/contacts.js';
import type { CkElement } from '../base/ck-element.js';
import type { Counts } from './log-positions.js';
import { appendNewer, type WindowData } from './message-window.js';

/** What the log renders, as far as fresh rows are concerned. */
export interface FreshTarget extends WindowData {
  id: string | null;
  counts?: Counts;
  /** Blocked senders, whose messages the log does not show. */
  hidden: ReadonlySet<string>;
}

/** Most fresh rows held ahead of the live query (a burst beyond this waits for it). */
const MAX_FRESH = 30;

const after = (a: MessageRecord, b: MessageRecord | undefined): boolean => !b || a.ts > b.ts || (a.ts === b.ts && a.seq > b.seq);

/**
 * New messages of the conversation on screen, from the moment the store has made their
 * records (store/fresh.ts) until the log's live query brings them: a message arriving or
 * sent shows at once instead of after its commit and a re-read. Only a log showing the
 * newest messages takes them, each after its last row; anything else waits for the query.
 */
export class FreshRows implements ReactiveController {
  #records: MessageRecord[] = [];
  /** After a flood overflowed, its newest record: new ones wait for the live query until it holds it. */
  #floodEnd: MessageRecord | undefined;
  #db: ChatDB | undefined;
  #stop: (() => void) | undefined;
  #memo: { base: FreshTarget; records: MessageRecord[]; merged: FreshTarget } | undefined;

  constructor(
    private readonly host: CkElement,
    private readonly conversation: () => string | null,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.#watch();
  }

  hostUpdate(): void {
    if (this.host.isConnected) this.#watch();
  }

  hostDisconnected(): void {
    this.#stop?.();
    this.#stop = undefined;
    this.#db = undefined;
    this.#records = [];
    this.#floodEnd = undefined;
  }

  /** `data` with the fresh rows it does not hold yet appended; `data` itself when there are none. */
  merge<T extends FreshTarget>(data: T): T {
    const end = this.#floodEnd;
    if (end && (end.conversationId !== data.id || data.rows.some((m) => m.id === end.id))) this.#floodEnd = undefined;
    if (!this.#records.length) return data;
    if (this.#memo?.base === data && this.#memo.records === this.#records) return this.#memo.merged as T;
    const held = new Set(data.rows.map((m) => m.id));
    // Rows the query brought, or of another conversation, are done with.
    const open = this.#records.filter((m) => !held.has(m.id) && m.conversationId === data.id && (m.own || !isBlockedId(data.hidden, m.from)));
    if (open.length !== this.#records.length) this.#records = open;
    let merged: T = data;
    if (data.reachesLatest && open.length) {
      const extra: MessageRecord[] = [];
      for (const m of open) if (after(m, extra.at(-1) ?? data.rows.at(-1))) extra.push(m);
      if (extra.length) {
        const { rows, hasOlder, drop } = appendNewer(data, extra);
        merged = {
          ...data,
          rows,
          hasOlder,
          ...(data.counts ? { counts: { before: data.counts.before + drop, total: data.counts.total + extra.length } } : {}),
        };
      }
    }
    this.#memo = { base: data, records: this.#records, merged };
    return merged;
  }

  #watch(): void {
    const db = this.host.ck?.db;
    if (db === this.#db) return;
    this.#stop?.();
    this.#db = db;
    this.#records = [];
    this.#floodEnd = undefined;
    this.#stop = db ? watchFresh(db, (e) => this.#onFresh(e)) : undefined;
  }

  #onFresh(e: FreshEvent): void {
    if ('added' in e) {
      const mine = e.added.filter((m) => m.conversationId === this.conversation());
      if (!mine.length) return;
      // A flood (an archive catch-up) is the live query's to show. Once one overflows, nothing
      // more is taken until the query has caught up: a later message must not show past a gap.
      if (this.#floodEnd || this.#records.length + mine.length > MAX_FRESH) {
        this.#floodEnd = mine.at(-1);
        return;
      }
      this.#records = [...this.#records, ...mine];
    } else {
      const gone = new Set(e.dropped);
      const kept = this.#records.filter((m) => !gone.has(m.id));
      if (kept.length === this.#records.length) return;
      this.#records = kept;
    }
    this.host.requestUpdate();
  }
}
