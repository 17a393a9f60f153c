import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountRef, channels, contacts, conversations, createdAt, id, users } from './schema.js';

/** A coloured label on conversations and contacts; its name is unique per account whatever the case. */
export const tags = pgTable(
  'tags',
  {
    id: id(),
    accountId: accountRef(),
    name: text('name').notNull(),
    /** A Mantine palette name (`blue`, `grape`…) the web app paints the badge with. */
    color: text('color').notNull().default('gray'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tags_account_name_uq').on(t.accountId, sql`lower(${t.name})`)],
);

const tagRef = () =>
  uuid('tag_id')
    .notNull()
    .references(() => tags.id, { onDelete: 'cascade' });

export const conversationTags = pgTable(
  'conversation_tags',
  {
    accountId: accountRef(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    tagId: tagRef(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.conversationId, t.tagId] }), index('conversation_tags_tag_idx').on(t.tagId, t.conversationId)],
);

export const contactTags = pgTable(
  'contact_tags',
  {
    accountId: accountRef(),
    contactId: uuid('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    tagId: tagRef(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.tagId] }), index('contact_tags_tag_idx').on(t.tagId, t.contactId)],
);

/** Weekly opening hours of a team in its own time zone; a day without intervals is closed. */
export interface WorkingHours {
  timeZone: string;
  /** Keyed by ISO weekday 1 (Monday) … 7 (Sunday); intervals as "HH:MM" local times. */
  days: Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', { from: string; to: string }[]>>;
}

/** A group of people (Sales, Support…) serving some channels, with its way of handing out conversations. */
export const teams = pgTable(
  'teams',
  {
    id: id(),
    accountId: accountRef(),
    name: text('name').notNull(),
    description: text('description'),
    assignment: text('assignment', { enum: ['manual', 'round_robin', 'least_busy'] })
      .notNull()
      .default('manual'),
    /** Open conversations one person carries at most before auto-assignment skips them (null = no limit). */
    capacity: integer('capacity'),
    /** Auto-assignment hands out conversations only inside these hours (null = always). */
    workingHours: jsonb('working_hours').$type<WorkingHours>(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('teams_account_name_uq').on(t.accountId, sql`lower(${t.name})`)],
);

const teamRef = () =>
  uuid('team_id')
    .notNull()
    .references(() => teams.id, { onDelete: 'cascade' });

export const teamMembers = pgTable(
  'team_members',
  {
    accountId: accountRef(),
    teamId: teamRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** This person's own limit in this team, overriding the team's. */
    capacity: integer('capacity'),
    /** Round-robin turn: the person given a conversation longest ago goes next. */
    lastAssignedAt: timestamp('last_assigned_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] }), index('team_members_user_idx').on(t.accountId, t.userId)],
);

/** Which team serves a channel: a new conversation on it joins that team's queue (one team per channel). */
export const teamChannels = pgTable(
  'team_channels',
  {
    accountId: accountRef(),
    teamId: teamRef(),
    channelId: uuid('channel_id')
      .notNull()
      .references(() => channels.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.channelId] }), uniqueIndex('team_channels_channel_uq').on(t.channelId)],
);

/**
 * A person's presence in an account: what they chose by hand (null = automatic) and the last signs of
 * life — a live event stream's heartbeat and an API request.
 */
export const userPresence = pgTable(
  'user_presence',
  {
    accountId: accountRef(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    manual: text('manual', { enum: ['online', 'away', 'offline'] }),
    lastStreamAt: timestamp('last_stream_at', { withTimezone: true }),
    lastActiveAt: timestamp('last_active_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.userId] })],
);

/** A reply template: shared by the account (no owner) or one person's own; optionally for one language. */
export const cannedResponses = pgTable(
  'canned_responses',
  {
    id: id(),
    accountId: accountRef(),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'cascade' }),
    shortcut: text('shortcut').notNull(),
    text: text('text').notNull(),
    language: text('language', { enum: ['ru', 'en'] }),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('canned_responses_shortcut_uq').on(
      t.accountId,
      sql`coalesce(${t.ownerUserId}::text, '')`,
      sql`lower(${t.shortcut})`,
      sql`coalesce(${t.language}, '')`,
    ),
  ],
);
