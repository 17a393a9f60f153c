import { Readable } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import type { Attachment } from '@switchboard/shared';
import { notFound } from '../../platform/http/errors.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import type { DeliveryContext } from './conversations.delivery.js';
import { ConversationsRepository } from './conversations.repository.js';
import { openStoredFile } from './conversations.files.js';

export interface AttachmentDownload {
  stream: Readable;
  attachment: Attachment;
  size: number | undefined;
}

/** Streams one attachment of a message from its provider, on demand (we store only the file id). */
export async function openAttachment(
  ctx: DeliveryContext,
  actor: Actor,
  conversationId: string,
  messageId: string,
  index: number,
): Promise<AttachmentDownload> {
  requirePermission(actor, 'conversation.read');
  const repo = new ConversationsRepository(ctx.db);
  const message = await repo.getMessage(ctx.db, actor.accountId, messageId);
  const attachment = message?.conversationId === conversationId ? message.attachments[index] : undefined;
  if (!message || !attachment) throw notFound('Attachment');
  // A file a person attached to a note is ours, not the provider's.
  if (message.authorType === 'operator') {
    const file = await openStoredFile(ctx.db, { id: message.channelId, accountId: actor.accountId }, attachment.fileId);
    return { stream: Readable.fromWeb(file.body as NodeReadableStream<Uint8Array>), attachment, size: file.size };
  }
  const channel = await ctx.channels.load(actor.accountId, message.channelId);
  if (!channel) throw notFound('Channel');
  const adapter = ctx.channels.adapter(channel.record.type);
  if (!adapter.fetchFile) throw notFound('Attachment');
  const file = await adapter.fetchFile(channel.record, channel.secrets, attachment.fileId);
  return {
    stream: Readable.fromWeb(file.body as NodeReadableStream<Uint8Array>),
    attachment,
    size: file.size,
  };
}
