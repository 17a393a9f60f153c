import type { AiSettings, AssistantDecision, HandoverReason } from '@switchboard/shared';
import { analysisStopped } from '../ai/ai.analysis.client.js';
import type { AiRuntime } from '../ai/ai.runtime.js';
import type { Retrieval } from '../ai/ai.search.js';
import type { LlmClient } from '../ai/llm/llm.client.js';
import { forAnalysis } from '../ai/text/text.limits.js';
import { personalMatter } from '../ai/text/text.personal.js';
import { answerPrompt, groundedAnswer } from './assistant.prompt.js';
import { extractiveAnswer, toSource } from './assistant.compose.js';
import { conversationLanguage } from './assistant.language.js';
import { asksForHuman, soundsAngry } from './assistant.triggers.js';

export interface DecisionInput {
  accountId: string;
  text: string;
  settings: AiSettings;
  llm: LlmClient | null;
  /** The conversation's category is marked "always human". */
  alwaysHuman: boolean;
  /** What the customer wrote earlier in the conversation: its language is kept unless the customer clearly switches. */
  earlierText?: string;
}

export interface Decision extends AssistantDecision {
  /** Answered, but within the low-confidence margin (two in a row hand over). */
  lowTurn: boolean;
  retrieval: Retrieval | null;
}

const GREETING =
  /^\s*(привет\p{L}*|здравствуй\p{L}*|добрый\s+(день|вечер)|доброе\s+утро|hi|hello|hey|good\s+(morning|afternoon|evening))[\s!.,)]*$/iu;
const GREETING_REPLY = { ru: 'Здравствуйте! Чем могу помочь?', en: 'Hello! How can I help you?' } as const;
const PASSAGES = 5;

/**
 * The AI first line for one customer message: hand over at once when the customer asks for a person,
 * is angry, or writes about an "always human" category; otherwise retrieve, answer (extractively, or
 * with the LLM from the retrieved passages only) and hand over when confidence is below the threshold
 * or the LLM fails. The two-low-turns rule needs the conversation's history and is applied by the caller.
 * Only the first AI_TEXT_LIMIT characters are read. A search stopped at its time limit hands over
 * (`analysis_failed`): the same text would only be stopped again.
 */
export async function decide(ai: AiRuntime, input: DecisionInput): Promise<Decision> {
  input = { ...input, text: forAnalysis(input.text) };
  const language = conversationLanguage(input.text, forAnalysis(input.earlierText ?? ''));
  const { settings } = input;
  const mode = settings.answerMode === 'llm' && input.llm?.endpoint.chatModel ? 'llm' : 'local';
  const handover = (reason: HandoverReason, confidence: number, retrieval: Retrieval | null = null): Decision => ({
    action: 'handover',
    text: settings.handoverMessage[language],
    confidence,
    reason,
    language,
    mode,
    sources: [],
    lowTurn: false,
    retrieval,
  });

  if (GREETING.test(input.text)) {
    return {
      action: 'answer',
      text: GREETING_REPLY[language],
      confidence: 1,
      reason: null,
      language,
      mode: 'local',
      sources: [],
      lowTurn: false,
      retrieval: null,
    };
  }
  if (asksForHuman(input.text, settings.handoverKeywords)) return handover('asked_for_human', 1);
  if (soundsAngry(input.text)) return handover('negative_sentiment', 1);
  // The customer's own order, booking or payment, an emergency, a complaint: no FAQ settles it.
  if (personalMatter(input.text)) return handover('personal_matter', 1);
  if (input.alwaysHuman) return handover('always_human_category', 1);

  let retrieval: Retrieval;
  try {
    retrieval = await ai.retrieve(input.accountId, input.text, PASSAGES);
  } catch (err) {
    if (analysisStopped(err)) return handover('analysis_failed', 0);
    throw err;
  }
  const top = retrieval.hits[0];
  const confidence = retrieval.confidence;
  if (!top || confidence < settings.confidenceThreshold) return handover('low_confidence', confidence, retrieval);

  let text = extractiveAnswer(top, input.text);
  let sources = [toSource(top)];
  if (mode === 'llm') {
    let output: string;
    try {
      output = await input.llm!.chat(answerPrompt(input.text, retrieval.hits, language));
    } catch {
      return handover('llm_failed', confidence, retrieval);
    }
    const grounded = groundedAnswer(output, retrieval.hits.length);
    if (!grounded) return handover('low_confidence', confidence, retrieval);
    text = grounded.text;
    sources = grounded.cited.map((n) => toSource(retrieval.hits[n - 1]!));
  }
  const lowTurn = confidence < settings.confidenceThreshold + settings.lowConfidenceMargin;
  return { action: 'answer', text, confidence, reason: null, language, mode, sources, lowTurn, retrieval };
}
