import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/index.js';
import type { CkChatView, CkConversationList } from '../../src/index.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, openKit, part, parts, text, useServer } from '../support/kit.js';

const server = useServer();

describe('1:1 chat through a real server', () => {
  it("bob sees alice's message live, with preview and an unread badge that clears when he opens it", async () => {
    const [alice, bob] = await createUsers(server, 2, 'live');
    await befriend(server, alice!, bob!);
    const aliceKit = await openKit(server, alice!);
    const bobKit = await openKit(server, bob!);

    const root = await fixture<HTMLDivElement>(html`<div>
      <ck-chat-view id="a" .kit=${aliceKit} conversation=${bob!.jid}></ck-chat-view>
      <ck-conversation-list id="bl" .kit=${bobKit}></ck-conversation-list>
      <ck-chat-view id="b" .kit=${bobKit}></ck-chat-view>
    </div>`);
    const aliceView = root.querySelector<CkChatView>('#a')!;
    const bobList = root.querySelector<CkConversationList>('#bl')!;
    const bobView = root.querySelector<CkChatView>('#b')!;

    part<HTMLTextAreaElement>(aliceView, '[part=input]')!.focus();
    await sendKeys({ type: 'Hello Bob' });
    await sendKeys({ press: 'Enter' });

    // Alice's own bubble goes pending -> sent (server ack).
    // Server ack (sent), then bob's client confirms receipt (delivered).
    await eventually(() => parts(aliceView, '[part=message][data-state=delivered]').length === 1, "alice's message delivered");
    expect(part<HTMLTextAreaElement>(aliceView, '[part=input]')!.value).to.equal('');

    const item = await eventually(() => parts(bobList, '[part=item]')[0], "bob's list row");
    await eventually(() => text(part(bobList, '[part=preview]')) === 'Hello Bob', 'preview');
    expect(text(part(bobList, '[part=badge]'))).to.equal('1');
    expect(item.dataset.id).to.equal(alice!.jid);

    // The integrator wires the list to the view through ck-select.
    bobList.addEventListener('ck-select', (e) => (bobView.conversation = e.conversationId));
    item.click();
    expect(bobList.selected).to.equal(alice!.jid);
    await eventually(() => parts(bobView, '[part=message]').some((m) => text(m).includes('Hello Bob')), "message in bob's view");
    await eventually(() => part(bobList, '[part=badge]') === null, 'badge cleared');
    expect((await bobKit.db!.conversations.get(alice!.jid))!.unread).to.equal(0);
    // Bob saw it in a focused tab: alice's bubble turns read (XEP-0333 displayed).
    await eventually(() => parts(aliceView, '[part=message][data-state=read]').length === 1, "alice's message read");
  });

  it('Enter with only spaces sends nothing; Shift+Enter makes a new line', async () => {
    const [alice, bob] = await createUsers(server, 2, 'keys');
    const aliceKit = await openKit(server, alice!);
    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${aliceKit} conversation=${bob!.jid}></ck-chat-view>`);
    const input = part<HTMLTextAreaElement>(view, '[part=input]')!;
    input.focus();
    await sendKeys({ type: '   ' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ type: 'line one' });
    await sendKeys({ down: 'Shift' });
    await sendKeys({ press: 'Enter' });
    await sendKeys({ up: 'Shift' });
    await sendKeys({ type: 'line two' });
    expect(await aliceKit.db!.messages.count()).to.equal(0);
    await sendKeys({ press: 'Enter' });
    const m = await eventually(() => aliceKit.db!.messages.toCollection().first(), 'stored message');
    expect(m.body).to.equal('   line one\nline two');
  });

  it('bob, offline while alice sends three messages, sees all three in order when he signs in', async () => {
    const [alice, bob] = await createUsers(server, 2, 'off');
    await befriend(server, alice!, bob!);
    const aliceKit = await openKit(server, alice!);
    for (const body of ['first', 'second', 'third']) await aliceKit.send(bob!.jid, body);
    await eventually(async () => (await aliceKit.db!.messages.where('[state+seq]').between(['sent', -Infinity], ['sent', Infinity]).count()) === 3, 'all three acked');

    const bobKit = await openKit(server, bob!);
    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${bobKit} conversation=${alice!.jid}></ck-chat-view>`);
    const bodies = await eventually(() => {
      const rows = parts(view, '[part=bubble]').map(text);
      return rows.length === 3 ? rows : null;
    }, 'three offline messages');
    expect(bodies).to.deep.equal(['first', 'second', 'third']);
    const rows = parts(view, '[part=message]');
    expect(rows.map((r) => r.getAttribute('aria-posinset'))).to.deep.equal(['1', '2', '3']);
    expect(rows.every((r) => r.getAttribute('aria-setsize') === '3')).to.equal(true);
  });

  it('a hostile body is shown as text and nothing executes', async () => {
    const [alice, bob] = await createUsers(server, 2, 'xss');
    const aliceKit = await openKit(server, alice!);
    const bobKit = await openKit(server, bob!);
    const w = window as unknown as { __ckXss?: number };
    delete w.__ckXss;
    const payload = '<img src=x onerror="window.__ckXss=1"> <script>window.__ckXss=2</script> javascript:window.__ckXss=3';
    await aliceKit.send(bob!.jid, payload);
    const view = await fixture<CkChatView>(html`<ck-chat-view .kit=${bobKit} conversation=${alice!.jid}></ck-chat-view>`);
    const bubble = await eventually(() => part(view, '[part=bubble]'), 'bubble');
    expect(bubble.textContent).to.contain('<img src=x onerror="window.__ckXss=1">');
    expect(bubble.querySelector('img, script')).to.equal(null);
    expect([...bubble.querySelectorAll('a')].some((a) => a.href.startsWith('javascript:'))).to.equal(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(w.__ckXss).to.equal(undefined);
  });
});

