import { z } from 'zod';

/** "Add this wording to FAQ X": offered to operators after they answered a handed-over question from an FAQ entry. */
export const wordingOffer = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  question: z.string(),
  articleId: z.uuid(),
  articleTitle: z.string(),
  via: z.enum(['reply', 'suggestion']),
  similarity: z.number(),
  status: z.enum(['pending', 'added', 'auto_added', 'dismissed']),
  confidenceBefore: z.number().nullable(),
  confidenceAfter: z.number().nullable(),
  createdAt: z.iso.datetime(),
});
export type WordingOffer = z.infer<typeof wordingOffer>;
export const wordingOfferList = z.object({ items: z.array(wordingOffer) });

/** What learning from operators changed, for the AI dashboard. */
export const learningMetrics = z.object({
  /** Wordings added (by a click or automatically) in the period. */
  learned: z.number().int(),
  autoLearned: z.number().int(),
  pending: z.number().int(),
  /** Learned questions the assistant now answers by itself with the right entry (they had been handed over). */
  nowAnswered: z.number().int(),
  /** Bot answers since learning that came from entries which learned a wording. */
  answersFromLearned: z.number().int(),
  /** Share of customer questions the bot answered (vs handed over) before the first learned wording and since. */
  autoAnswerRateBefore: z.number().nullable(),
  autoAnswerRateSince: z.number().nullable(),
  firstLearnedAt: z.iso.datetime().nullable(),
});
export type LearningMetrics = z.infer<typeof learningMetrics>;

// ——— Evaluation set ———

export const evaluationCase = z.object({
  id: z.uuid(),
  question: z.string(),
  /** The FAQ entry that should answer it; null = a person must answer. */
  expectedArticleId: z.uuid().nullable(),
  expectedTitle: z.string().nullable(),
  source: z.enum(['upload', 'conversation', 'manual']),
  createdAt: z.iso.datetime(),
});
export type EvaluationCase = z.infer<typeof evaluationCase>;
export const evaluationCaseList = z.object({ items: z.array(evaluationCase), total: z.number().int() });

export const createEvaluationCaseRequest = z.object({
  question: z.string().trim().min(1, 'The question is empty').max(1000),
  expectedArticleId: z.uuid().nullable(),
});

export const evaluationImportResult = z.object({ created: z.number().int(), skipped: z.number().int() });
export const evaluationCollectResult = z.object({ created: z.number().int(), skipped: z.number().int() });

/** Shares of the set at one threshold: answered with the expected entry, answered wrongly, handed over. */
export const evaluationPoint = z.object({
  threshold: z.number(),
  right: z.number(),
  wrong: z.number(),
  handover: z.number(),
  /** Share of questions answered at all (right + wrong). */
  coverage: z.number(),
});
export type EvaluationPoint = z.infer<typeof evaluationPoint>;

export const evaluationResult = z.object({
  total: z.number().int(),
  answerable: z.number().int(),
  threshold: z.number(),
  current: evaluationPoint,
  curve: z.array(evaluationPoint),
  /** Per question at the current threshold. */
  cases: z.array(
    z.object({
      id: z.uuid(),
      question: z.string(),
      expectedArticleId: z.uuid().nullable(),
      expectedTitle: z.string().nullable(),
      predictedArticleId: z.uuid().nullable(),
      predictedTitle: z.string().nullable(),
      confidence: z.number(),
      /** A rule hands it to a person whatever the threshold (asked for a person, anger, …). */
      forcedHandover: z.boolean(),
      /** right: the expected entry answered it, or a person got a question only a person should answer. */
      outcome: z.enum(['right', 'wrong', 'handover']),
    }),
  ),
});
export type EvaluationResult = z.infer<typeof evaluationResult>;
