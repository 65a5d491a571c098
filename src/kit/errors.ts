export type ChatKitErrorCode =
  | 'signature-vetoed'
  | 'login-refused'
  | 'no-credentials'
  | 'not-open'
  | 'invalid-argument'
  | 'unsupported'
  | 'closed'
  /** The action needs the server and the kit is not online. */
  | 'offline'
  /** The server refused the request (its reason is in the message and `cause`). */
  | 'refused'
  /** The user may not do this (e.g. remove group members without being the group's owner or admin). */
  | 'forbidden'
  /** The server refused the action's signature: missing, invalid, expired or already used. */
  | 'signature-refused'
  /** The local store could not be written (quota exceeded) or opened (IndexedDB unavailable). */
  | 'storage'
  /** A file is larger than the server's upload limit (XEP-0363 `max-file-size`). */
  | 'too-large'
  /** An integrator's `beforeSend` hook refused the message. */
  | 'send-vetoed'
  /** An upload was cancelled (`kit.cancelUpload`). */
  | 'cancelled';

/** Every rejection from a ChatKit method is one of these, with a code to branch on. */
export class ChatKitError extends Error {
  constructor(
    readonly code: ChatKitErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ChatKitError';
  }
}
