/**
 * xmpp-chatkit: importing this module defines every ck-* element.
 */
export { ChatKit, MAX_SEND_CHARS } from './kit/chatkit.js';
export { ChatKitError, type ChatKitErrorCode } from './kit/errors.js';
export type { NotificationSettings } from './kit/notifications.js';
export {
  CkStatusEvent,
  CkSessionEvent,
  CkErrorEvent,
  CkConflictEvent,
  CkSelectEvent,
  CkPickEvent,
  CkCancelEvent,
  CkOpenProfileEvent,
  CkConversationLeftEvent,
  CkInviteEvent,
  CkUnreadEvent,
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
  MentionInput,
  SendOptions,
  SendFileOptions,
  ReplyOptions,
  OutgoingMessage,
  IncomingMessageView,
  MessageAction,
} from './kit/types.js';
export {
  MessageTypes,
  type MessageTypeDefinition,
  type MessageTypeContext,
  type MessageTypeComposer,
  type PayloadElement,
} from './kit/message-types.js';
export { MAX_CUSTOM_BYTES, MAX_EMOJI_CHARS, TYPING_INTERVAL_MS } from './kit/rich.js';
export { geoUri } from './protocol/outgoing.js';
export { roomMembers, totalUnread } from './store/queries.js';
export { describeSystemEvent } from './render/system.js';
export type { AddContactOptions, UpdateContactOptions, OwnShow } from './kit/contacts.js';
export { isBlocked, blockedIds, pendingRequests } from './store/contacts.js';
export { signaturePayload, signaturePayloadFor, SIGNATURE_NS, type SignatureStatement } from './protocol/signature.js';
export type {
  ContactRecord,
  ConversationRecord,
  MemberRecord,
  Affiliation,
  Role,
  LeftReason,
  Mention,
  SystemEvent,
  SystemEventKind,
  MessageRecord,
  MessageState,
  MessagePreview,
  Attachment,
  UploadState,
  GeoLocation,
  ReplyRef,
  CustomPayload,
  CustomData,
  TypingRecord,
  PresenceRecord,
  PresenceShow,
  ProfileRecord,
  AvatarPhoto,
  RequestRecord,
  BlockedRecord,
} from './store/records.js';
export { registerMessages, type Messages, type MessageKey } from './i18n/index.js';
export { CkConversationList } from './ui/conversation-list/conversation-list.js';
export { CkChatView } from './ui/chat-view/chat-view.js';
export { CkContactPicker } from './ui/contact-picker/contact-picker.js';
export { CkChat } from './ui/chat/chat.js';
export { CkMembers } from './ui/members/members.js';
