import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { ChatKit, type CkChatView } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import type { MessageRecord } from '../../src/store/records.js';
import { carryCounts, countWindow, nearbyCounts } from '../../src/ui/chat-view/log-positions.js';
import { eventually, part, parts } from '../support/kit.js';

const PEER = 'carol@example.com';
const BASE = Date.UTC(2026, 0, 1);

function messages(from: number, count: number): IncomingMessage[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return { id: `p${i}`, conversationId: PEER, from: 'carol', own: false, body: `message ${i}`, ts: BASE + i * 60_000, state: 'received' };
  });
}

async function kitWith(count: number): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
  await kit.openStore(`pos-${crypto.randomUUID().slice(0, 8)}`);
  await ingestMessages(kit.db!, messages(0, count));
  return kit;
}

const nth = async (kit: ChatKit, i: number): Promise<MessageRecord> => (await kit.db!.messages.get(`p${i}`))!;
const rows = (view: CkChatView) => parts(view, '[part=message]');

describe('message log positions', () => {
  it('counts once, then derives nearby windows from what it knows, and starts over after a write', async () => {
    const kit = await kitWith(500);
    const db = kit.db!;
    expect(await nearbyCounts(db, PEER, await nth(kit, 200))).to.equal(undefined);
    expect(await countWindow(db, PEER, await nth(kit, 200))).to.deep.equal({ before: 200, total: 500 });
    // Known now: windows either side are counted from the anchor.
    expect(await nearbyCounts(db, PEER, await nth(kit, 170))).to.deep.equal({ before: 170, total: 500 });
    expect(await nearbyCounts(db, PEER, await nth(kit, 260))).to.deep.equal({ before: 260, total: 500 });
    // An archive page older than every anchor: what was known is stale and not used.
    await ingestMessages(db, [{ ...messages(0, 1)[0]!, id: 'early', ts: BASE - 60_000, body: 'early' }], { placement: 'prepend' });
    expect(await nearbyCounts(db, PEER, await nth(kit, 260))).to.equal(undefined);
    expect(await countWindow(db, PEER, await nth(kit, 260))).to.deep.equal({ before: 261, total: 501 });
    expect(await countWindow(db, PEER, undefined)).to.deep.equal({ before: 0, total: 501 });
  });

  it('carries counts through a message both windows hold, and gives up without one', () => {
    const m = (i: number) => ({ id: `x${i}`, ts: i, seq: i }) as MessageRecord;
    const shown = { rows: [m(10), m(11), m(12)], counts: { before: 10, total: 20 } };
    // One newer message arrived at the end of a window that reaches the latest.
    expect(carryCounts(shown, { rows: [m(10), m(11), m(12), m(13)], reachesLatest: true })).to.deep.equal({ before: 10, total: 14 });
    // A step older inside a long conversation: the messages after the window stay as they were.
    expect(carryCounts(shown, { rows: [m(8), m(9), m(10), m(11)], reachesLatest: false })).to.deep.equal({ before: 8, total: 20 });
    expect(carryCounts(shown, { rows: [m(1), m(2)], reachesLatest: false })).to.equal(undefined);
    expect(carryCounts({ rows: shown.rows }, { rows: shown.rows, reachesLatest: true })).to.equal(undefined);
  });

  it('a message arriving while the reader is deep in history counts as new, and every row keeps exact positions', async function () {
    this.timeout(30_000);
    const kit = await kitWith(400);
    const view = await fixture<CkChatView>(html`<ck-chat-view style="display:flex;height:400px" .kit=${kit} conversation=${PEER}></ck-chat-view>`);
    await eventually(() => rows(view).at(-1)?.getAttribute('aria-posinset') === '400', 'latest rows counted');
    expect(await view.showMessage('p20')).to.equal(true);
    await eventually(() => rows(view).some((r) => r.dataset.id === 'p20' && r.getAttribute('aria-posinset') === '21'), 'p20 at position 21');
    await ingestMessages(kit.db!, messages(400, 1));
    await eventually(() => rows(view).every((r) => r.getAttribute('aria-setsize') === '401'), 'set size follows the write');
    const pos = rows(view).map((r) => Number(r.getAttribute('aria-posinset')));
    const ids = rows(view).map((r) => Number(r.dataset.id!.slice(1)));
    expect(pos).to.deep.equal(ids.map((i) => i + 1));
    await eventually(() => part(view, '[part=jump-button]')?.textContent?.includes('1') === true, 'one new message on the jump button');
  });
});
