// Vue 3 with render functions (h), no template compiler. Vue sets `kit` as a property
// because the element has one, and `onCkSelect` listens to `ck-select` (Vue hyphenates
// the name after "on").
import { createApp, defineComponent, h, ref, type PropType } from 'vue';
import '../../src/index.js';
import type { ChatKit, CkPickEvent, CkSelectEvent } from '../../src/index.js';

const App = defineComponent({
  props: { kit: { type: Object as PropType<ChatKit>, required: true } },
  setup(props) {
    const conversation = ref<string | null>(null);
    const picking = ref(false);
    const onPick = async (e: CkPickEvent): Promise<void> => {
      picking.value = false;
      conversation.value = await props.kit.startConversation(e.userIds);
    };
    return () =>
      h('div', { class: 'ck-demo' }, [
        h('aside', [
          h('button', { type: 'button', class: 'new-chat', onClick: () => (picking.value = !picking.value) }, picking.value ? 'Back to chats' : 'New chat'),
          picking.value
            ? h('ck-contact-picker', { kit: props.kit, onCkPick: onPick, onCkCancel: () => (picking.value = false) })
            : h('ck-conversation-list', {
                kit: props.kit,
                selected: conversation.value,
                onCkSelect: (e: CkSelectEvent) => (conversation.value = e.conversationId),
              }),
        ]),
        h('ck-chat-view', { kit: props.kit, conversation: conversation.value }),
      ]);
  },
});

/** Renders the demo into `container`; `unmount()` removes it. */
export function mountVueDemo(container: Element, kit: ChatKit): { unmount(): void } {
  // Render functions create the ck-* tags as plain elements: no isCustomElement needed
  // (that option is for templates compiled by @vitejs/plugin-vue or the full build).
  const app = createApp(App, { kit });
  app.mount(container);
  return { unmount: () => app.unmount() };
}
