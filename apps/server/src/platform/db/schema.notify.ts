import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ChatAttachment, ChatCard, NotificationSettings } from '@switchboard/shared';
import { accountRef, createdAt, id, listedAt, users } from './schema.js';

const bytea = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => 'bytea' });

const userRef = (name = 'user_id') =>
  uuid(name)
    .notNull()
    .references(() => users.id, { onDelete: 'cascade' });

/**
 * One thing one person is told about (the bell). `sourceKey` makes creation once-only: the events
 * listener and the waiting check may see the same cause twice (a rescan, a restart) and insert once.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    accountId: accountRef(),
    userId: userRef(),
    kind: text('kind').notNull(),
    sourceKey: text('source_key').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull().default(''),
    /** Where the web app opens it (`/inbox/<id>`, `/chat/<channel>`). */
    link: text('link'),
    conversationId: uuid('conversation_id'),
    data: jsonb('data').$type<Record<string, unknown>>().notNull().default({}),
    readAt: timestamp('read_at', { withTimezone: true }),
    createdAt: listedAt('created_at'),
  },
  (t) => [
    uniqueIndex('notifications_user_source_uq').on(t.accountId, t.userId, t.sourceKey),
    index('notifications_user_idx').on(t.accountId, t.userId, t.createdAt, t.id),
    index('notifications_unread_idx')
      .on(t.accountId, t.userId)
      .where(sql`${t.readAt} is null`),
  ],
);

/** One medium (push, e-mail, Telegram) of one notification: its own retries and its visible outcome. */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: id(),
    accountId: accountRef(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    userId: userRef(),
    medium: text('medium', { enum: ['push', 'email', 'telegram'] }).notNull(),
    status: text('status', { enum: ['pending', 'sent', 'failed', 'skipped'] })
      .notNull()
      .default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** Held back by quiet hours until this time (the job starts after it). */
    notBefore: timestamp('not_before', { withTimezone: true }),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('notification_deliveries_uq').on(t.notificationId, t.medium),
    index('notification_deliveries_user_idx').on(t.accountId, t.userId, t.createdAt),
  ],
);

/** A person's choices: which events reach them by which medium, quiet hours, sound. Absent = defaults. */
export const notificationPreferences = pgTable(
  'notification_preferences',
  {
    accountId: accountRef(),
    userId: userRef(),
    settings: jsonb('settings').$type<NotificationSettings>().notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId] })],
);

/** A browser's Web Push subscription (one per browser and person). */
export const pushSubscriptions = pgTable(
  'push_subscriptions',
  {
    id: id(),
    accountId: accountRef(),
    userId: userRef(),
    endpoint: text('endpoint').notNull(),
    p256dh: text('p256dh').notNull(),
    auth: text('auth').notNull(),
    userAgent: text('user_agent'),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('push_subscriptions_endpoint_uq').on(t.accountId, t.userId, t.endpoint)],
);

/** Cursors of outbox readers that keep no other trace of how far they got (the notifications listener). */
export const outboxCursors = pgTable('outbox_cursors', {
  name: text('name').primaryKey(),
  cursor: bigint('cursor', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A team chat room: a public or private channel, or a direct conversation between people. */
export const chatChannels = pgTable(
  'chat_channels',
  {
    id: id(),
    accountId: accountRef(),
    kind: text('kind', { enum: ['public', 'private', 'direct'] }).notNull(),
    name: text('name'),
    topic: text('topic'),
    /** Direct conversations: the sorted member ids, so one pair has one conversation. */
    directKey: text('direct_key'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
    lastMessageAt: timestamp('last_message_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('chat_channels_account_idx').on(t.accountId),
    uniqueIndex('chat_channels_direct_uq')
      .on(t.accountId, t.directKey)
      .where(sql`${t.directKey} is not null`),
    uniqueIndex('chat_channels_name_uq')
      .on(t.accountId, sql`lower(${t.name})`)
      .where(sql`${t.kind} <> 'direct' and ${t.archivedAt} is null`),
  ],
);

export const chatMembers = pgTable(
  'chat_members',
  {
    accountId: accountRef(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => chatChannels.id, { onDelete: 'cascade' }),
    userId: userRef(),
    /** The newest message `seq` this person has seen in the channel (unread = messages after it). */
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull().default(0),
    joinedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.userId] }), index('chat_members_user_idx').on(t.accountId, t.userId)],
);

export const chatMessages = pgTable(
  'chat_messages',
  {
    id: id(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    accountId: accountRef(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => chatChannels.id, { onDelete: 'cascade' }),
    /** A reply in a thread: the thread's first message. */
    threadRootId: uuid('thread_root_id'),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    text: text('text').notNull().default(''),
    mentions: jsonb('mentions').$type<string[]>().notNull().default([]),
    attachments: jsonb('attachments').$type<ChatAttachment[]>().notNull().default([]),
    /** A conversation or contact shared into the chat. */
    card: jsonb('card').$type<ChatCard>(),
    replyCount: integer('reply_count').notNull().default(0),
    lastReplyAt: timestamp('last_reply_at', { withTimezone: true }),
    pinnedAt: timestamp('pinned_at', { withTimezone: true }),
    pinnedBy: uuid('pinned_by'),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    createdAt: listedAt('created_at'),
  },
  (t) => [
    index('chat_messages_channel_idx').on(t.channelId, t.seq),
    index('chat_messages_thread_idx')
      .on(t.threadRootId, t.seq)
      .where(sql`${t.threadRootId} is not null`),
    index('chat_messages_search_idx').using('gin', sql`to_tsvector('simple', ${t.text})`),
  ],
);

export const chatReactions = pgTable(
  'chat_reactions',
  {
    accountId: accountRef(),
    messageId: uuid('message_id')
      .notNull()
      .references(() => chatMessages.id, { onDelete: 'cascade' }),
    userId: userRef(),
    emoji: text('emoji').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.messageId, t.userId, t.emoji] })],
);

/** Files people attach in the team chat (validated like customer files; served as untrusted). */
export const chatFiles = pgTable(
  'chat_files',
  {
    id: id(),
    accountId: accountRef(),
    uploadedBy: uuid('uploaded_by').references(() => users.id, { onDelete: 'set null' }),
    fileName: text('file_name').notNull(),
    contentType: text('content_type'),
    size: integer('size').notNull(),
    content: bytea('content').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('chat_files_account_idx').on(t.accountId)],
);
