import { index, pgTable, real, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { accountRef, conversations, createdAt, id, messages, users } from './schema.js';
import { knowledgeArticles } from './schema.ai.js';

/**
 * "Add this wording to FAQ X": a customer's question that was handed over and that an operator answered
 * with (the gist of) an FAQ entry, or by sending a suggestion from it. Added on one click, or at once when
 * the account lets the assistant learn by itself; confidences before and after show what it changed.
 */
export const wordingOffers = pgTable(
  'ai_wording_offers',
  {
    id: id(),
    accountId: accountRef(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    questionMessageId: uuid('question_message_id').references(() => messages.id, { onDelete: 'set null' }),
    question: text('question').notNull(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
    /** How the operator's answer was tied to the entry. */
    via: text('via', { enum: ['reply', 'suggestion'] }).notNull(),
    /** How much of the entry's answer the operator's reply covers (1 for a sent suggestion). */
    similarity: real('similarity').notNull(),
    status: text('status', { enum: ['pending', 'added', 'auto_added', 'dismissed'] })
      .notNull()
      .default('pending'),
    /** The assistant's confidence in this entry for the question, before and after the wording was added. */
    confidenceBefore: real('confidence_before'),
    confidenceAfter: real('confidence_after'),
    operatorId: uuid('operator_id').references(() => users.id, { onDelete: 'set null' }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index('ai_wording_offers_conversation_idx').on(t.conversationId, t.createdAt),
    index('ai_wording_offers_account_idx').on(t.accountId, t.status, t.decidedAt),
    uniqueIndex('ai_wording_offers_question_article_uq').on(t.questionMessageId, t.articleId),
  ],
);

/** One question → expected answer pair of the account's evaluation set; no article = a person must answer. */
export const evaluationCases = pgTable(
  'ai_evaluation_cases',
  {
    id: id(),
    accountId: accountRef(),
    question: text('question').notNull(),
    expectedArticleId: uuid('expected_article_id').references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
    source: text('source', { enum: ['upload', 'conversation', 'manual'] }).notNull(),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('ai_evaluation_cases_question_uq').on(t.accountId, t.question)],
);
