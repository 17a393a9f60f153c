import { sql } from 'drizzle-orm';
import type { Attachment, TokenScopes } from '@switchboard/shared';
import {
  bigint,
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  real,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

/** Column helpers shared by every schema file. */
export const id = () => uuid('id').primaryKey().defaultRandom();
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
/**
 * A timestamp that orders a keyset-paginated list, stored to the millisecond: the precision of the
 * cursors (JavaScript dates), so a cursor compares equal to the row it came from.
 */
export const listedAt = (name: string) => timestamp(name, { withTimezone: true, precision: 3 }).notNull().defaultNow();
export const accountRef = () =>
  uuid('account_id')
    .notNull()
    .references(() => accounts.id, { onDelete: 'cascade' });

/** Per-account plan limits; a missing key means no limit. */
export interface AccountLimits {
  people?: number;
  channels?: number;
  messagesPerMonth?: number;
  aiAnswersPerMonth?: number;
  storageBytes?: number;
}

export const accounts = pgTable('accounts', {
  id: id(),
  name: text('name').notNull(),
  /** A suspended account cannot sign in and sends nothing; inbound is still stored. */
  status: text('status', { enum: ['active', 'suspended'] })
    .notNull()
    .default('active'),
  suspendedAt: timestamp('suspended_at', { withTimezone: true }),
  limits: jsonb('limits').$type<AccountLimits>().notNull().default({}),
  /** Owners and admins must sign in with a second factor (enrolment is forced at their next sign-in). */
  requireTwoFactor: boolean('require_two_factor').notNull().default(false),
  createdAt: createdAt(),
});

/**
 * Users are people; they belong to accounts through memberships. An address is unique within an
 * account, not across accounts: each account adds its people without learning who else uses the
 * product (sign-in tries the password against each user of the address).
 */
export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    locale: text('locale'),
    /** IANA time zone the person reads times in (null = the browser's). */
    timeZone: text('time_zone'),
    /** The installation's operator: sees and manages every account in the platform cabinet. */
    platformAdmin: boolean('platform_admin').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('users_email_idx').on(t.email)],
);

