import { z } from 'zod';
import type { Attachment } from '@switchboard/shared';
import type { InboundMessage } from '../adapter.js';
import { WINDOW_CLOSED } from './whatsapp.client.js';

const media = z.looseObject({
  id: z.string(),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
  voice: z.boolean().optional(),
});

const waError = z.looseObject({
  code: z.number().optional(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.looseObject({ details: z.string().optional() }).optional(),
});

const waMessage = z.looseObject({
  from: z.string(),
  id: z.string(),
  timestamp: z.string().optional(),
  type: z.string(),
  text: z.looseObject({ body: z.string() }).optional(),
  image: media.optional(),
  video: media.optional(),
  audio: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
  location: z
    .looseObject({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  contacts: z
    .array(
      z.looseObject({
        name: z.looseObject({ formatted_name: z.string().optional() }).optional(),
        phones: z.array(z.looseObject({ phone: z.string().optional() })).optional(),
      }),
    )
    .optional(),
  interactive: z
    .looseObject({
      button_reply: z.looseObject({ title: z.string() }).optional(),
      list_reply: z.looseObject({ title: z.string() }).optional(),
    })
    .optional(),
  button: z.looseObject({ text: z.string() }).optional(),
  reaction: z.looseObject({ emoji: z.string().optional(), message_id: z.string().optional() }).optional(),
  context: z.looseObject({ id: z.string().optional() }).optional(),
  errors: z.array(waError).optional(),
});
export type WaMessage = z.infer<typeof waMessage>;

const waStatus = z.looseObject({
  id: z.string(),
  status: z.string(),
  recipient_id: z.string().optional(),
  errors: z.array(waError).optional(),
});
export type WaStatus = z.infer<typeof waStatus>;

const waContact = z.looseObject({ wa_id: z.string(), profile: z.looseObject({ name: z.string().optional() }).optional() });

const changeValue = z.looseObject({
  metadata: z.looseObject({ phone_number_id: z.string(), display_phone_number: z.string().optional() }),
  contacts: z.array(waContact).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
});

const webhookBody = z.looseObject({
  object: z.string().optional(),
  entry: z.array(z.looseObject({ changes: z.array(z.looseObject({ field: z.string(), value: z.unknown() })).optional() })),
});

/** What one `messages` change carries for one business number. */
export interface MessagesChange {
  phoneNumberId: string;
  messages: InboundMessage[];
  statuses: DeliveryReport[];
}

export interface DeliveryReport {
  externalId: string;
  status: 'sent' | 'delivered' | 'read' | 'failed';
  reason: string | null;
}

/**
 * The `messages` changes of a Cloud API webhook body. Entries of other fields (templates, account
 * updates) and items we cannot read are skipped: one odd item must not hold up the rest.
 */
export function parseWebhook(body: unknown): MessagesChange[] {
  const parsed = webhookBody.safeParse(body);
  if (!parsed.success) return [];
  const out: MessagesChange[] = [];
  for (const entry of parsed.data.entry) {
    for (const change of entry.changes ?? []) {
      if (change.field !== 'messages') continue;
      const value = changeValue.safeParse(change.value);
      if (!value.success) continue;
      const contacts = value.data.contacts ?? [];
      const messages = (value.data.messages ?? [])
        .map((m) => waMessage.safeParse(m))
        .flatMap((m) => (m.success ? [normaliseMessage(m.data, contacts)] : []))
        .filter((m): m is InboundMessage => m !== null);
      const statuses = (value.data.statuses ?? [])
        .map((s) => waStatus.safeParse(s))
        .flatMap((s) => (s.success ? [deliveryReportOf(s.data)] : []))
        .filter((s): s is DeliveryReport => s !== null);
      out.push({ phoneNumberId: value.data.metadata.phone_number_id, messages, statuses });
    }
  }
  return out;
}

/** One customer message; null for system notices (a customer changed number) that are not theirs to read. */
export function normaliseMessage(m: WaMessage, contacts: z.infer<typeof waContact>[]): InboundMessage | null {
  if (m.type === 'system') return null;
  const name = contacts.find((c) => c.wa_id === m.from)?.profile?.name ?? null;
  const { text, attachments } = contentOf(m);
  const seconds = Number(m.timestamp);
  return {
    externalId: m.id,
    chatId: m.from,
    contact: { externalId: m.from, name, username: `+${m.from}` },
    text,
    attachments,
    sentAt: Number.isFinite(seconds) && seconds > 0 ? new Date(seconds * 1000) : new Date(),
    edited: false,
    ...(m.context?.id ? { meta: { replyTo: m.context.id } } : {}),
  };
}

const MEDIA_KINDS = [
  ['image', 'photo'],
  ['video', 'video'],
  ['audio', 'audio'],
  ['document', 'document'],
  ['sticker', 'sticker'],
] as const;

/**
 * Text and files of a message. Files keep Meta's media id (fetched on demand); their caption is the
 * text. Content that is neither becomes a readable line (location, shared contact, reaction…).
 */
function contentOf(m: WaMessage): { text: string | null; attachments: Attachment[] } {
  if (m.text) return { text: m.text.body, attachments: [] };
  for (const [type, kind] of MEDIA_KINDS) {
    const file = m[type];
    if (!file) continue;
    const attachment: Attachment = {
      kind: type === 'audio' && file.voice ? 'voice' : kind,
      fileId: file.id,
      ...(file.filename ? { fileName: file.filename } : {}),
      ...(file.mime_type ? { mimeType: file.mime_type } : {}),
    };
    return { text: file.caption ?? null, attachments: [attachment] };
  }
  return { text: placeholder(m), attachments: [] };
}

function placeholder(m: WaMessage): string {
  if (m.location) {
    const { latitude, longitude, name, address } = m.location;
    const where = [name, address].filter(Boolean).join(', ');
    return `[location] ${where ? `${where} ` : ''}(${latitude}, ${longitude})`;
  }
  if (m.contacts?.length) {
    const cards = m.contacts.map((c) => [c.name?.formatted_name, ...(c.phones ?? []).map((p) => p.phone)].filter(Boolean).join(' '));
    return `[contact] ${cards.join('; ')}`;
  }
  const choice = m.interactive?.button_reply?.title ?? m.interactive?.list_reply?.title ?? m.button?.text;
  if (choice) return choice;
  if (m.type === 'reaction') return `[reaction] ${m.reaction?.emoji || '(removed)'}`;
  const why = m.errors?.[0]?.error_data?.details ?? m.errors?.[0]?.title;
  return `[${m.type === 'unsupported' || m.type === 'unknown' ? 'unsupported message' : `${m.type} message`}]${why ? ` ${why}` : ''}`;
}

/** A `statuses[]` item as a delivery report; null for statuses we do not track (deleted, warning). */
export function deliveryReportOf(s: WaStatus): DeliveryReport | null {
  if (s.status !== 'sent' && s.status !== 'delivered' && s.status !== 'read' && s.status !== 'failed') return null;
  return { externalId: s.id, status: s.status, reason: s.status === 'failed' ? failureReason(s) : null };
}

function failureReason(s: WaStatus): string {
  const error = s.errors?.[0];
  if (!error) return 'WhatsApp could not deliver the message';
  if (error.code === 131047) return WINDOW_CLOSED;
  const text = error.error_data?.details ?? error.message ?? error.title ?? 'could not deliver the message';
  return `WhatsApp: ${text}${error.code === undefined ? '' : ` (#${error.code})`}`;
}
