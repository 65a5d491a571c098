import type { ChatDB } from './schema.js';
import type { Attachment, MessageRecord, ReplyRef } from './records.js';
import { addOutgoing, messagePreview, type OutgoingDraft } from './messages.js';

/**
 * The upload outbox: an own file message waits as `pending` with `upload` set and its
 * bytes in `files` until the upload gives it a URL; only then does the chat outbox send it.
 */

export interface OutgoingFile extends OutgoingDraft {
  attachment: Attachment;
  reply?: ReplyRef;
}

/** Stores the message (pending, uploading) and its bytes in one transaction: both or neither. */
export function addOutgoingFile(db: ChatDB, draft: OutgoingFile, blob: Blob): Promise<MessageRecord> {
  const { attachment, reply, ...text } = draft;
  return addOutgoing(db, text, { attachment: { ...attachment, url: '' }, upload: { progress: 0 }, reply }, blob);
}

/** Own file messages waiting for their upload, in send order. */
export function pendingUploads(db: ChatDB): Promise<MessageRecord[]> {
  return db.messages
    .where('[state+seq]')
    .between(['pending', -Infinity], ['pending', Infinity])
    .filter((m) => m.own && !!m.upload)
    .toArray();
}

export async function fileBytes(db: ChatDB, id: string): Promise<Blob | undefined> {
  return (await db.files.get(id))?.blob;
}

/** Writes upload progress; a message no longer uploading (done, cancelled) is left alone. */
export async function setUploadProgress(db: ChatDB, id: string, progress: number): Promise<void> {
  await db.messages.update(id, (m) => {
    if (!m.upload) return false;
    m.upload = { progress: Math.max(0, Math.min(1, progress)) };
  });
}

/**
 * The bytes are on the server: the message gets its URL (also its body, so clients that
 * know no XEP-0066 show the link), stops uploading and loses its local bytes.
 * False when it was cancelled meanwhile.
 */
export async function completeUpload(db: ChatDB, id: string, url: string): Promise<boolean> {
  return db.transaction('rw', db.messages, db.conversations, db.files, async () => {
    const m = await db.messages.get(id);
    await db.files.delete(id);
    if (!m?.upload || !m.attachment) return false;
    const next: MessageRecord = { ...m, body: url, attachment: { ...m.attachment, url } };
    delete next.upload;
    await db.messages.put(next);
    const conv = await db.conversations.get(m.conversationId);
    if (conv?.last?.id === id) {
      conv.last = messagePreview(next);
      await db.conversations.put(conv);
    }
    return true;
  });
}

/**
 * The upload failed: the message shows `failed` with the reason and keeps its bytes and
 * `upload` (back at 0), so a resend uploads it again.
 */
export async function failUpload(db: ChatDB, id: string, reason: string): Promise<void> {
  await db.transaction('rw', db.messages, db.conversations, async () => {
    const m = await db.messages.get(id);
    if (!m?.upload) return;
    const next: MessageRecord = { ...m, state: 'failed', error: reason, upload: { progress: 0 } };
    await db.messages.put(next);
    const conv = await db.conversations.get(m.conversationId);
    if (conv?.last?.id === id) {
      conv.last = messagePreview(next);
      await db.conversations.put(conv);
    }
  });
}

/** An upload interrupted without failing (sign-out, dropped connection) starts over later. */
export async function resetUpload(db: ChatDB, id: string): Promise<void> {
  await setUploadProgress(db, id, 0);
}

/**
 * Removes a cancelled upload's message and bytes together. False when the message was no
 * longer uploading (already sent, or already gone): then nothing is removed.
 */
export async function removeUpload(db: ChatDB, id: string): Promise<boolean> {
  return db.transaction('rw', db.messages, db.conversations, db.files, async () => {
    const m = await db.messages.get(id);
    if (!m?.upload) return false;
    await db.messages.delete(id);
    await db.files.delete(id);
    const conv = await db.conversations.get(m.conversationId);
    if (conv?.last?.id === id) {
      const newest = await db.messages
        .where('[conversationId+ts+seq]')
        .between([m.conversationId, -Infinity, -Infinity], [m.conversationId, Infinity, Infinity])
        .last();
      if (newest) conv.last = messagePreview(newest);
      else delete conv.last;
      await db.conversations.put(conv);
    }
    return true;
  });
}

/** Bytes whose message is gone (deleted while queued): dropped so they do not fill the disk. */
export async function dropOrphanFiles(db: ChatDB): Promise<void> {
  await db.transaction('rw', db.messages, db.files, async () => {
    const ids = await db.files.toCollection().primaryKeys();
    const rows = await db.messages.bulkGet(ids);
    const orphans = ids.filter((_, i) => !rows[i]?.upload);
    if (orphans.length) await db.files.bulkDelete(orphans);
  });
}
