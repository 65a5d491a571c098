/**
 * xmpp-chatkit: importing this module defines every ck-* element.
 */
export { ChatKit, MAX_SEND_CHARS } from './kit/chatkit.js';
export { ChatKitError, type ChatKitErrorCode } from './kit/errors.js';
export {
  CkStatusEvent,
  CkSessionEvent,
  CkErrorEvent,
  CkConflictEvent,
  CkSelectEvent,
  CkPickEvent,
  CkCancelEvent,
  CkOpenProfileEvent,
  type ChatKitEventMap,
} from './kit/events.js';
export type {
  ChatKitOptions,
  ConnectionStatus,
  OpenOptions,
  Profile,
  Signature,
  SignatureAction,
  SignatureRequest,
  StartConversationOptions,
  StorageKind,
} from './kit/types.js';
export type {
  ContactRecord,
  ConversationRecord,
  MessageRecord,
  MessageState,
  PresenceRecord,
  ProfileRecord,
} from './store/records.js';
export { registerMessages, type Messages, type MessageKey } from './i18n/index.js';
export { CkConversationList } from './ui/conversation-list/conversation-list.js';
export { CkChatView } from './ui/chat-view/chat-view.js';
export { CkContactPicker } from './ui/contact-picker/contact-picker.js';
export { CkChat } from './ui/chat/chat.js';
