import { z } from 'zod';
import {
  channel,
  channelAlert,
  conversation,
  message,
  webhookEventTypes,
  type WebhookEventType,
  type WebhookPayload,
} from '@switchboard/shared';
import type { OutboxEvent } from '../../platform/events/events.outbox.js';

/**
 * The public shape of each forwarded event's `data`: the same objects the REST API returns, parsed
 * so unknown internal keys never leak. A channel goes without its settings (they can hold provider
 * URLs with secrets in them).
 */
const dataSchemas = {
  'message.created': z.object({ conversationId: z.uuid(), message }),
  'message.updated': z.object({ conversationId: z.uuid(), message }),
  'conversation.updated': z.object({ conversation }),
  'channel.updated': z.object({ channel: channel.omit({ config: true }).extend({ deleted: z.boolean().optional() }) }),
  'channel.alert': z.object({ alert: channelAlert }),
} satisfies Record<WebhookEventType, z.ZodType>;

export function isForwarded(type: string): type is WebhookEventType {
  return (webhookEventTypes as readonly string[]).includes(type);
}

/** Public event id of an outbox event (numeric ids are stable and increase). */
export const outboxEventId = (id: number): string => `evt_${id}`;

/** The envelope for one outbox event, or null when the event is not forwarded or does not fit its schema. */
export function publicPayload(event: OutboxEvent): WebhookPayload | null {
  if (!isForwarded(event.type)) return null;
  const parsed = dataSchemas[event.type].safeParse(event.payload);
  if (!parsed.success) return null;
  return {
    id: outboxEventId(event.id),
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    accountId: event.accountId,
    data: parsed.data,
  };
}

/** `message.outbound`: an operator's (or the assistant's) reply for the API channel's own system to deliver. */
export function outboundPayload(
  accountId: string,
  m: {
    messageId: string;
    channelId: string;
    conversationId: string;
    chatId: string;
    threadKey: string;
    text: string;
    authorType: string;
    createdAt: Date;
  },
): WebhookPayload {
  return {
    id: `msg_${m.messageId}`,
    type: 'message.outbound',
    createdAt: m.createdAt.toISOString(),
    accountId,
    data: {
      messageId: m.messageId,
      channelId: m.channelId,
      conversationId: m.conversationId,
      contact: { externalId: m.chatId },
      threadKey: m.threadKey || null,
      text: m.text,
      // `operator` or `bot` (the AI first line).
      authorType: m.authorType,
    },
  };
}
