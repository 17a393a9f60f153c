import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
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
import { accountRef, accounts, conversations, createdAt, id, listedAt, messages, users } from './schema.js';

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
const updatedAt = () => timestamp('updated_at', { withTimezone: true }).notNull().defaultNow();

/** A knowledge-base entry: an FAQ pair or an uploaded document. Only published ones are answered from. */
export const knowledgeArticles = pgTable(
  'knowledge_articles',
  {
    id: id(),
    accountId: accountRef(),
    kind: text('kind', { enum: ['faq', 'document'] }).notNull(),
    title: text('title').notNull(),
    question: text('question'),
    answer: text('answer'),
    alternatives: text('alternatives')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    category: text('category'),
    published: boolean('published').notNull().default(false),
    version: integer('version').notNull().default(1),
    fileName: text('file_name'),
    mimeType: text('mime_type'),
    sizeBytes: integer('size_bytes'),
    indexStatus: text('index_status', { enum: ['pending', 'indexing', 'ready', 'failed'] })
      .notNull()
      .default('pending'),
    indexError: text('index_error'),
    chunkCount: integer('chunk_count').notNull().default(0),
    /** A scanned document: its pages without a text layer, how many OCR has read, how many read poorly. */
    ocrPagesTotal: integer('ocr_pages_total').notNull().default(0),
    ocrPagesDone: integer('ocr_pages_done').notNull().default(0),
    ocrPagesToReview: integer('ocr_pages_to_review').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: listedAt('updated_at'),
  },
  (t) => [index('knowledge_articles_account_idx').on(t.accountId, t.updatedAt)],
);

