import type { ConnectionStatus } from './types.js';
import type { LeftReason } from '../store/records.js';

const init = { bubbles: true, composed: true } as const;

/** The kit's connection status changed (`kit.status`). */
export class CkStatusEvent extends Event {
  constructor(readonly status: ConnectionStatus) {
    super('ck-status', init);
  }
}

/** The kit switched account store (after `open` or `close`): elements re-read. */
export class CkSessionEvent extends Event {
  constructor(readonly clientId: string | null) {
    super('ck-session', init);
  }
}

/** Something failed that the app may want to show (the kit stays usable). */
export class CkErrorEvent extends Event {
  constructor(readonly error: Error) {
    super('ck-error', init);
  }
}

/** Another login replaced this session; the kit does not fight back (status `conflict`). */
export class CkConflictEvent extends Event {
  constructor() {
    super('ck-conflict', init);
  }
}

/** A conversation was chosen in `<ck-conversation-list>`. */
export class CkSelectEvent extends Event {
  constructor(readonly conversationId: string) {
    super('ck-select', init);
  }
}

/** Users were picked in `<ck-contact-picker>`. */
export class CkPickEvent extends Event {
  constructor(readonly userIds: string[]) {
    super('ck-pick', init);
  }
}

/** The contact picker was dismissed without a pick. */
export class CkCancelEvent extends Event {
  constructor() {
    super('ck-cancel', init);
  }
}

/** An avatar or name was activated (LeanCloud's open-profile hook). */
export class CkOpenProfileEvent extends Event {
  constructor(readonly userId: string) {
    super('ck-open-profile', init);
  }
}

/**
 * The user is no longer in a group (LeanCloud's "conversation invalidated"): removed by
 * `actor` (`reason` `kicked`), left it (`left`), or it was destroyed (`destroyed`). The
 * conversation stays in the store with `left: true` and its history.
 */
export class CkConversationLeftEvent extends Event {
  constructor(
    readonly conversationId: string,
    readonly reason: LeftReason,
    readonly actor?: string,
  ) {
    super('ck-conversation-left', init);
  }
}

/**
 * The user was invited to a group by `inviter`. From a contact it is joined at once;
 * otherwise it waits (`pending`; the conversation has `invitePending`) for
 * `kit.acceptInvite` or `kit.declineInvite`.
 */
export class CkInviteEvent extends Event {
  constructor(
    readonly conversationId: string,
    readonly inviter: string,
    readonly pending: boolean,
  ) {
    super('ck-invite', init);
  }
}

/** `kit.totalUnread` changed: unread messages over all listed, unmuted conversations (for the app's badge). */
export class CkUnreadEvent extends Event {
  constructor(readonly total: number) {
    super('ck-unread', init);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'ck-select': CkSelectEvent;
    'ck-pick': CkPickEvent;
    'ck-cancel': CkCancelEvent;
    'ck-open-profile': CkOpenProfileEvent;
    // Elements fire it too (a refused send, a failed kick or contact action), bubbling and composed.
    'ck-error': CkErrorEvent;
  }
}

export interface ChatKitEventMap {
  'ck-status': CkStatusEvent;
  'ck-session': CkSessionEvent;
  'ck-error': CkErrorEvent;
  'ck-conflict': CkConflictEvent;
  'ck-conversation-left': CkConversationLeftEvent;
  'ck-invite': CkInviteEvent;
  'ck-unread': CkUnreadEvent;
}
