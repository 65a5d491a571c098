import type { ChatDB } from './schema.js';

/** Key of a typing row: one per conversation and user. */
export const typingKey = (conversationId: string, userId: string): string => `${conversationId} ${userId}`;

/** XEP-0085: `userId` started (`on`) or stopped typing in a conversation. */
export async function setTyping(db: ChatDB, conversationId: string, userId: string, on: boolean, at: number): Promise<void> {
  const key = typingKey(conversationId, userId);
  if (on) await db.typing.put({ key, conversationId, userId, at });
  else await db.typing.delete(key);
}

/** Start-up: nobody is known to be typing (rows left by an earlier session are stale). */
export async function clearTyping(db: ChatDB): Promise<void> {
  await db.typing.clear();
}
