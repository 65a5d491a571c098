// React 19 without JSX or a build plugin: React.createElement. React 19 passes `kit` (an
// object) as a property because the element has one, and `onck-select` listens to the
// element's `ck-select` event (React 19 keeps the name after "on" as it is).
import React from 'react';
import ReactDOMClient from 'react-dom/client';
import '../../src/index.js';
import type { ChatKit, CkPickEvent, CkSelectEvent } from '../../src/index.js';

const h = React.createElement;

function App({ kit }: { kit: ChatKit }) {
  const [conversation, setConversation] = React.useState<string | null>(null);
  const [picking, setPicking] = React.useState(false);
  const onPick = async (e: CkPickEvent): Promise<void> => {
    setPicking(false);
    setConversation(await kit.startConversation(e.userIds));
  };
  return h(
    'div',
    { className: 'ck-demo' },
    h(
      'aside',
      null,
      h('button', { type: 'button', className: 'new-chat', onClick: () => setPicking(!picking) }, picking ? 'Back to chats' : 'New chat'),
      picking
        ? h('ck-contact-picker', { kit, 'onck-pick': onPick, 'onck-cancel': () => setPicking(false) })
        : h('ck-conversation-list', { kit, selected: conversation, 'onck-select': (e: CkSelectEvent) => setConversation(e.conversationId) }),
    ),
    h('ck-chat-view', { kit, conversation }),
  );
}

/** Renders the demo into `container`; `unmount()` removes it. */
export function mountReactDemo(container: Element, kit: ChatKit): { unmount(): void } {
  const root = ReactDOMClient.createRoot(container);
  root.render(h(App, { kit }));
  return { unmount: () => root.unmount() };
}
