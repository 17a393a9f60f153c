import type { AiSettings } from '@switchboard/shared';
import { analysisStopped } from '../ai/ai.analysis.client.js';
import type { AiRuntime } from '../ai/ai.runtime.js';
import { decide } from '../assistant/assistant.decide.js';

export interface ScoredCase {
  id: string;
  question: string;
  expectedArticleId: string | null;
  /** The entry the assistant would answer with at any threshold (null: nothing fits). */
  predictedArticleId: string | null;
  predictedTitle: string | null;
  confidence: number;
  /** A rule hands it to a person whatever the threshold (asked for a person, anger, …). */
  forcedHandover: boolean;
}

/**
 * Runs each question through the assistant's own decision, as a customer's first message, with the
 * threshold at 0 (so the confidence and the entry it would answer with are known for every threshold) and
 * locally (an evaluation must not spend LLM tokens). Questions run one after another: the analysis thread
 * serves live customers at the same time.
 */
export async function evaluateCases(
  ai: AiRuntime,
  accountId: string,
  settings: AiSettings,
  cases: { id: string; question: string; expectedArticleId: string | null }[],
): Promise<ScoredCase[]> {
  const open: AiSettings = { ...settings, confidenceThreshold: 0, answerMode: 'local' };
  const scored: ScoredCase[] = [];
  for (const c of cases) {
    const base = { id: c.id, question: c.question, expectedArticleId: c.expectedArticleId };
    try {
      const d = await decide(ai, { accountId, text: c.question, settings: open, llm: null, alwaysHuman: false });
      const source = d.sources[0];
      const forced = d.action === 'handover' && d.reason !== 'low_confidence';
      scored.push({
        ...base,
        predictedArticleId: d.action === 'answer' && source ? source.articleId : null,
        predictedTitle: d.action === 'answer' && source ? source.title : null,
        confidence: d.confidence,
        forcedHandover: forced,
      });
    } catch (err) {
      // A question the search could not finish in time is handed over, as it would be live.
      if (!analysisStopped(err)) throw err;
      scored.push({ ...base, predictedArticleId: null, predictedTitle: null, confidence: 0, forcedHandover: true });
    }
  }
  return scored;
}
