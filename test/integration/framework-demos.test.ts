import { expect, fixture, html } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { ChatKit, CkChatView } from '../../src/index.js';
import { mountReactDemo } from '../../demo/react/app.js';
import { mountVueDemo } from '../../demo/vue/app.js';
import { befriend, createUsers } from '../support/server.js';
import { eventually, openKit, part, parts, text, useServer } from '../support/kit.js';

const server = useServer();

type Mount = (container: Element, kit: ChatKit) => { unmount(): void };

async function bodies(kit: ChatKit, conversationId: string): Promise<string[]> {
  const rows = await kit.db!.messages.where('[conversationId+ts+seq]').between([conversationId, -Infinity, -Infinity], [conversationId, Infinity, Infinity]).toArray();
  return rows.map((m) => m.body);
}

for (const [name, mount] of [
  ['React 19', mountReactDemo],
  ['Vue 3', mountVueDemo],
] as Array<[string, Mount]>) {
  describe(`${name} demo`, () => {
    it('passes the kit as a property, opens a conversation on ck-select, starts one on ck-pick, and exchanges messages', async () => {
      const [alice, bob, carol] = await createUsers(server, 3, 'fw');
      const names = { [alice!.username]: 'Alice', [bob!.username]: 'Bob', [carol!.username]: 'Carol' };
      await befriend(server, alice!, bob!, { names });
      await befriend(server, alice!, carol!, { names });
      const aliceKit = await openKit(server, alice!);
      const bobKit = await openKit(server, bob!);
      const carolKit = await openKit(server, carol!);
      await bobKit.send(alice!.jid, `Hello from bob to ${name}`);

      const container = await fixture<HTMLDivElement>(html`<div style="display:grid;height:600px"></div>`);
      const app = mount(container, aliceKit);
      try {
        const list = await eventually(() => container.querySelector('ck-conversation-list'), 'the list rendered');
        expect(list.kit).to.equal(aliceKit);
        const row = await eventually(() => parts(list, '[part~=item]')[0], "bob's conversation in the list");
        row.click();
        const view = container.querySelector<CkChatView>('ck-chat-view')!;
        await eventually(() => view.conversation === bob!.jid, 'ck-select opened the conversation');
        expect(view.kit).to.equal(aliceKit);
        await eventually(() => parts(view, '[part~=bubble]').map(text).includes(`Hello from bob to ${name}`), "bob's message shown");

        part<HTMLTextAreaElement>(view, '[part=input]')!.focus();
        await sendKeys({ type: `Reply from ${name}` });
        await sendKeys({ press: 'Enter' });
        await eventually(async () => (await bodies(bobKit, alice!.jid)).includes(`Reply from ${name}`), 'bob receives the reply');

        // New chat: the picker's ck-pick starts a conversation with carol.
        container.querySelector<HTMLButtonElement>('.new-chat')!.click();
        const picker = await eventually(() => container.querySelector('ck-contact-picker'), 'the picker shown');
        const carolRow = await eventually(() => parts(picker, '[part~=item]').find((r) => text(r.querySelector('.name')) === 'Carol'), 'carol in the picker');
        carolRow.click();
        await eventually(() => view.conversation === carol!.jid, 'ck-pick started the chat with carol');
        await eventually(() => container.querySelector('ck-conversation-list'), 'back to the list');
        await aliceKit.send(carol!.jid, `Hi carol, from ${name}`);
        await eventually(async () => (await bodies(carolKit, alice!.jid)).includes(`Hi carol, from ${name}`), 'carol receives it');
      } finally {
        app.unmount();
      }
    });
  });
}
