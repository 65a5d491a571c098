import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import { ChatKit, type ChatKitOptions, type CkErrorEvent, type Profile } from '../../src/index.js';
import { ingestMessages, type IncomingMessage } from '../../src/store/messages.js';
import { eventually, parts } from '../support/kit.js';

const SENDERS = 50;
const PER_SENDER = 10;
const sender = (i: number) => `sender${String(i).padStart(2, '0')}`;
const conversationOf = (i: number) => `${sender(i)}@example.com`;

/** 500 messages from 50 senders (one 1:1 conversation each). */
async function seed(kit: ChatKit): Promise<void> {
  const messages: IncomingMessage[] = [];
  const t0 = Date.now() - 3_600_000;
  for (let i = 0; i < SENDERS; i++) {
    for (let j = 0; j < PER_SENDER; j++) {
      messages.push({
        id: `m-${i}-${j}`,
        conversationId: conversationOf(i),
        conversationType: 'chat',
        from: sender(i),
        own: false,
        body: `message ${j} from ${sender(i)}`,
        ts: t0 + i * 1000 + j,
        state: 'received',
      });
    }
  }
  await ingestMessages(kit.db!, messages);
}

async function makeKit(account: string, options: Partial<ChatKitOptions>): Promise<ChatKit> {
  const kit = new ChatKit({ service: 'ws://127.0.0.1:9/none', domain: 'example.com', storage: 'indexeddb', locale: 'en', ...options });
  await kit.openStore(account);
  return kit;
}

/** The conversation list and one chat view per conversation: 500 rendered messages. */
async function renderAll(kit: ChatKit): Promise<HTMLElement> {
  return fixture<HTMLElement>(html`<div>
    <ck-conversation-list .kit=${kit} style="display: block; height: 400px"></ck-conversation-list>
    ${Array.from({ length: SENDERS }, (_, i) => html`<ck-chat-view .kit=${kit} conversation=${conversationOf(i)} style="display: flex; height: 900px"></ck-chat-view>`)}
  </div>`);
}

const messagesShown = (root: HTMLElement) => [...root.querySelectorAll('ck-chat-view')].reduce((n, v) => n + parts(v, '[part=message]').length, 0);
const listNames = (root: HTMLElement) => parts(root.querySelector('ck-conversation-list')!, '[part=item] [part=name]');
const allNamed = (root: HTMLElement) => listNames(root).length === SENDERS && listNames(root).every((n) => !n.querySelector('.placeholder'));

function recordingHook(answer: (ids: string[]) => Promise<Profile[]> = async (ids) => ids.map((id) => ({ id, name: `Name ${id}` }))) {
  const calls: string[][] = [];
  return { calls, fetchProfiles: (ids: string[]) => (calls.push([...ids]), answer(ids)) };
}

describe('fetchProfiles: batched, cached, never in the way', () => {
  it('rendering 500 messages from 50 senders makes at most 2 hook calls; a reload with fresh profiles makes none', async () => {
    const account = `pf-${crypto.randomUUID().slice(0, 8)}`;
    const hook = recordingHook();
    const kit = await makeKit(account, { fetchProfiles: hook.fetchProfiles });
    await seed(kit);
    const root = await renderAll(kit);
    await eventually(() => messagesShown(root) === SENDERS * PER_SENDER, '500 messages rendered');
    await eventually(() => allNamed(root), 'every sender named');
    await new Promise((r) => setTimeout(r, 300));
    expect(hook.calls.length, JSON.stringify(hook.calls.map((c) => c.length))).to.be.within(1, 2);
    const asked = hook.calls.flat();
    expect(new Set(asked).size, 'no id asked twice').to.equal(asked.length);
    expect([...new Set(asked)].sort()).to.deep.equal(Array.from({ length: SENDERS }, (_, i) => sender(i)));
    expect(hook.calls.every((c) => c.length <= 50)).to.equal(true);
    root.remove();
    await kit.close();

    // Reload: a new kit on the same store; profiles are fresh, so nothing is fetched and no name flickers.
    const again = recordingHook();
    const reloaded = await makeKit(account, { fetchProfiles: again.fetchProfiles });
    const root2 = await renderAll(reloaded);
    await eventually(() => listNames(root2).length === SENDERS, 'list painted');
    expect(listNames(root2).filter((n) => n.querySelector('.placeholder')).length, 'names on the first paint').to.equal(0);
    await eventually(() => messagesShown(root2) === SENDERS * PER_SENDER, '500 messages rendered again');
    await new Promise((r) => setTimeout(r, 500));
    expect(again.calls).to.deep.equal([]);
    const db = reloaded.db!;
    await reloaded.close();
    await db.delete();
  });

  it('respects profileBatchSize and invalidateProfiles asks again', async () => {
    const hook = recordingHook();
    const kit = await makeKit(`pb-${crypto.randomUUID().slice(0, 8)}`, { fetchProfiles: hook.fetchProfiles, profileBatchSize: 20, storage: 'memory' });
    await seed(kit);
    const root = await renderAll(kit);
    await eventually(() => allNamed(root), 'every sender named');
    expect(hook.calls.map((c) => c.length).sort((a, b) => a - b)).to.deep.equal([10, 20, 20]);
    hook.calls.length = 0;
    await kit.invalidateProfiles([sender(3)]);
    kit.requestProfiles([sender(3), sender(4)]);
    await eventually(() => hook.calls.length === 1, 'one more call');
    expect(hook.calls[0]).to.deep.equal([sender(3)]);
  });

  it('a rejecting hook never blocks rendering: ids are shown and ck-error fires', async () => {
    const errors: Error[] = [];
    const hook = recordingHook(async () => {
      throw new Error('profile service down');
    });
    const kit = await makeKit(`pr-${crypto.randomUUID().slice(0, 8)}`, { fetchProfiles: hook.fetchProfiles, storage: 'memory' });
    kit.addEventListener('ck-error', (e: CkErrorEvent) => errors.push(e.error));
    await seed(kit);
    const root = await renderAll(kit);
    await eventually(() => messagesShown(root) === SENDERS * PER_SENDER, 'messages rendered');
    await eventually(() => allNamed(root), 'names fall back to ids');
    expect(listNames(root).map((n) => n.textContent?.trim()).sort()).to.deep.equal(Array.from({ length: SENDERS }, (_, i) => sender(i)));
    expect(errors.length).to.be.greaterThan(0);
    expect(errors[0]!.message).to.match(/fetchProfiles failed/);
  });

  it('a slow hook never blocks rendering: messages show at once, names when the answer comes', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const hook = recordingHook(async (ids) => {
      await gate;
      return ids.map((id) => ({ id, name: `Slow ${id}` }));
    });
    const kit = await makeKit(`ps-${crypto.randomUUID().slice(0, 8)}`, { fetchProfiles: hook.fetchProfiles, storage: 'memory' });
    await seed(kit);
    const started = Date.now();
    const root = await renderAll(kit);
    await eventually(() => messagesShown(root) === SENDERS * PER_SENDER, 'messages rendered while the hook waits');
    expect(Date.now() - started).to.be.lessThan(5000);
    await eventually(() => hook.calls.length > 0, 'the hook was called');
    await new Promise((r) => setTimeout(r, 100));
    // Meanwhile: neutral placeholders, not ids that would flicker into names.
    expect(listNames(root).every((n) => n.querySelector('.placeholder'))).to.equal(true);
    release();
    await eventually(() => allNamed(root) && listNames(root).every((n) => n.textContent?.trim().startsWith('Slow ')), 'names arrive');
  });
});
