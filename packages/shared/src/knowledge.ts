import { z } from 'zod';

const phrase = z.string().trim().min(1).max(500);

export const createFaqRequest = z.object({
  kind: z.literal('faq'),
  question: z.string().trim().min(1, 'Question is empty').max(1000),
  answer: z.string().trim().min(1, 'Answer is empty').max(10_000),
  alternatives: z.array(phrase).max(50).default([]),
  category: z.string().trim().min(1).max(100).nullable().optional(),
  published: z.boolean().default(true),
});
export type CreateFaqRequest = z.input<typeof createFaqRequest>;

export const updateArticleRequest = z
  .object({
    title: z.string().trim().min(1).max(300).optional(),
    question: z.string().trim().min(1).max(1000).optional(),
    answer: z.string().trim().min(1).max(10_000).optional(),
    alternatives: z.array(phrase).max(50).optional(),
    category: z.string().trim().min(1).max(100).nullable().optional(),
    published: z.boolean().optional(),
  })
  .refine((v) => Object.values(v).some((x) => x !== undefined), 'Nothing to change');
export type UpdateArticleRequest = z.input<typeof updateArticleRequest>;

export const indexStatus = z.enum(['pending', 'indexing', 'ready', 'failed']);

export const article = z.object({
  id: z.uuid(),
  kind: z.enum(['faq', 'document']),
  title: z.string(),
  question: z.string().nullable(),
  answer: z.string().nullable(),
  alternatives: z.array(z.string()),
  category: z.string().nullable(),
  published: z.boolean(),
  version: z.number().int(),
  fileName: z.string().nullable(),
  mimeType: z.string().nullable(),
  sizeBytes: z.number().int().nullable(),
  indexStatus,
  indexError: z.string().nullable(),
  chunkCount: z.number().int(),
  /** A scanned document: how many pages without a text layer OCR has read, and how many read poorly. */
  ocr: z.object({ pagesTotal: z.number().int(), pagesDone: z.number().int(), pagesToReview: z.number().int() }).nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Article = z.infer<typeof article>;

/** One scanned page: what OCR read, its mean word confidence (0–100) and whether a person should check it. */
export const ocrPage = z.object({
  page: z.number().int(),
  status: z.enum(['waiting', 'read']),
  confidence: z.number().nullable(),
  needsReview: z.boolean(),
  text: z.string().nullable(),
});
export type OcrPage = z.infer<typeof ocrPage>;

export const articleListQuery = z.object({
  kind: z.enum(['faq', 'document', 'all']).default('all'),
  published: z.enum(['true', 'false', 'all']).default('all'),
  q: z.string().trim().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

export const articleVersion = z.object({
  version: z.number().int(),
  snapshot: z.record(z.string(), z.unknown()),
  editedBy: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});

export const chunk = z.object({
  id: z.uuid(),
  ordinal: z.number().int(),
  headingPath: z.array(z.string()),
  text: z.string(),
  language: z.string(),
});
export type Chunk = z.infer<typeof chunk>;

export const faqImportResult = z.object({
  created: z.number().int(),
  errors: z.array(z.object({ row: z.number().int(), message: z.string() })),
});

export const reindexStatus = z.object({
  running: z.boolean(),
  total: z.number().int(),
  done: z.number().int(),
  startedAt: z.iso.datetime().nullable(),
  finishedAt: z.iso.datetime().nullable(),
});
export type ReindexStatus = z.infer<typeof reindexStatus>;
