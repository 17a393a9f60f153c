import { z } from 'zod';

/** Account events an endpoint can subscribe to (forwarded from the realtime log). */
export const webhookEventTypes = [
  'message.created',
  'message.updated',
  'conversation.updated',
  'channel.updated',
  'channel.alert',
] as const;
export const webhookEventType = z.enum(webhookEventTypes);
export type WebhookEventType = z.infer<typeof webhookEventType>;

/**
 * Types a delivery can carry: the subscribable ones, `message.outbound` (an operator's reply on an API
 * channel, sent to that channel's callback URL only) and `ping` (the test button).
 */
export type WebhookDeliveryType = WebhookEventType | 'message.outbound' | 'ping';

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed', 'dead'] as const;
/** pending: not tried yet; failed: the last attempt failed and another is scheduled; dead: gave up. */
export const webhookDeliveryStatus = z.enum(webhookDeliveryStatuses);
export type WebhookDeliveryStatus = z.infer<typeof webhookDeliveryStatus>;

/** What every delivery posts: a stable envelope around a public payload (never internal rows). */
export const webhookPayload = z.object({
  /** Event id (`evt_<n>`, `msg_<uuid>` for a reply, `ping_<uuid>`): the receiver's dedup key. */
  id: z.string(),
  type: z.string(),
  createdAt: z.iso.datetime(),
  accountId: z.uuid(),
  data: z.record(z.string(), z.unknown()),
});
export type WebhookPayload = z.infer<typeof webhookPayload>;

const url = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .refine((u) => !/^https?:\/\/[^/]*@/.test(u), 'must not contain credentials');

export const webhookEndpoint = z.object({
  id: z.uuid(),
  url: z.string(),
  description: z.string().nullable(),
  /** Subscribed types; an API channel's endpoint carries `message.outbound`. */
  events: z.array(z.string()),
  enabled: z.boolean(),
  /** Set on the endpoint of an API channel (its replies go here; managed with the channel). */
  channelId: z.uuid().nullable(),
  /** Deliveries waiting for a retry or given up, for the list's warning badge. */
  failing: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpoint>;

export const createWebhookEndpointRequest = z.object({
  url,
  description: z.string().trim().max(200).optional(),
  events: z.array(webhookEventType).min(1, 'Choose at least one event').max(webhookEventTypes.length),
  enabled: z.boolean().default(true),
});
export type CreateWebhookEndpointRequest = z.input<typeof createWebhookEndpointRequest>;

export const updateWebhookEndpointRequest = z
  .object({
    url: url.optional(),
    description: z.string().trim().max(200).nullable().optional(),
    events: z.array(webhookEventType).min(1, 'Choose at least one event').max(webhookEventTypes.length).optional(),
    enabled: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateWebhookEndpointRequest = z.input<typeof updateWebhookEndpointRequest>;

/** The endpoint with its signing secret: only in the create and rotate responses. */
export const webhookEndpointWithSecret = webhookEndpoint.extend({ secret: z.string() });
export type WebhookEndpointWithSecret = z.infer<typeof webhookEndpointWithSecret>;

export const webhookDelivery = z.object({
  id: z.uuid(),
  endpointId: z.uuid(),
  eventType: z.string(),
  eventId: z.string(),
  status: webhookDeliveryStatus,
  attempts: z.number().int(),
  lastStatusCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.iso.datetime().nullable(),
  deliveredAt: z.iso.datetime().nullable(),
  /** When the delivery (or its latest redelivery) started: the retry window counts from here. */
  createdAt: z.iso.datetime(),
  payload: webhookPayload,
});
export type WebhookDelivery = z.infer<typeof webhookDelivery>;

export const webhookDeliveryListQuery = z.object({
  status: webhookDeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type WebhookDeliveryListQuery = z.infer<typeof webhookDeliveryListQuery>;

/** Redeliver every failed and dead delivery of an endpoint (or only those of one status). */
export const redeliverRequest = z.object({ status: z.enum(['failed', 'dead']).optional() });
export const redeliverResult = z.object({ affected: z.number().int() });

/** `POST /api/channels/:id/messages`: a customer message posted by the company's own system. */
export const apiInboundMessageRequest = z.object({
  /** The sender's id of the message: posting the same id again stores nothing (safe retries). */
  messageId: z.string().trim().min(1).max(200),
  contact: z.object({
    /** The customer's id in the sender's system; replies are addressed to it. */
    externalId: z.string().trim().min(1).max(200),
    name: z.string().trim().max(200).nullable().optional(),
  }),
  text: z.string().trim().min(1, 'Message text is empty').max(10_000),
  /** Separates several conversations of one customer (an order, a ticket); absent = one conversation. */
  threadKey: z.string().trim().max(200).optional(),
  /** When the customer wrote it; defaults to now. */
  sentAt: z.iso.datetime({ offset: true }).optional(),
});
export type ApiInboundMessageRequest = z.input<typeof apiInboundMessageRequest>;

export const apiInboundMessageResponse = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  /** True when this `messageId` was already stored (nothing changed). */
  duplicate: z.boolean(),
});
export type ApiInboundMessageResponse = z.infer<typeof apiInboundMessageResponse>;
