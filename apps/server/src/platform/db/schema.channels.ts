import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountRef, channels, conversations, createdAt, id, listedAt, users } from './schema.js';

/** An open (or past) problem with a channel; one open alert per channel and kind. */
export const channelAlerts = pgTable(
  'channel_alerts',
  {
    id: id(),
    accountId: accountRef(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['auth_failed', 'webhook_not_set', 'poller_lagging', 'no_inbound', 'delivery_failing'] }).notNull(),
    message: text('message').notNull(),
    openedAt: timestamp('opened_at', { withTimezone: true }).notNull().defaultNow(),
    notifiedAt: timestamp('notified_at', { withTimezone: true }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('channel_alerts_open_uq')
      .on(t.channelId, t.kind)
      .where(sql`${t.resolvedAt} is null`),
    index('channel_alerts_account_idx').on(t.accountId, t.openedAt),
  ],
);

/** A company's endpoint receiving signed event webhooks (and, for an API channel, operator replies). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    accountId: accountRef(),
    /** Set for the endpoint of an API channel: that channel's replies are delivered here. */
    channelId: uuid('channel_id').references(() => channels.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description'),
    /** AES-256-GCM sealed signing secret. */
    secret: text('secret').notNull(),
    events: text('events').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    createdAt: createdAt(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('webhook_endpoints_account_idx').on(t.accountId)],
);

/** One event to one endpoint: the delivery log, retried with backoff for up to a day. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: id(),
    accountId: accountRef(),
    endpointId: uuid('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The events-log id a fanned-out delivery carries: at most one delivery per event and endpoint. */
    eventId: text('event_id'),
    eventType: text('event_type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'delivered', 'failed', 'dead'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    deliveredAt: timestamp('delivered_at', { withTimezone: true }),
    createdAt: listedAt('created_at'),
  },
  (t) => [
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.createdAt),
    uniqueIndex('webhook_deliveries_event_uq')
      .on(t.endpointId, t.eventId)
      .where(sql`${t.eventId} is not null`),
    index('webhook_deliveries_account_idx').on(t.accountId, t.createdAt),
  ],
);

/** A Switchboard user's Telegram identity on the account's operator bot. */
export const operatorLinks = pgTable(
  'operator_links',
  {
    id: id(),
    accountId: accountRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    botChannelId: uuid('bot_channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    telegramUserId: text('telegram_user_id').notNull(),
    telegramChatId: text('telegram_chat_id').notNull(),
    telegramUsername: text('telegram_username'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('operator_links_bot_tg_user_uq').on(t.botChannelId, t.telegramUserId),
    uniqueIndex('operator_links_bot_user_uq').on(t.botChannelId, t.userId),
  ],
);

/** One-time `/start <token>` link tokens (stored hashed, 15 minutes). */
export const operatorLinkTokens = pgTable('operator_link_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  accountId: accountRef(),
  userId: uuid('user_id')
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' }),
  botChannelId: uuid('bot_channel_id')
    .notNull()
    .references(() => channels.id, { onDelete: 'cascade' }),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: createdAt(),
});

/**
 * A conversation posted to an operator's Telegram chat (or a group topic): replying to any of these
 * Telegram messages answers the customer on the conversation's own channel.
 */
export const bridgePosts = pgTable(
  'bridge_posts',
  {
    id: id(),
    accountId: accountRef(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    botChannelId: uuid('bot_channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    telegramChatId: text('telegram_chat_id').notNull(),
    telegramMessageId: integer('telegram_message_id').notNull(),
    /** Forum topic of the conversation when the bridge posts to a group with topics. */
    topicId: integer('topic_id'),
    /** Extra facts of the post (what triggered it). */
    meta: jsonb('meta').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('bridge_posts_tg_message_uq').on(t.botChannelId, t.telegramChatId, t.telegramMessageId),
    index('bridge_posts_conversation_idx').on(t.conversationId),
  ],
);

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });

/**
 * Files that arrive inside a message rather than by reference (e-mail attachments, widget uploads):
 * kept here, in the same transaction as their message; `Attachment.fileId` is the row id.
 */
export const storedFiles = pgTable(
  'stored_files',
  {
    id: id(),
    accountId: accountRef(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    fileName: text('file_name'),
    contentType: text('content_type'),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('stored_files_channel_idx').on(t.channelId)],
);
