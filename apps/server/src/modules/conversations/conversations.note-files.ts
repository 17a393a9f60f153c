import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Attachment } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import type { Db } from '../../platform/db/client.js';
import { storedFiles } from '../../platform/db/schema.channels.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { Upload } from '../../platform/http/upload.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { ConversationsRepository } from './conversations.repository.js';
import { storeFiles } from './conversations.files.js';

/** Files people attach to private notes: kept in the database with the conversation's channel, like e-mail attachments. */
export async function uploadNoteFile(ctx: AppContext, actor: Actor, conversationId: string, upload: Upload): Promise<Attachment> {
  requirePermission(actor, 'conversation.note');
  const conv = await new ConversationsRepository(ctx.db).get(ctx.db, actor.accountId, conversationId);
  if (!conv) throw notFound('Conversation');
  const id = randomUUID();
  await transaction(ctx.pool, (tx) =>
    storeFiles(tx, { id: conv.channelId, accountId: actor.accountId }, [
      { id, fileName: upload.fileName, contentType: upload.mimeType ?? null, content: upload.buffer },
    ]),
  );
  return {
    kind: upload.mimeType?.startsWith('image/') ? 'photo' : 'document',
    fileId: id,
    fileName: upload.fileName,
    ...(upload.mimeType ? { mimeType: upload.mimeType } : {}),
    size: upload.buffer.length,
  };
}

/**
 * The attachments of a note, as stored: each must be a file uploaded to this conversation's channel in this
 * account (sizes and names come from the stored row, not the request). Replies to customers carry no files
 * yet: the channel adapters have no outbound file sending.
 */
export async function checkNoteAttachments(db: Db, accountId: string, channelId: string, attachments: Attachment[]): Promise<Attachment[]> {
  if (attachments.length === 0) return [];
  const ids = attachments.map((a) => a.fileId);
  const rows = await db
    .select({ id: storedFiles.id, fileName: storedFiles.fileName, contentType: storedFiles.contentType, size: storedFiles.size })
    .from(storedFiles)
    .where(and(eq(storedFiles.accountId, accountId), eq(storedFiles.channelId, channelId), inArray(storedFiles.id, ids)));
  return ids.map((id) => {
    const row = rows.find((r) => r.id === id);
    if (!row) throw new AppError('validation_failed', 'Unknown file: upload it to this conversation first', { field: 'attachments' });
    return {
      kind: row.contentType?.startsWith('image/') ? 'photo' : 'document',
      fileId: row.id,
      ...(row.fileName ? { fileName: row.fileName } : {}),
      ...(row.contentType ? { mimeType: row.contentType } : {}),
      size: row.size,
    };
  });
}
