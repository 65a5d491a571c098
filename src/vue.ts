/**
 * Vue 3 typings for the ck-* elements (types only, for vue-tsc / Volar). Opt in once:
 *
 *   import type {} from 'xmpp-chatkit/vue';
 *
 * Tell Vue's compiler they are custom elements (`compilerOptions.isCustomElement:
 * (tag) => tag.startsWith('ck-')`); Vue then sets `kit` as a property and `@ck-select`
 * (or `onCkSelect` in `h()`) listens to the element's `ck-select` event.
 */
import type { DefineComponent } from 'vue';
import type { CkCancelEvent, CkErrorEvent, CkOpenProfileEvent, CkPickEvent, CkSelectEvent } from './kit/events.js';
import type { ElementProps } from './element-props.js';

interface VueEvents {
  onCkSelect?: (event: CkSelectEvent) => void;
  onCkPick?: (event: CkPickEvent) => void;
  onCkCancel?: (event: CkCancelEvent) => void;
  onCkOpenProfile?: (event: CkOpenProfileEvent) => void;
  onCkError?: (event: CkErrorEvent) => void;
}

type VueElement<P> = DefineComponent<Partial<P> & VueEvents>;

declare module 'vue' {
  interface GlobalComponents {
    'ck-chat': VueElement<ElementProps['ck-chat']>;
    'ck-chat-view': VueElement<ElementProps['ck-chat-view']>;
    'ck-conversation-list': VueElement<ElementProps['ck-conversation-list']>;
    'ck-contact-picker': VueElement<ElementProps['ck-contact-picker']>;
    'ck-members': VueElement<ElementProps['ck-members']>;
  }
}
