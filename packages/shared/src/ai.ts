import { z } from 'zod';
import { channelType } from './channels.js';

export const aiSearchRequest = z.object({
  query: z.string().trim().min(1, 'Query is empty').max(2000),
  limit: z.number().int().min(1).max(20).default(5),
});

export const passageSource = z.object({
  articleId: z.uuid(),
  chunkId: z.uuid(),
  kind: z.enum(['faq', 'document']),
  title: z.string(),
  headingPath: z.array(z.string()),
});
export type PassageSource = z.infer<typeof passageSource>;

export const passage = z.object({ text: z.string(), score: z.number(), source: passageSource });
export type Passage = z.infer<typeof passage>;

export const aiSearchResponse = z.object({ items: z.array(passage) });

export const handoverReasons = [
  'low_confidence',
  'repeated_low_confidence',
  'asked_for_human',
  'negative_sentiment',
  'always_human_category',
  'llm_failed',
  'analysis_failed',
  'operator_takeover',
  'personal_matter',
] as const;
export const handoverReason = z.enum(handoverReasons);
export type HandoverReason = z.infer<typeof handoverReason>;

/** What the assistant decided for one customer message (also what "test a question" shows). */
export const assistantDecision = z.object({
  action: z.enum(['answer', 'handover']),
  text: z.string(),
  confidence: z.number(),
  reason: handoverReason.nullable(),
  language: z.enum(['ru', 'en']),
  mode: z.enum(['local', 'llm']),
  sources: z.array(passageSource),
});
export type AssistantDecision = z.infer<typeof assistantDecision>;

export const aiTestResponse = z.object({ items: z.array(passage), decision: assistantDecision });

/** Bot turn details stored on a message (`message.ai`). */
export const messageAi = z.object({
  confidence: z.number().nullable(),
  mode: z.enum(['local', 'llm']),
  kind: z.enum(['answer', 'handover', 'waiting', 'greeting']),
  sources: z.array(passageSource),
  /** The prompt template version of an LLM-written turn. */
  promptVersion: z.string().optional(),
});
export type MessageAi = z.infer<typeof messageAi>;

const perLanguage = z.object({ ru: z.string().trim().min(1).max(1000), en: z.string().trim().min(1).max(1000) });

export const llmSettings = z.object({
  baseUrl: z.url().nullable().default(null),
  chatModel: z.string().trim().min(1).max(200).nullable().default(null),
  embeddingModel: z.string().trim().min(1).max(200).nullable().default(null),
  timeoutMs: z.number().int().min(1000).max(120_000).default(20_000),
});

export const aiSettings = z.object({
  /** Calibrated probability that an answer is right, below which the bot hands over. */
  confidenceThreshold: z.number().min(0).max(1).default(0.5),
  /** Answers within this margin above the threshold are "low confidence"; two in a row hand over. */
  lowConfidenceMargin: z.number().min(0).max(1).default(0.15),
  handoverKeywords: z.array(z.string().trim().min(1).max(100)).max(100).default([]),
  /**
   * The account's own synonyms for FAQ matching, one group per line ("доставка, привезти, довезти"): words and
   * phrases that mean the same here, added to the shipped support lexicon.
   */
  synonyms: z.array(z.string().trim().min(1).max(500)).max(500).default([]),
  handoverMessage: perLanguage.default({
    ru: 'Передаю ваш вопрос сотруднику — он скоро ответит.',
    en: 'I am passing your question to a colleague who will answer shortly.',
  }),
  /** Sent while the conversation waits in the queue (nobody has taken it yet). */
  waitingMessage: perLanguage.default({
    ru: 'Передали ваш вопрос менеджеру, он скоро ответит.',
    en: 'We have passed your question to a manager, who will answer shortly.',
  }),
  /** Sent while a person has taken the conversation but not answered yet; `{operator}` is their display name. */
  takenMessage: perLanguage.default({
    ru: '{operator} уже занимается вашим вопросом и скоро ответит.',
    en: '{operator} is already on it and will answer shortly.',
  }),
  waitingIntervalMinutes: z.number().int().min(1).max(1440).default(10),
  greetingEnabled: z.boolean().default(true),
  greetingTemplate: perLanguage.default({
    ru: 'Здравствуйте! Меня зовут {operator}, я помогу вам.',
    en: 'Hello! My name is {operator}, I will help you.',
  }),
  answerMode: z.enum(['local', 'llm']).default('local'),
  classificationMode: z.enum(['local', 'llm']).default('local'),
  suggestionsEnabled: z.boolean().default(true),
  /** Channels where the customer sees a short "Source: …" line under a bot answer (Avito moderates messages: off by default). */
  sourceLineChannels: z.array(channelType).max(20).default(['telegram', 'whatsapp_cloud', 'green_api', 'widget', 'email']),
  /** When an operator answers a handed-over question with an FAQ: offer to add the customer's wording to it, add it at once, or neither. */
  learnFromOperators: z.enum(['off', 'offer', 'auto']).default('offer'),
  llm: llmSettings.default({ baseUrl: null, chatModel: null, embeddingModel: null, timeoutMs: 20_000 }),
});
export type AiSettings = z.infer<typeof aiSettings>;