export const memberships = pgTable(
  'memberships',
  {
    accountId: accountRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** A system role key (`SYSTEM_ROLES` in packages/shared access.ts) or a custom role's id (`roles`). */
    role: text('role').notNull(),
    /** A deactivated member keeps their history but can no longer sign in or use a token. */
    deactivatedAt: timestamp('deactivated_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId] }), index('memberships_user_idx').on(t.userId)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    accountId: accountRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    csrfToken: text('csrf_token').notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    createdAt: createdAt(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    accountId: accountRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    prefix: text('prefix').notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    /** Read-only or full, optionally limited to areas; null = full (every area but tokens). */
    scopes: jsonb('scopes').$type<TokenScopes>(),
    /** The token stops authenticating at this time; null = until revoked. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [index('api_tokens_account_idx').on(t.accountId)],
);

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: uuid('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    actorUserId: uuid('actor_user_id'),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    ip: text('ip'),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_account_idx').on(t.accountId, t.id), index('audit_log_account_actor_idx').on(t.accountId, t.actorUserId, t.id)],
);

export const channels = pgTable(
  'channels',
  {
    id: id(),
    accountId: accountRef(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    /** Non-secret settings, returned by the API. */
    config: jsonb('config').$type<Record<string, unknown>>().notNull().default({}),
    /** AES-256-GCM sealed JSON of provider credentials; never returned. */
    secrets: text('secrets').notNull(),
    /** SHA-256 of the inbound webhook secret, compared in constant time. */
    webhookSecretHash: text('webhook_secret_hash'),
    status: text('status').notNull().default('connecting'),
    statusReason: text('status_reason'),
    pollOffset: bigint('poll_offset', { mode: 'number' }),
    lastInboundAt: timestamp('last_inbound_at', { withTimezone: true }),
    lastOutboundAt: timestamp('last_outbound_at', { withTimezone: true }),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
    /** Provider cursors and other non-secret runtime state (IMAP UIDVALIDITY/last UID, poll watermarks). */
    state: jsonb('state').$type<Record<string, unknown>>().notNull().default({}),
    /** Provider failures since the last success (health view), with the latest one. */
    errorCount: integer('error_count').notNull().default(0),
    lastError: text('last_error'),
    lastErrorAt: timestamp('last_error_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [index('channels_account_idx').on(t.accountId)],
);

/**
 * A person or company the account talks to. One contact has many channel handles (`contact_handles`):
 * the same customer on Telegram, WhatsApp and Avito is one contact once merged.
 */
export const contacts = pgTable(
  'contacts',
  {
    id: id(),
    accountId: accountRef(),
    name: text('name'),
    /** E.164 where the number could be normalised (`+79161234567`), else as typed. */
    phones: text('phones')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Lower-cased addresses. */
    emails: text('emails')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    notes: text('notes'),
    /** Values of the account's custom contact fields, by field key (`contact_attribute_definitions`). */
    attributes: jsonb('attributes').$type<Record<string, unknown>>().notNull().default({}),
    /** Lower-cased name, phone digits and e-mails: what the contact search matches by trigram. */
    searchText: text('search_text').notNull().default(''),
    /** A blocked contact's messages are stored, but nobody is notified and the assistant stays silent. */
    blockedAt: timestamp('blocked_at', { withTimezone: true }),
    blockedBy: uuid('blocked_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: listedAt('created_at'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    /** The contact's last inbound message (kept to the minute: the hot path does not rewrite it per message). */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
  },
  (t) => [
    index('contacts_account_created_idx').on(t.accountId, t.createdAt, t.id),
    index('contacts_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
    index('contacts_name_trgm_idx').using('gin', sql`lower(coalesce(${t.name}, '')) gin_trgm_ops`),
    index('contacts_phones_idx').using('gin', t.phones),
    index('contacts_emails_idx').using('gin', t.emails),
  ],
);

/** One identity of a contact on one channel (Telegram user id, phone on WhatsApp, e-mail address, Avito user). */
export const contactHandles = pgTable(
  'contact_handles',
  {
    id: id(),
    accountId: accountRef(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    externalId: text('external_id').notNull(),
    /** The name and username the provider shows for this handle. */
    name: text('name'),
    username: text('username'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('contact_handles_channel_external_uq').on(t.channelId, t.externalId),
    index('contact_handles_contact_idx').on(t.contactId),
    index('contact_handles_search_trgm_idx').using(
      'gin',
      sql`lower(${t.externalId} || ' ' || coalesce(${t.username}, '') || ' ' || coalesce(${t.name}, '')) gin_trgm_ops`,
    ),
  ],
);

export const conversations = pgTable(
  'conversations',
  {
    id: id(),
    accountId: accountRef(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** The contact's handle the conversation runs through (a merge moves the contact, never the handle). */
    handleId: uuid('handle_id')
      .notNull()
      .references(() => contactHandles.id, { onDelete: 'cascade' }),
    /** Per-account number people quote ("#1042"); given when the conversation starts. */
    number: integer('number'),
    /** Where replies go on the provider side (Telegram chat id, Avito chat id, e-mail address…). */
    externalChatId: text('external_chat_id').notNull(),
    /**
     * Separates several conversations of one contact on one channel: an Avito chat per listing, an
     * e-mail thread. Empty where a contact has one conversation per channel (Telegram, WhatsApp).
     */
    threadKey: text('thread_key').notNull().default(''),
    /** What the conversation is about, from the provider: an Avito listing, an e-mail subject, a page. */
    context: jsonb('context').$type<Record<string, unknown>>(),
    status: text('status', { enum: ['bot', 'queued', 'open', 'snoozed', 'resolved'] })
      .notNull()
      .default('queued'),
    assigneeId: uuid('assignee_id').references(() => users.id, { onDelete: 'set null' }),
    /** The team whose queue the conversation is in (`teams` lives in schema.teamwork; cleared when a team is deleted). */
    teamId: uuid('team_id'),
    /** A snoozed conversation wakes at this time (or when the customer writes). */
    snoozedUntil: timestamp('snoozed_until', { withTimezone: true }),
    unreadCount: integer('unread_count').notNull().default(0),
    lastMessageAt: listedAt('last_message_at'),
    lastMessagePreview: text('last_message_preview'),
    /** Current category: predicted by the classifier, or set by an operator (`category_source`). */
    category: text('category'),
    categoryConfidence: real('category_confidence'),
    categorySource: text('category_source', { enum: ['model', 'llm', 'operator'] }),
    /** What the classifier said, kept when an operator corrects it (accuracy metrics). */
    predictedCategory: text('predicted_category'),
    /** Consecutive bot turns answered with low confidence (two in a row hand over). */
    botLowStreak: integer('bot_low_streak').notNull().default(0),
    /** Last "a manager is already on it" notice, for its rate limit. */
    waitingNoticeAt: timestamp('waiting_notice_at', { withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('conversations_channel_handle_thread_uq').on(t.channelId, t.handleId, t.threadKey),
    uniqueIndex('conversations_account_number_uq').on(t.accountId, t.number),
    index('conversations_contact_idx').on(t.contactId),
    index('conversations_inbox_idx').on(t.accountId, t.lastMessageAt, t.id),
    index('conversations_team_idx')
      .on(t.teamId, t.lastMessageAt, t.id)
      .where(sql`${t.teamId} is not null`),
    index('conversations_snoozed_idx')
      .on(t.snoozedUntil)
      .where(sql`${t.status} = 'snoozed'`),
    // Open load per person (least-busy assignment and capacity checks).
    index('conversations_assignee_idx')
      .on(t.assigneeId, t.status)
      .where(sql`${t.assigneeId} is not null`),
  ],
);

export const messages = pgTable(
  'messages',
  {
    id: id(),
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    accountId: accountRef(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    direction: text('direction', { enum: ['in', 'out'] }).notNull(),
    authorType: text('author_type', { enum: ['contact', 'operator', 'bot', 'system'] }).notNull(),
    authorUserId: uuid('author_user_id').references(() => users.id, { onDelete: 'set null' }),
    text: text('text'),
    private: boolean('private').notNull().default(false),
    attachments: jsonb('attachments').$type<Attachment[]>().notNull().default([]),
    externalId: text('external_id'),
    status: text('status', {
      enum: ['received', 'queued', 'sending', 'sent', 'delivered', 'read', 'failed', 'dead', 'uncertain', 'discarded'],
    }).notNull(),
    failureReason: text('failure_reason'),
    /** Why it is not delivered, as a stable code the UI words in the reader's language (`deliveryFailureCodes`). */
    failureCode: text('failure_code'),
    /** When a retrying send is tried next. */
    retryAt: timestamp('retry_at', { withTimezone: true }),
    attempts: integer('attempts').notNull().default(0),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    /** For bot turns: confidence, sources cited and how the answer was made. */
    ai: jsonb('ai').$type<Record<string, unknown>>(),
    /** Provider specifics kept for threading or display (e-mail Message-ID, subject, references). */
    meta: jsonb('meta').$type<Record<string, unknown>>(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    createdAt: listedAt('created_at'),
  },
  (t) => [
    uniqueIndex('messages_channel_external_uq')
      .on(t.channelId, t.externalId)
      .where(sql`${t.externalId} is not null`),
    index('messages_conversation_idx').on(t.conversationId, t.seq),
    // Usage this month per account (plan limits, platform cabinet).
    index('messages_account_created_idx').on(t.accountId, t.createdAt),
    // The dead-letter view: undelivered outbound messages across channels.
    index('messages_undelivered_idx')
      .on(t.accountId, t.createdAt)
      .where(sql`${t.status} in ('failed', 'dead', 'uncertain')`),
    // …and those still being retried after a failure (listed with them).
    index('messages_retrying_idx')
      .on(t.accountId, t.createdAt)
      .where(sql`${t.status} = 'queued' and ${t.failureReason} is not null`),
    // Full-text search uses the stored column `search_vector` (to_tsvector('russian', text with ё folded to е);
    // Russian stems Latin words in English) and its GIN index `messages_search_idx`, both made in SQL
    // (migration 0019), not here: Drizzle's selects must not carry the vector.
  ],
);

/** Realtime event log: the source of SSE replay (`Last-Event-ID`); pruned after a while. */
export const events = pgTable(
  'events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    accountId: accountRef(),
    type: text('type').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('events_account_idx').on(t.accountId, t.id)],
);

/** Cross-process send throttle: the next free slot per key (chat or bot). */
export const sendSlots = pgTable('send_slots', {
  key: text('key').primaryKey(),
  nextAt: timestamp('next_at', { withTimezone: true }).notNull(),
});

/**
 * Failed sign-ins per address (all IPs): the streak's count, the back-off before the next attempt
 * from an IP the address has no session history with, and the last alert e-mail to the owner.
 */
export const loginFailures = pgTable('login_failures', {
  email: text('email').primaryKey(),
  failures: integer('failures').notNull(),
  lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
  alertedAt: timestamp('alerted_at', { withTimezone: true }),
});

/** Fixed-window counters shared by all processes (sign-in attempts per IP and per address and IP). */
export const rateLimitHits = pgTable('rate_limit_hits', {
  key: text('key').primaryKey(),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull(),
  count: integer('count').notNull(),
});
