/**
 * Turns retrieval evidence into a calibrated probability that the top passage answers the query.
 * A logistic model over three scale-free features; its coefficients are fitted by
 * `bench/ai/calibrate.ts` on the XQuAD dev split (questions of the first 20 % of articles) and
 * checked there for calibration on the rest.
 *  - coverage: share of the query's distinct terms found in the top passage;
 *  - margin: how far the top score stands above the runner-up, relative to the top;
 *  - strength: the top BM25 score as a share of the best score the query could reach in this index
 *    (independent of corpus size: a three-entry FAQ and a 5,000-passage manual read the same).
 */
export const CONFIDENCE_MODEL = { bias: -6.73, coverage: 9.64, margin: 5.59, strength: -0.64 };

export function retrievalFeatures(queryTerms: string[], scores: number[], topTerms: string[], maxScore: number) {
  const distinct = new Set(queryTerms);
  if (distinct.size === 0 || scores.length === 0 || !(scores[0]! > 0) || !(maxScore > 0)) return null;
  const top = new Set(topTerms);
  let found = 0;
  for (const t of distinct) if (top.has(t)) found++;
  const s1 = scores[0]!;
  const s2 = scores[1] ?? 0;
  return { coverage: found / distinct.size, margin: (s1 - s2) / s1, strength: Math.min(1, s1 / maxScore) };
}

export function retrievalConfidence(
  queryTerms: string[],
  scores: number[],
  topTerms: string[],
  maxScore: number,
  model = CONFIDENCE_MODEL,
): number {
  const f = retrievalFeatures(queryTerms, scores, topTerms, maxScore);
  if (!f) return 0;
  const z = model.bias + model.coverage * f.coverage + model.margin * f.margin + model.strength * f.strength;
  return 1 / (1 + Math.exp(-z));
}
