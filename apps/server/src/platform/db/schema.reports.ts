import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { BusinessDay } from '@switchboard/shared';
import { accounts, conversations } from './schema.js';

/**
 * When the account works: its time zone and opening hours per weekday. Reports count first-response
 * and resolution times within these hours when `enabled`, and cut days at midnight in `time_zone`.
 */
export const accountBusinessHours = pgTable('account_business_hours', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  timeZone: text('time_zone').notNull().default('UTC'),
  enabled: boolean('enabled').notNull().default(false),
  /** Seven entries, Monday first. */
  week: jsonb('week').$type<BusinessDay[]>().notNull(),
  /** Managers (report.read holders with account or report rights) get the weekly report by e-mail. */
  weeklyReport: boolean('weekly_report').notNull().default(false),
  weeklyReportSentAt: timestamp('weekly_report_sent_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One row per conversation, kept up to date from the outbox by the reports projector: when it began,
 * was first answered and resolved, and what the bot did. Reports read these, never the messages.
 */
export const reportConversationFacts = pgTable(
  'report_conversation_facts',
  {
    conversationId: uuid('conversation_id')
      .primaryKey()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    channelId: uuid('channel_id').notNull(),
    assigneeId: uuid('assignee_id'),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    firstResponderId: uuid('first_responder_id'),
    /** Seconds from the first customer message to the first operator reply (business hours when set). */
    firstResponseSeconds: integer('first_response_seconds'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    /** Seconds from the start to the resolution (business hours when set). */
    resolutionSeconds: integer('resolution_seconds'),
    botInvolved: boolean('bot_involved').notNull().default(false),
    handedOver: boolean('handed_over').notNull().default(false),
    botResolved: boolean('bot_resolved').notNull().default(false),
    operatorReplies: integer('operator_replies').notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Every column a report reads is in the index: reports are index-only scans of a range.
    index('report_facts_started_idx').on(
      t.accountId,
      t.startedAt,
      t.channelId,
      t.assigneeId,
      t.firstResponderId,
      t.firstResponseSeconds,
      t.botInvolved,
      t.botResolved,
      t.handedOver,
    ),
    index('report_facts_resolved_idx')
      .on(t.accountId, t.resolvedAt, t.channelId, t.assigneeId, t.resolutionSeconds)
      .where(sql`${t.resolvedAt} is not null`),
  ],
);

/** Messages per hour (UTC), channel and author (an operator's id; the zero id for customers and the bot). */
export const reportMessageHours = pgTable(
  'report_message_hours',
  {
    accountId: uuid('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    hour: timestamp('hour', { withTimezone: true }).notNull(),
    channelId: uuid('channel_id').notNull(),
    authorKey: uuid('author_key').notNull(),
    inbound: integer('inbound').notNull().default(0),
    operatorOut: integer('operator_out').notNull().default(0),
    botOut: integer('bot_out').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.hour, t.channelId, t.authorKey] })],
);

/** How far the reports projector has read the outbox. */
export const reportProjectorState = pgTable('report_projector_state', {
  name: text('name').primaryKey(),
  lastEventId: bigint('last_event_id', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
