import fitted from './lexicon/abstain-model.json' with { type: 'json' };

/**
 * Whether to answer: a calibrated probability that the top-ranked FAQ entry or passage answers the
 * message, from scale-free evidence about the match (nothing depends on the knowledge base's size or
 * on raw scores). A logistic model; its coefficients are fitted by `bench/ai/abstain.calibrate.ts` on
 * in-domain FAQ data — the ru-support-dev businesses, cross-validated by business (each business scored
 * by a model fitted on the others) — with negatives of two kinds: the set's must-be-human messages and
 * every answerable message asked again with its own FAQ entry removed (the knowledge base does not cover
 * it: what the bot must notice).
 */
export interface MatchFeatures {
  /** BM25 score of the top match as a share of the best the message could score here (0…1). */
  strength: number;
  /** How far the top fused score stands above the runner-up, relative to the top (0…1). */
  margin: number;
  /** Share of the message's content words found in the top match (a one-letter typo counts). */
  coverage: number;
  /** Share of the message's content words and concepts found in the top match's question and wordings. */
  titleCoverage: number;
  /** Share of the message's lexicon concepts the top match shares (0 when the message has none). */
  concepts: number;
  /** Share of the message's content words that no passage and no lexicon entry knows (topic check). */
  unknown: number;
  /** Character-trigram cosine of the message to the top match, and to its question alone. */
  trigram: number;
  titleTrigram: number;
  /** Content words plus concepts of the message. */
  terms: number;
  /** 1 when the message names a product or model the knowledge base does not know ("диван Осло"). */
  unknownName: number;
  /** Probability of the top entry among the re-ranked head and "none of them" (softmax of the rank model's scores and 0). */
  rankProb: number;
  /** Share of the rankers (first fused, BM25, trigram, question trigram) whose first is the top entry. */
  agreement: number;
  /** IDF-weighted share of the message's terms the top entry has. */
  idfCoverage: number;
  /** IDF-weighted share of the message's terms the top entry lacks but another candidate has. */
  elsewhere: number;
}

/**
 * The evidence the model weighs (chosen leave-one-business-out on ru-support-dev: the other fields of
 * MatchFeatures are kept for "test a question" but added nothing once the rank model's own evidence was in).
 */
export const FEATURE_NAMES = [
  'margin',
  'trigram',
  'unknownName',
  'rankProb',
  'idfCoverage',
  'elsewhere',
] as const satisfies readonly (keyof MatchFeatures)[];

export type AbstainModel = { bias: number } & Record<(typeof FEATURE_NAMES)[number], number>;

/** Fitted by `bench/ai/abstain.calibrate.ts --write` on all four dev businesses (its reported numbers are leave-one-business-out). */
export const ABSTAIN_MODEL: AbstainModel = { ...(fitted as AbstainModel) };

/** The feature vector in FEATURE_NAMES order: rankProb as scaled log-odds (the difference between 0.9 and 0.99 matters), the rest as they are (0…1). */
export function featureVector(f: MatchFeatures): number[] {
  return FEATURE_NAMES.map((k) => (k === 'rankProb' ? logit(f[k]) : f[k]));
}

export function abstainConfidence(f: MatchFeatures, model: AbstainModel = ABSTAIN_MODEL): number {
  const x = featureVector(f);
  let z = model.bias;
  FEATURE_NAMES.forEach((k, i) => (z += model[k] * x[i]!));
  return 1 / (1 + Math.exp(-z));
}

/** log-odds of a probability, scaled to about −1…1 (|odds| up to e^8). */
function logit(p: number): number {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.max(-1, Math.min(1, Math.log(q / (1 - q)) / 8));
}
