// Compile-time checks of the React and Vue typings (tsc checks this file; nothing runs it).
import type { JSX } from 'react';
import type { GlobalComponents } from 'vue';
import type {} from '../../src/jsx.js';
import type {} from '../../src/vue.js';
import type { ChatKit } from '../../src/index.js';

declare const kit: ChatKit;

export const chat: JSX.IntrinsicElements['ck-chat'] = {
  kit,
  conversation: 'bob@example.com',
  theme: 'dark',
  className: 'chat',
  'onck-select': (e) => e.conversationId.toUpperCase(),
  'onck-error': (e) => e.error.message,
};

export const picker: JSX.IntrinsicElements['ck-contact-picker'] = {
  mode: 'multiple',
  'onck-pick': (e) => e.userIds.join(),
  // @ts-expect-error: exclude is a string of ids
  exclude: 3,
};

// @ts-expect-error: the conversation is an id string
export const badView: JSX.IntrinsicElements['ck-chat-view'] = { conversation: 42 };

export type VueChat = GlobalComponents['ck-chat'];

// Listeners are typed from the element's events.
document.createElement('ck-chat').addEventListener('ck-error', (e) => e.error.message);
document.addEventListener('ck-pick', (e) => e.userIds.length);
