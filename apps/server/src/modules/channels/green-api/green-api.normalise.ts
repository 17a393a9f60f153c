import { z } from 'zod';
import type { Attachment } from '@switchboard/shared';
import type { InboundMessage } from '../adapter.js';

const fileData = z.looseObject({
  downloadUrl: z.string().optional(),
  caption: z.string().optional(),
  fileName: z.string().optional(),
  mimeType: z.string().optional(),
});

const messageData = z.looseObject({
  typeMessage: z.string(),
  textMessageData: z.looseObject({ textMessage: z.string() }).optional(),
  extendedTextMessageData: z.looseObject({ text: z.string().optional(), stanzaId: z.string().optional() }).optional(),
  fileMessageData: fileData.optional(),
  locationMessageData: z
    .looseObject({
      nameLocation: z.string().optional(),
      address: z.string().optional(),
      latitude: z.number().optional(),
      longitude: z.number().optional(),
    })
    .optional(),
  contactMessageData: z.looseObject({ displayName: z.string().optional() }).optional(),
  buttonsResponseMessage: z.looseObject({ selectedButtonText: z.string().optional() }).optional(),
  listResponseMessage: z.looseObject({ title: z.string().optional() }).optional(),
  templateButtonReplyMessage: z.looseObject({ selectedDisplayText: z.string().optional() }).optional(),
  editedMessageData: z.looseObject({ textMessage: z.string().optional(), stanzaId: z.string() }).optional(),
});
type MessageData = z.infer<typeof messageData>;

const incoming = z.looseObject({
  typeWebhook: z.literal('incomingMessageReceived'),
  timestamp: z.number().optional(),
  idMessage: z.string(),
  senderData: z.looseObject({
    chatId: z.string(),
    chatName: z.string().optional(),
    sender: z.string().optional(),
    senderName: z.string().optional(),
  }),
  messageData,
});

const outgoingStatus = z.looseObject({
  typeWebhook: z.literal('outgoingMessageStatus'),
  chatId: z.string(),
  idMessage: z.string(),
  status: z.string(),
  description: z.string().optional(),
});

const stateChanged = z.looseObject({ typeWebhook: z.literal('stateInstanceChanged'), stateInstance: z.string() });

/** Who sent a notification: checked against the channel's instance. */
export function instanceOf(body: unknown): string | undefined {
  const id = (body as { instanceData?: { idInstance?: unknown } } | null)?.instanceData?.idInstance;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : undefined;
}

export type Notification =
  | { kind: 'message'; message: InboundMessage }
  | { kind: 'status'; report: { externalId: string; status: 'sent' | 'delivered' | 'read' | 'failed'; reason: string | null } }
  | { kind: 'state'; stateInstance: string }
  | { kind: 'ignored' };

/** The one dedup key of a message in a chat, for inbound messages and our own sends alike. */
export const messageKey = (chatId: string, idMessage: string) => `${chatId}:${idMessage}`;

/** One Green-API notification (webhook body or queue item), reduced to what the channel acts on. */
export function normaliseNotification(body: unknown): Notification {
  const msg = incoming.safeParse(body);
  if (msg.success) {
    const message = normaliseMessage(msg.data);
    return message ? { kind: 'message', message } : { kind: 'ignored' };
  }
  const status = outgoingStatus.safeParse(body);
  if (status.success) {
    const report = reportOf(status.data);
    return report ? { kind: 'status', report } : { kind: 'ignored' };
  }
  const state = stateChanged.safeParse(body);
  if (state.success) return { kind: 'state', stateInstance: state.data.stateInstance };
  return { kind: 'ignored' };
}

function normaliseMessage(n: z.infer<typeof incoming>): InboundMessage | null {
  const { chatId, chatName, senderName } = n.senderData;
  const data = n.messageData;
  if (data.typeMessage === 'deletedMessage') return null;
  const edit = data.typeMessage === 'editedMessage' ? data.editedMessageData : undefined;
  const { text, attachments } = contentOf(chatId, n.idMessage, data);
  const group = chatId.endsWith('@g.us');
  return {
    externalId: messageKey(chatId, edit ? edit.stanzaId : n.idMessage),
    chatId,
    contact: {
      externalId: chatId,
      name: (group ? chatName : senderName) || chatName || senderName || null,
      username: group ? null : `+${chatId.split('@')[0]}`,
    },
    text: edit ? (edit.textMessage ?? null) : text,
    attachments: edit ? [] : attachments,
    sentAt: n.timestamp ? new Date(n.timestamp * 1000) : new Date(),
    edited: Boolean(edit),
    ...(group && senderName ? { meta: { sender: n.senderData.sender, senderName } } : {}),
  };
}

