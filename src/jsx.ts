/**
 * React 19 JSX typings for the ck-* elements: types only, nothing runs. Opt in once:
 *
 *   import type {} from 'xmpp-chatkit/jsx';
 *   <ck-chat kit={kit} conversation={id} onck-select={(e) => setId(e.conversationId)} />
 *
 * React 19 sets a prop as a property when the element has one (so `kit` is passed as an
 * object), and `on<event-name>` listens to that exact event name (`onck-select` → `ck-select`).
 * Needs `@types/react` 19, which declares the `JSX` namespace inside the 'react' module.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { CkCancelEvent, CkErrorEvent, CkOpenProfileEvent, CkPickEvent, CkSelectEvent } from './kit/events.js';
import type { ElementProps } from './element-props.js';
import type { CkChat } from './ui/chat/chat.js';
import type { CkChatView } from './ui/chat-view/chat-view.js';
import type { CkContactPicker } from './ui/contact-picker/contact-picker.js';
import type { CkConversationList } from './ui/conversation-list/conversation-list.js';
import type { CkMembers } from './ui/members/members.js';

/** Events as React 19 props: `on` + the event's own name. */
interface ReactEvents {
  'onck-select'?: (event: CkSelectEvent) => void;
  'onck-pick'?: (event: CkPickEvent) => void;
  'onck-cancel'?: (event: CkCancelEvent) => void;
  'onck-open-profile'?: (event: CkOpenProfileEvent) => void;
  'onck-error'?: (event: CkErrorEvent) => void;
}

type CkJsx<E extends HTMLElement, P> = DetailedHTMLProps<HTMLAttributes<E>, E> & Partial<P> & ReactEvents;

declare module 'react' {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace JSX {
    interface IntrinsicElements {
      'ck-chat': CkJsx<CkChat, ElementProps['ck-chat']>;
      'ck-chat-view': CkJsx<CkChatView, ElementProps['ck-chat-view']>;
      'ck-conversation-list': CkJsx<CkConversationList, ElementProps['ck-conversation-list']>;
      'ck-contact-picker': CkJsx<CkContactPicker, ElementProps['ck-contact-picker']>;
      'ck-members': CkJsx<CkMembers, ElementProps['ck-members']>;
    }
  }
}
