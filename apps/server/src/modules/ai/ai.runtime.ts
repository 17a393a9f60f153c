import type { Logger } from 'pino';
import type { Db } from '../../platform/db/client.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { OutboundPolicy } from '../../platform/http/outbound.js';
import { KnowledgeRepository } from '../knowledge/knowledge.repository.js';
import { AiSettingsStore, type LoadedSettings } from './ai.settings.js';
import { KnowledgeSearch, type Retrieval } from './ai.search.js';
import { AiRepository } from './ai.repository.js';
import { OpenAiCompatibleClient, type LlmClient, type Usage } from './llm/llm.client.js';
import type { Prediction } from './classifier/classifier.model.js';
import { AnalysisThread } from './ai.analysis.client.js';
import { forAnalysis } from './text/text.limits.js';
import { countCacheLookup } from '../../platform/metrics.js';

const CLASSIFIER_CACHE_MS = 5_000;

export interface AiRuntimeOptions {
  /** Time limit of one text's analysis (search, classification) in the analysis thread. */
  analysisTimeoutMs: number;
}

/**
 * The AI parts one process shares across requests and jobs: settings, knowledge search and classifiers
 * (computed in the analysis thread, off the event loop), LLM clients (one per endpoint, each with its
 * circuit breaker).
 */
export class AiRuntime {
  readonly settings: AiSettingsStore;
  readonly search: KnowledgeSearch;
  readonly repo: AiRepository;
  private readonly analysis: AnalysisThread;
  private readonly clients = new Map<string, { key: string; client: LlmClient }>();
  private readonly classifiers = new Map<string, { at: number; id: string | null }>();
  private readonly routing = new Map<string, { at: number; needed: boolean }>();
  private readonly routingRefresh = new Map<string, Promise<boolean>>();
  private readonly knowledge: KnowledgeRepository;

  constructor(
    db: Db,
    box: SecretBox,
    private readonly log: Logger,
    private readonly outbound: OutboundPolicy,
    opts: AiRuntimeOptions,
  ) {
    this.settings = new AiSettingsStore(db, box);
    this.knowledge = new KnowledgeRepository(db);
    this.analysis = new AnalysisThread(opts.analysisTimeoutMs);
    this.search = new KnowledgeSearch(this.knowledge, this.analysis);
    this.repo = new AiRepository(db);
  }

  /** The account's LLM client, or null when none is configured. */
  async llm(accountId: string, loaded?: LoadedSettings): Promise<LlmClient | null> {
    const { settings, llmApiKey } = loaded ?? (await this.settings.load(accountId));
    const { baseUrl, chatModel, embeddingModel, timeoutMs } = settings.llm;
    if (!baseUrl || (!chatModel && !embeddingModel)) return null;
    const key = JSON.stringify([baseUrl, chatModel, embeddingModel, timeoutMs, llmApiKey]);
    const cached = this.clients.get(accountId);
    if (cached?.key === key) return cached.client;
    const client = new OpenAiCompatibleClient(
      { baseUrl, apiKey: llmApiKey, chatModel, embeddingModel, timeoutMs },
      (usage) => this.recordUsage(accountId, usage),
      this.outbound.fetcher, // the key goes only where the outbound policy allows
    );
    this.clients.set(accountId, { key, client });
    return client;
  }

  async embeddingsEnabled(accountId: string): Promise<boolean> {
    const client = await this.llm(accountId);
    return Boolean(client?.endpoint.embeddingModel);
  }

  /** Embeddings of `texts`, or null when the account has no embedding endpoint. */
  async embed(accountId: string, texts: string[]): Promise<number[][] | null> {
    const client = await this.llm(accountId);
    if (!client?.endpoint.embeddingModel || texts.length === 0) return null;
    return client.embed(texts);
  }

