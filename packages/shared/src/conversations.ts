import { z } from 'zod';
import { messageAi } from './ai.js';

export const conversationStatuses = ['bot', 'queued', 'open', 'snoozed', 'resolved'] as const;
export const conversationStatus = z.enum(conversationStatuses);
export type ConversationStatus = z.infer<typeof conversationStatus>;

/**
 * `uncertain`: a send was interrupted after it may have reached the provider (a crash between its answer
 * and our bookkeeping). The customer may have it already, so it is not sent again without a person's say.
 */
export const deliveryStatus = z.enum([
  'received',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
  'dead',
  'uncertain',
  'discarded',
]);
export type DeliveryStatus = z.infer<typeof deliveryStatus>;

export const attachment = z.object({
  kind: z.enum(['photo', 'document', 'voice', 'video', 'audio', 'sticker']),
  fileId: z.string(),
  fileName: z.string().optional(),
  mimeType: z.string().optional(),
  size: z.number().optional(),
});
export type Attachment = z.infer<typeof attachment>;

export const contact = z.object({ id: z.uuid(), name: z.string().nullable(), username: z.string().nullable(), externalId: z.string() });

/** What a conversation is about, from its channel: an Avito listing, an e-mail subject, the page a visitor is on. */
export const conversationContext = z.object({
  kind: z.enum(['listing', 'email', 'page']).optional(),
  title: z.string().optional(),
  price: z.string().optional(),
  url: z.string().optional(),
  subject: z.string().optional(),
});
export type ConversationContext = z.infer<typeof conversationContext>;

export const conversation = z.object({
  id: z.uuid(),
  channelId: z.uuid(),
  channelType: z.string(),
  channelName: z.string(),
  contact,
  /** Per-account number people quote ("#1042"); searchable. */
  number: z.number().int().nullable(),
  status: conversationStatus,
  assigneeId: z.uuid().nullable(),
  unreadCount: z.number().int(),
  lastMessageAt: z.iso.datetime(),
  lastMessagePreview: z.string().nullable(),
  category: z.string().nullable(),
  categoryConfidence: z.number().nullable(),
  context: conversationContext.nullable(),
  /** The team whose queue it is in. */
  teamId: z.uuid().nullable(),
  tagIds: z.array(z.uuid()),
  /** When a snoozed conversation wakes by itself. */
  snoozedUntil: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Conversation = z.infer<typeof conversation>;

export const conversationListQuery = z.object({
  status: z.union([conversationStatus, z.literal('all'), z.literal('active')]).default('active'),
  assignee: z.union([z.enum(['me', 'unassigned', 'any']), z.uuid()]).default('any'),
  /** Only conversations in this team's queue. */
  team: z.uuid().optional(),
  /** Only conversations with this tag. */
  tag: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/**
 * Why a reply is not delivered: temporary (retrying), rate_limited (retrying when the provider allows),
 * permanent (the provider refused it), auth (the channel's credentials stopped working),
 * channel_deleted, uncertain (may have reached the customer), held (the account is suspended),
 * gave_up (retries used up), discarded (given up by a person), provider_failed (a later provider report).
 */
export const deliveryFailureCodes = [
  'temporary',
  'rate_limited',
  'permanent',
  'auth',
  'channel_deleted',
  'uncertain',
  'held',
  'gave_up',
  'discarded',
  'provider_failed',
] as const;
export const deliveryFailureCode = z.enum(deliveryFailureCodes);
export type DeliveryFailureCode = z.infer<typeof deliveryFailureCode>;

export const message = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  direction: z.enum(['in', 'out']),
  authorType: z.enum(['contact', 'operator', 'bot', 'system']),
  authorUserId: z.uuid().nullable(),
  text: z.string().nullable(),
  private: z.boolean(),
  attachments: z.array(attachment),
  status: deliveryStatus,
  failureReason: z.string().nullable(),
  /** Why it is not delivered (yet), as a code to word in the reader's language; the reason above is the provider's own text. */
  failureCode: deliveryFailureCode.nullable().optional(),
  /** A retrying send's next attempt. */
  retryAt: z.iso.datetime().nullable().optional(),
  editedAt: z.iso.datetime().nullable(),
  /** Bot turns: confidence, sources cited, kind of turn. */
  ai: messageAi.nullable(),
  /** People @mentioned in a private note. */
  mentions: z.array(z.uuid()).optional(),
  sentAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Message = z.infer<typeof message>;

export const sendMessageRequest = z.object({
  text: z.string().trim().min(1, 'Message text is empty').max(4096, 'Message is longer than 4096 characters'),
  private: z.boolean().default(false),
  /** People @mentioned in a private note: each is notified. */
  mentions: z.array(z.uuid()).max(20).default([]),
  /** Files uploaded with `POST /api/conversations/:id/files`, for a private note (replies to customers carry no files yet). */
  attachments: z.array(attachment).max(10).default([]),
});

export const updateConversationRequest = z
  .object({
    status: conversationStatus.optional(),
    assigneeId: z.uuid().nullable().optional(),
    /** An operator's correction of the predicted category (feeds the next training). */
    category: z.string().trim().min(1).max(100).nullable().optional(),
    /** With status `snoozed`: when it wakes by itself (required, in the future). */
    snoozedUntil: z.iso.datetime({ offset: true }).optional(),
    /** Moves the conversation to a team's queue (null: no team). */
    teamId: z.uuid().nullable().optional(),
  })
  .refine(
    (v) => v.status !== undefined || v.assigneeId !== undefined || v.category !== undefined || v.teamId !== undefined,
    'Nothing to change: give status, assigneeId, category or teamId',
  );

/** Realtime event names sent over `GET /api/events`. */
export type RealtimeEventType =
  | 'message.created'
  | 'message.updated'
  | 'conversation.updated'
  | 'channel.updated'
  | 'channel.alert'
  | 'suggestion.created'
  | 'suggestion.draft'
  | 'wording_offer.created'
  | 'knowledge.updated'
  | 'notification.created'
  | 'notification.read'
  | 'chat.message'
  | 'chat.channel'
  | 'chat.typing'
  | 'chat.read'
  | 'conversation.typing'
  | 'presence.updated';
