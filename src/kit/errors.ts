export type ChatKitErrorCode =
  | 'signature-vetoed'
  | 'login-refused'
  | 'no-credentials'
  | 'not-open'
  | 'invalid-argument'
  | 'unsupported'
  | 'closed';

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