export const aiSettingsResponse = aiSettings.extend({
  llmApiKeySet: z.boolean(),
  /** Phrases that always hand over, besides the account's own keywords (read-only). */
  builtInHandoverKeywords: z.array(z.string()),
});

/**
 * A partial change: only what is sent changes. Built from the same fields with their defaults removed
 * (a zod `.partial()` would still fill every default in and reset settings the caller did not mention).
 */
export const updateAiSettingsRequest = z.object({
  ...Object.fromEntries(Object.entries(aiSettings.shape).map(([key, field]) => [key, field.unwrap().optional()])),
  llm: z.object(Object.fromEntries(Object.entries(llmSettings.shape).map(([key, field]) => [key, field.unwrap().optional()]))).optional(),
  llmApiKey: z.string().trim().min(1).max(500).nullable().optional(),
}) as unknown as z.ZodType<UpdateAiSettings, UpdateAiSettings>;
type UpdateAiSettings = Partial<Omit<AiSettings, 'llm'>> & { llm?: Partial<AiSettings['llm']>; llmApiKey?: string | null };
export type UpdateAiSettingsRequest = z.input<typeof updateAiSettingsRequest>;

export const category = z.object({ id: z.uuid(), name: z.string(), alwaysHuman: z.boolean() });
export const createCategoryRequest = z.object({ name: z.string().trim().min(1).max(100), alwaysHuman: z.boolean().default(false) });
export const updateCategoryRequest = z.object({ alwaysHuman: z.boolean() });

export const classifierModel = z.object({
  id: z.uuid(),
  version: z.number().int(),
  status: z.enum(['training', 'ready', 'failed']),
  active: z.boolean(),
  report: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  createdAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
});
export const classifierStatus = z.object({ examples: z.number().int(), models: z.array(classifierModel) });

export const suggestion = z.object({
  id: z.uuid(),
  conversationId: z.uuid(),
  text: z.string(),
  confidence: z.number(),
  sources: z.array(passageSource),
  status: z.enum(['pending', 'sent', 'edited', 'rejected', 'superseded']),
  createdAt: z.iso.datetime(),
});
export type Suggestion = z.infer<typeof suggestion>;
export const sendSuggestionRequest = z.object({ text: z.string().trim().min(1).max(4096).optional() });

export const aiMetrics = z.object({
  days: z.number().int(),
  conversations: z.number().int(),
  botConversations: z.number().int(),
  autoResolutionRate: z.number().nullable(),
  handoverRate: z.number().nullable(),
  handoversByReason: z.record(z.string(), z.number().int()),
  suggestions: z.object({
    total: z.number().int(),
    sent: z.number().int(),
    edited: z.number().int(),
    rejected: z.number().int(),
    acceptanceRate: z.number().nullable(),
  }),
  classification: z.object({ reviewed: z.number().int(), corrected: z.number().int(), accuracy: z.number().nullable() }),
  usage: z.object({
    requests: z.number().int(),
    promptTokens: z.number().int(),
    completionTokens: z.number().int(),
    failures: z.number().int(),
  }),
});
export type AiMetrics = z.infer<typeof aiMetrics>;