const FILE_KINDS: Record<string, Attachment['kind']> = {
  imageMessage: 'photo',
  videoMessage: 'video',
  documentMessage: 'document',
  audioMessage: 'audio',
  stickerMessage: 'sticker',
};

/**
 * Text and files of a message. A file is kept as `chatId/idMessage` and fetched on demand with
 * `downloadFile` (the download URL in the notification expires). Other content becomes a readable line.
 */
function contentOf(chatId: string, idMessage: string, d: MessageData): { text: string | null; attachments: Attachment[] } {
  if (d.textMessageData) return { text: d.textMessageData.textMessage, attachments: [] };
  const kind = FILE_KINDS[d.typeMessage];
  if (kind && d.fileMessageData) {
    const f = d.fileMessageData;
    const attachment: Attachment = {
      kind: kind === 'audio' && f.mimeType?.includes('ogg') ? 'voice' : kind,
      fileId: `${chatId}/${idMessage}`,
      ...(f.fileName ? { fileName: f.fileName } : {}),
      ...(f.mimeType ? { mimeType: f.mimeType } : {}),
    };
    return { text: f.caption || null, attachments: [attachment] };
  }
  if (d.typeMessage === 'reactionMessage') return { text: `[reaction] ${d.extendedTextMessageData?.text || '(removed)'}`, attachments: [] };
  if (d.extendedTextMessageData?.text) return { text: d.extendedTextMessageData.text, attachments: [] };
  return { text: placeholder(d), attachments: [] };
}

function placeholder(d: MessageData): string {
  if (d.locationMessageData) {
    const { nameLocation, address, latitude, longitude } = d.locationMessageData;
    const where = [nameLocation, address].filter(Boolean).join(', ');
    return `[location] ${where ? `${where} ` : ''}(${latitude ?? '?'}, ${longitude ?? '?'})`;
  }
  if (d.contactMessageData) return `[contact] ${d.contactMessageData.displayName ?? ''}`.trim();
  const choice =
    d.buttonsResponseMessage?.selectedButtonText ?? d.listResponseMessage?.title ?? d.templateButtonReplyMessage?.selectedDisplayText;
  if (choice) return choice;
  return `[${d.typeMessage.replace(/Message$/, '') || 'unsupported'} message]`;
}

/** Green-API's send statuses; the ones past `read` are failures with a known reason. */
function reportOf(s: z.infer<typeof outgoingStatus>): Extract<Notification, { kind: 'status' }>['report'] | null {
  const externalId = messageKey(s.chatId, s.idMessage);
  switch (s.status) {
    case 'sent':
    case 'delivered':
    case 'read':
      return { externalId, status: s.status, reason: null };
    case 'failed':
      return { externalId, status: 'failed', reason: `WhatsApp (Green-API): ${s.description || 'the message could not be delivered'}` };
    case 'noAccount':
      return { externalId, status: 'failed', reason: 'This phone number has no WhatsApp account' };
    case 'notInGroup':
      return { externalId, status: 'failed', reason: 'The WhatsApp number of this channel is not a member of the group' };
    case 'yellowCard':
      return {
        externalId,
        status: 'failed',
        reason: 'WhatsApp temporarily restricted sending from this number (suspected spam, "yellow card"); the message was not delivered',
      };
    default:
      return null;
  }
}

/** A channel status for an instance state (`getStateInstance`, `stateInstanceChanged`). */
export function statusOfState(
  state: string | undefined,
  idInstance: string,
): { status: 'connected' | 'auth_failed'; statusReason: string | null } {
  switch (state ?? '') {
    case 'authorized':
    case 'starting':
      return { status: 'connected', statusReason: null };
    case 'notAuthorized':
      return {
        status: 'auth_failed',
        statusReason: `No WhatsApp number is linked to Green-API instance ${idInstance}: scan the QR code in the Green-API console, then reconnect the channel`,
      };
    case 'blocked':
      return { status: 'auth_failed', statusReason: `WhatsApp has banned the number of Green-API instance ${idInstance}` };
    case 'sleepMode':
      return { status: 'connected', statusReason: 'The phone is offline (sleep mode): messages go out when it is back online' };
    case 'yellowCard':
      return { status: 'connected', statusReason: 'WhatsApp restricted sending from this number for suspected spam ("yellow card")' };
    default:
      return { status: 'connected', statusReason: state ? `Green-API instance state: ${state}` : null };
  }
}