/** Every saved state of an article, for its edit history. */
export const knowledgeArticleVersions = pgTable(
  'knowledge_article_versions',
  {
    id: id(),
    accountId: accountRef(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    snapshot: jsonb('snapshot').$type<Record<string, unknown>>().notNull(),
    editedBy: uuid('edited_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('knowledge_article_versions_uq').on(t.articleId, t.version)],
);

/** The original bytes of an uploaded document, kept so the index can be rebuilt with a better parser. */
export const knowledgeFiles = pgTable('knowledge_files', {
  articleId: uuid('article_id')
    .primaryKey()
    .references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
  accountId: accountRef(),
  content: bytea('content').notNull(),
});

/**
 * What OCR read on each scanned page of a document (the pages without a text layer): kept so a re-index
 * never re-reads a scan, a page read poorly can be shown for review, and an interrupted OCR resumes.
 */
export const knowledgeOcrPages = pgTable(
  'knowledge_ocr_pages',
  {
    accountId: accountRef(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
    page: integer('page').notNull(),
    /** Null until the page is read. */
    text: text('text'),
    confidence: real('confidence'),
    needsReview: boolean('needs_review').notNull().default(false),
    recognisedAt: timestamp('recognised_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.page] })],
);

/** Searchable passages of published and draft articles; what the assistant cites. */
export const knowledgeChunks = pgTable(
  'knowledge_chunks',
  {
    id: id(),
    accountId: accountRef(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => knowledgeArticles.id, { onDelete: 'cascade' }),
    ordinal: integer('ordinal').notNull(),
    headingPath: text('heading_path')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Extra searchable text weighted like a title (an FAQ's question and phrasings). */
    title: text('title').notNull().default(''),
    text: text('text').notNull(),
    language: text('language').notNull(),
    embedding: real('embedding').array(),
    createdAt: createdAt(),
  },
  (t) => [index('knowledge_chunks_account_idx').on(t.accountId), index('knowledge_chunks_article_idx').on(t.articleId, t.ordinal)],
);

/** Bumped in the same transaction as any change to an account's chunks: processes rebuild their index when it moves. */
export const knowledgeIndexState = pgTable('knowledge_index_state', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  reindexTotal: integer('reindex_total').notNull().default(0),
  reindexDone: integer('reindex_done').notNull().default(0),
  reindexStartedAt: timestamp('reindex_started_at', { withTimezone: true }),
  reindexFinishedAt: timestamp('reindex_finished_at', { withTimezone: true }),
});

/** Per-account assistant settings (JSON validated by the shared schema) and the sealed LLM key. */
export const aiSettings = pgTable('ai_settings', {
  accountId: uuid('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
  llmApiKey: text('llm_api_key'),
  updatedAt: updatedAt(),
});

/** Per-account conversation categories; "always human" ones are never answered by the bot. */
export const categories = pgTable(
  'categories',
  {
    id: id(),
    accountId: accountRef(),
    name: text('name').notNull(),
    alwaysHuman: boolean('always_human').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('categories_account_name_uq').on(t.accountId, t.name)],
);

/** Labelled texts the classifier learns from: uploaded CSV rows and operator corrections. */
export const classifierExamples = pgTable(
  'classifier_examples',
  {
    id: id(),
    accountId: accountRef(),
    text: text('text').notNull(),
    label: text('label').notNull(),
    source: text('source', { enum: ['import', 'operator'] }).notNull(),
    conversationId: uuid('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    index('classifier_examples_account_idx').on(t.accountId),
    uniqueIndex('classifier_examples_conversation_uq')
      .on(t.conversationId)
      .where(sql`${t.conversationId} is not null`),
  ],
);

/** Trained classifier versions; exactly one is active per account (hot-swapped when training finishes). */
export const classifierModels = pgTable(
  'classifier_models',
  {
    id: id(),
    accountId: accountRef(),
    version: integer('version').notNull(),
    status: text('status', { enum: ['training', 'ready', 'failed'] }).notNull(),
    active: boolean('active').notNull().default(false),
    model: bytea('model'),
    report: jsonb('report').$type<Record<string, unknown>>(),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('classifier_models_version_uq').on(t.accountId, t.version),
    uniqueIndex('classifier_models_active_uq')
      .on(t.accountId)
      .where(sql`${t.active}`),
  ],
);

/** One hand-over from the bot (or the queue) to a person, with the timings the analytics need. */
export const handovers = pgTable(
  'handovers',
  {
    id: id(),
    accountId: accountRef(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    reason: text('reason').notNull(),
    confidence: real('confidence'),
    queuedAt: timestamp('queued_at', { withTimezone: true }).notNull().defaultNow(),
    assignedTo: uuid('assigned_to').references(() => users.id, { onDelete: 'set null' }),
    assignedAt: timestamp('assigned_at', { withTimezone: true }),
    firstResponseAt: timestamp('first_response_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
  },
  (t) => [index('handovers_account_idx').on(t.accountId, t.queuedAt), index('handovers_conversation_idx').on(t.conversationId, t.queuedAt)],
);

/** A reply the assistant proposed to an operator, and what the operator did with it. */
export const aiSuggestions = pgTable(
  'ai_suggestions',
  {
    id: id(),
    accountId: accountRef(),
    conversationId: uuid('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    forMessageId: uuid('for_message_id').references(() => messages.id, { onDelete: 'set null' }),
    text: text('text').notNull(),
    confidence: real('confidence').notNull(),
    sources: jsonb('sources').$type<unknown[]>().notNull().default([]),
    status: text('status', { enum: ['pending', 'sent', 'edited', 'rejected', 'superseded'] })
      .notNull()
      .default('pending'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    messageId: uuid('message_id').references(() => messages.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('ai_suggestions_conversation_idx').on(t.conversationId, t.createdAt)],
);

/** LLM token usage per account, day, model. */
export const aiUsage = pgTable(
  'ai_usage',
  {
    accountId: accountRef(),
    day: text('day').notNull(),
    model: text('model').notNull(),
    requests: integer('requests').notNull().default(0),
    promptTokens: integer('prompt_tokens').notNull().default(0),
    completionTokens: integer('completion_tokens').notNull().default(0),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.day, t.model] })],
);
