import { integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountRef, accounts, createdAt, id } from './schema.js';

/** The account's custom contact fields: typed, in display order. Values live in `contacts.attributes[key]`. */
export const contactAttributeDefinitions = pgTable(
  'contact_attribute_definitions',
  {
    id: id(),
    accountId: accountRef(),
    /** Stable key used in `contacts.attributes`, CSV headers and the API. */
    key: text('key').notNull(),
    label: text('label').notNull(),
    type: text('type', { enum: ['text', 'number', 'date', 'list', 'checkbox', 'link'] }).notNull(),
    /** The choices of a `list` field. */
    options: text('options').array().notNull().default([]),
    position: integer('position').notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('contact_attribute_definitions_key_uq').on(t.accountId, t.key)],
);

/** The last conversation number given per account (`conversations.number`). */
export const conversationNumbers = pgTable('conversation_numbers', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  last: integer('last').notNull(),
});