describe('profiles', () => {
  it('fetches names in batches, not once per message, and renders names and avatars', async () => {
    const [alice, bob] = await createUsers(server, 2, 'prof');
    const calls: string[][] = [];
    const fetchProfiles = async (ids: string[]) => {
      calls.push([...ids]);
      return ids.map((id) => ({ id, name: `Name of ${id}`, avatarUrl: `http://127.0.0.1:9/${id}.png` }));
    };
    const aliceKit = await openKit(server, alice!);
    for (let i = 0; i < 12; i++) await aliceKit.send(bob!.jid, `msg ${i}`);
    const bobKit = await openKit(server, bob!, { fetchProfiles });
    const root = await fixture<HTMLDivElement>(html`<div>
      <ck-conversation-list .kit=${bobKit}></ck-conversation-list>
      <ck-chat-view .kit=${bobKit} conversation=${alice!.jid}></ck-chat-view>
    </div>`);
    const list = root.querySelector('ck-conversation-list')!;
    const view = root.querySelector('ck-chat-view')!;
    await eventually(() => parts(view, '[part=message]').length === 12, 'twelve messages');
    await eventually(() => text(part(list, '[part=name]')) === `Name of ${alice!.username}`, 'name in list');
    await eventually(() => text(part(view, '[part=title]')) === `Name of ${alice!.username}`, 'name in header');
    expect(part<HTMLImageElement>(list, '[part=avatar] img')?.getAttribute('src')).to.equal(`http://127.0.0.1:9/${alice!.username}.png`);
    // Every id was asked for once, however many messages and elements showed it.
    const asked = calls.flat();
    expect(new Set(asked).size).to.equal(asked.length);
    expect(calls.length).to.be.at.most(2);
    expect(calls.length).to.be.at.least(1);
  });

  it('a rejecting hook leaves the ids shown and breaks nothing', async () => {
    const [alice, bob] = await createUsers(server, 2, 'rej');
    let calls = 0;
    const errors: Error[] = [];
    const aliceKit = await openKit(server, alice!);
    await aliceKit.send(bob!.jid, 'hi');
    const bobKit = await openKit(server, bob!, {
      fetchProfiles: async () => {
        calls += 1;
        throw new Error('profile service down');
      },
    });
    bobKit.addEventListener('ck-error', (e) => errors.push(e.error));
    const list = await fixture<CkConversationList>(html`<ck-conversation-list .kit=${bobKit}></ck-conversation-list>`);
    await eventually(() => text(part(list, '[part=name]')) === alice!.username, 'id shown as name');
    expect(text(part(list, '[part=preview]'))).to.equal('hi');
    expect(calls).to.equal(1);
    expect(errors.length).to.equal(1);
  });
});
