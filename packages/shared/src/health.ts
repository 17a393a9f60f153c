import { z } from 'zod';
import { channelType } from './channels.js';
import { deliveryFailureCode, deliveryStatus } from './conversations.js';

export const alertKinds = ['auth_failed', 'webhook_not_set', 'poller_lagging', 'no_inbound', 'delivery_failing'] as const;
export const alertKind = z.enum(alertKinds);
export type AlertKind = z.infer<typeof alertKind>;

/** A problem with a channel, open until the check sees it fixed. */
export const channelAlert = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  channelName: z.string(),
  channelType,
  kind: alertKind,
  message: z.string(),
  openedAt: z.iso.datetime(),
  notifiedAt: z.iso.datetime().nullable(),
  resolvedAt: z.iso.datetime().nullable(),
});
export type ChannelAlert = z.infer<typeof channelAlert>;

export const alertListQuery = z.object({
  state: z.enum(['open', 'all']).default('open'),
  channelId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** An outbound message that did not reach the customer: why, where, and what can be done. */
export const deadLetter = z.object({
  messageId: z.uuid(),
  conversationId: z.uuid(),
  channelId: z.uuid(),
  channelName: z.string(),
  channelType,
  contactName: z.string().nullable(),
  text: z.string().nullable(),
  status: deliveryStatus,
  failureReason: z.string().nullable(),
  failureCode: deliveryFailureCode.nullable(),
  /** Still being retried (status `queued`): when the next attempt is due. */
  retryAt: z.iso.datetime().nullable(),
  attempts: z.number().int(),
  createdAt: z.iso.datetime(),
});
export type DeadLetter = z.infer<typeof deadLetter>;

export const deadLetterListQuery = z.object({
  channelId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** Retry or discard: the given messages, or every dead letter (of one channel when `channelId` is set). */
export const deadLetterActionRequest = z
  .object({
    messageIds: z.array(z.uuid()).min(1).max(500).optional(),
    all: z.literal(true).optional(),
    channelId: z.uuid().optional(),
    /**
     * Retry: also send again replies whose delivery is uncertain (the customer may already have them).
     * Without it, naming one is 409 `delivery_uncertain` and `all` leaves them out.
     */
    confirmUncertain: z.boolean().optional(),
  })
  .refine((v) => (v.messageIds ? !v.all : v.all === true), 'Give either messageIds or all: true');
export type DeadLetterActionRequest = z.infer<typeof deadLetterActionRequest>;

export const deadLetterActionResult = z.object({ affected: z.number().int() });

/** Per-channel health beyond the channel itself (status, activity and error count are on `Channel`). */
export const channelHealth = z.object({
  channelId: z.uuid(),
  openAlerts: z.array(channelAlert),
  deadLetters: z.number().int(),
});
export type ChannelHealth = z.infer<typeof channelHealth>;