  /**
   * Retrieval with the query embedded when possible; lexical only if the embedding call fails.
   * @throws ThreadStopped when the search was stopped at its time limit.
   */
  async retrieve(accountId: string, query: string, limit: number): Promise<Retrieval> {
    query = forAnalysis(query);
    let vector: number[] | null = null;
    try {
      vector = (await this.embed(accountId, [query]))?.[0] ?? null;
    } catch (err) {
      this.log.warn({ err, accountId }, 'query embedding failed; searching lexically');
    }
    const { settings } = await this.settings.load(accountId);
    return this.search.retrieve(accountId, query, limit, vector, settings.synonyms);
  }

  /**
   * Whether a customer message on a channel without the assistant still needs routing: a classifier to
   * run, or a knowledge base to suggest replies from. Cached briefly, it keeps the webhook's hot path
   * free of a job per message for accounts that use neither.
   */
  async routingNeeded(accountId: string): Promise<boolean> {
    const hit = this.routing.get(accountId);
    const fresh = hit !== undefined && Date.now() - hit.at < CLASSIFIER_CACHE_MS;
    countCacheLookup('ai_routing', fresh);
    if (fresh) return hit.needed;
    // One refresh at a time per account; a stale answer serves meanwhile (a burst must not queue on it).
    let refresh = this.routingRefresh.get(accountId);
    if (!refresh) {
      refresh = this.readRoutingNeeded(accountId).finally(() => this.routingRefresh.delete(accountId));
      this.routingRefresh.set(accountId, refresh);
    }
    if (!hit) return refresh;
    refresh.catch((err: unknown) => this.log.warn({ err, accountId }, 'could not refresh the routing flags; using the last ones'));
    return hit.needed;
  }

  private async readRoutingNeeded(accountId: string): Promise<boolean> {
    const { settings } = await this.settings.load(accountId);
    const [model, version] = await Promise.all([this.repo.activeModelId(accountId), this.knowledge.indexVersion(accountId)]);
    const needed = model !== null || (settings.suggestionsEnabled && version > 0);
    this.routing.set(accountId, { at: Date.now(), needed });
    return needed;
  }

  /** Forgets cached facts about an account after a change made in this process. */
  forgetRouting(accountId: string): void {
    this.routing.delete(accountId);
  }

  /** The id of the account's active classifier (hot-swapped: a newer active version is seen within seconds). */
  async activeClassifier(accountId: string): Promise<string | null> {
    const hit = this.classifiers.get(accountId);
    const fresh = hit !== undefined && Date.now() - hit.at < CLASSIFIER_CACHE_MS;
    countCacheLookup('ai_classifier', fresh);
    if (fresh) return hit.id;
    const id = await this.repo.activeModelId(accountId);
    this.classifiers.set(accountId, { at: Date.now(), id });
    return id;
  }

  /**
   * The active classifier's prediction for `text` (its first AI_TEXT_LIMIT characters), or null without one.
   * @throws ThreadStopped when the prediction was stopped at its time limit.
   */
  async classify(accountId: string, text: string): Promise<Prediction | null> {
    const modelId = await this.activeClassifier(accountId);
    if (!modelId) return null;
    const task = { kind: 'classify', accountId, modelId, text: forAnalysis(text) } as const;
    let prediction = await this.analysis.run(task);
    if (prediction === 'missing') {
      const bytes = await this.repo.modelBytes(accountId, modelId);
      if (!bytes) return null;
      await this.analysis.run({ kind: 'model', accountId, modelId, bytes });
      prediction = await this.analysis.run(task);
    }
    return prediction === 'missing' ? null : prediction;
  }

  /** Called by the training job of this process so the new model is used at once. */
  forgetClassifier(accountId: string): void {
    this.classifiers.delete(accountId);
    this.routing.delete(accountId);
  }

  private recordUsage(accountId: string, usage: Usage): void {
    this.repo.recordUsage(accountId, usage).catch((err: unknown) => this.log.warn({ err, accountId }, 'could not record LLM usage'));
  }
}
