import type { Message, Update } from 'grammy/types';
import type { Attachment } from '@switchboard/shared';
import type { InboundMessage } from '../adapter.js';

/** The customer-visible content of an update, or null for update types we ignore. */
export function normaliseUpdate(update: Update): InboundMessage | null {
  const msg = update.message ?? update.edited_message;
  if (!msg) return null;
  const attachments = attachmentsOf(msg);
  const text = msg.text ?? msg.caption ?? null;
  if (text === null && attachments.length === 0) return null; // service messages, stickers without file…
  const from = msg.from;
  const name = from ? [from.first_name, from.last_name].filter(Boolean).join(' ') : null;
  return {
    externalId: `${msg.chat.id}:${msg.message_id}`,
    chatId: String(msg.chat.id),
    contact: { externalId: String(from?.id ?? msg.chat.id), name, username: from?.username ?? null },
    text,
    attachments,
    sentAt: new Date(msg.date * 1000),
    edited: Boolean(update.edited_message),
  };
}

function attachmentsOf(msg: Message): Attachment[] {
  const out: Attachment[] = [];
  if (msg.photo?.length) {
    const largest = msg.photo[msg.photo.length - 1]!;
    out.push({ kind: 'photo', fileId: largest.file_id, ...(largest.file_size ? { size: largest.file_size } : {}) });
  }
  const files = [
    ['document', msg.document],
    ['voice', msg.voice],
    ['video', msg.video],
    ['audio', msg.audio],
  ] as const;
  for (const [kind, f] of files) {
    if (!f) continue;
    out.push({
      kind,
      fileId: f.file_id,
      ...('file_name' in f && f.file_name ? { fileName: f.file_name } : {}),
      ...(f.mime_type ? { mimeType: f.mime_type } : {}),
      ...(f.file_size ? { size: f.file_size } : {}),
    });
  }
  return out;
}
