import type { ChatKit } from './kit/chatkit.js';

/** Properties every ck-* element takes. */
interface Common {
  /** The kit the element reads from (else `ChatKit.default`). */
  kit: ChatKit;
  theme: 'light' | 'dark';
}

/** The public properties of each ck-* element, for framework typings (types only). */
export interface ElementProps {
  'ck-chat': Common & { conversation: string | null; breakpoint: number };
  'ck-chat-view': Common & { conversation: string | null };
  'ck-conversation-list': Common & { selected: string | null };
  'ck-contact-picker': Common & { mode: 'single' | 'multiple'; exclude: string };
  'ck-members': Common & { conversation: string | null };
}
