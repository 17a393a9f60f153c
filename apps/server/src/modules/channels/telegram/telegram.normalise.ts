import type { Message, Update } from 'grammy/types';
import { z } from 'zod';
import type { Attachment } from '@switchboard/shared';
import type { InboundMessage } from '../adapter.js';

/**
 * Telegram caps a message at 4,096 characters (a caption at 1,024); more comes from a sender that holds
 * the webhook secret but is not Telegram. Its text is kept up to this length, marked as cut, rather than
 * dropped: the operator still sees what was written.
 */
export const TELEGRAM_TEXT_LIMIT = 16_384;

const int = z.number().int().safe();
const file = z.looseObject({
  file_id: z.string().min(1).max(1000),
  file_name: z.string().max(1000).optional(),
  mime_type: z.string().max(255).optional(),
  file_size: int.nonnegative().optional(),
});
/** The parts of a message we read; the rest of Telegram's shape is passed through unread. */
const message = z.looseObject({
  message_id: int,
  date: int.nonnegative(),
  chat: z.looseObject({ id: int }),
  from: z
    .looseObject({ id: int, first_name: z.string().optional(), last_name: z.string().optional(), username: z.string().optional() })
    .optional(),
  text: z.string().optional(),
  caption: z.string().optional(),
  photo: z.array(file).optional(),
  document: file.optional(),
  voice: file.optional(),
  video: file.optional(),
  audio: file.optional(),
});
const messageUpdate = z.looseObject({ message: message.optional(), edited_message: message.optional() });

/**
 * Why an update's message cannot be read (no chat, a date that is not a number, text that is not a
 * string…), or null when it can. Such updates are acknowledged and logged: Telegram would resend them forever.
 */
export function malformedUpdate(update: unknown): string | null {
  const parsed = messageUpdate.safeParse(update);
  if (parsed.success) return null;
  return parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
}

/** The customer-visible content of an update, or null for update types we ignore. */
export function normaliseUpdate(update: Update): InboundMessage | null {
  const msg = update.message ?? update.edited_message;
  if (!msg) return null;
  const attachments = attachmentsOf(msg);
  const full = msg.text ?? msg.caption ?? null;
  if (full === null && attachments.length === 0) return null; // service messages, stickers without file…
  const text = full !== null && full.length > TELEGRAM_TEXT_LIMIT ? full.slice(0, TELEGRAM_TEXT_LIMIT) : full;
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
    ...(text !== full ? { meta: { truncatedFromLength: full!.length } } : {}),
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
