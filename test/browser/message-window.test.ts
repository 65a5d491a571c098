import { expect } from '@open-wc/testing';
import { ChatKit } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { INITIAL, LATEST, MAX_ROWS, STEP, newerWindow, olderWindow, readWindow, type MessageWindow, type WindowData } from '../../src/ui/chat-view/message-window.js';

const PEER = 'dave@example.com';
const BASE = Date.UTC(2026, 0, 1);

function messages(count: number): IncomingMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `w${i}`,
    conversationId: PEER,
    from: 'dave',
    own: false,
    body: `message ${i}`,
    // Pairs share a timestamp: the window keys on [ts, seq], not ts alone.
    ts: BASE + Math.floor(i / 2) * 60_000,
    state: 'received' as const,
  }));
}

const ids = (d: WindowData) => d.rows.map((m) => m.id);
const shape = (d: WindowData) => ({ ids: ids(d), hasOlder: d.hasOlder, reachesLatest: d.reachesLatest });

describe('message window steps', () => {
  // 360: the oldest step reads exactly STEP rows, with nothing older left.
  for (const total of [437, 360]) {
    it(`a step's rows are exactly what reading its window gives, older to the start and newer back to the end (${total} messages)`, async function () {
      this.timeout(30_000);
      const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'memory', locale: 'en' });
      await kit.openStore(`win-${crypto.randomUUID().slice(0, 8)}`);
      const db = kit.db!;
      await ingestMessages(db, messages(total));
      let window: MessageWindow = LATEST;
      let shown = await readWindow(db, PEER, window);
      let olderSteps = 0;
      for (;;) {
        const step = await olderWindow(db, PEER, shown, window);
        if (!step) break;
        olderSteps++;
        const read = await readWindow(db, PEER, step.window);
        expect(shape(step.data), `older step ${olderSteps}`).to.deep.equal(shape(read));
        expect(step.data.rows.length).to.be.at.most(MAX_ROWS);
        [window, shown] = [step.window, step.data];
      }
      expect(shown.rows[0]!.id).to.equal('w0');
      expect(shown.hasOlder).to.equal(false);
      expect(olderSteps).to.equal(Math.ceil((total - INITIAL) / STEP));
      let newerSteps = 0;
      while (!shown.reachesLatest) {
        const step = await newerWindow(db, PEER, shown);
        newerSteps++;
        const read = await readWindow(db, PEER, step.window);
        expect(shape(step.data), `newer step ${newerSteps}`).to.deep.equal(shape(read));
        [window, shown] = [step.window, step.data];
        expect(newerSteps).to.be.below(50);
      }
      expect(shown.rows.at(-1)!.id).to.equal(`w${total - 1}`);
      expect(window.hi).to.equal(null);
      await kit.close();
    });
  }
});
