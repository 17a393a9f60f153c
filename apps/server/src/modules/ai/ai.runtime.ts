import type { Logger } from 'pino';
import type { Db } from '../../platform/db/client.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { OutboundPolicy } from '../../platform/http/outbound.js';
import { KnowledgeRepository } from '../knowledge/knowledge.repository.js';
import { AiSettingsStore, type LoadedSettings } from './ai.settings.js';
import { KnowledgeSearch, type Retrieval } from './ai.search.js';
import { AiRepository } from './ai.repository.js';
import { OpenAiCompatibleClient, type LlmClient, type Usage } from './llm/llm.client.js';
import type { Classifier } from './classifier/classifier.model.js';
import { loadClassifier } from './classifier/classifier.store.js';

const CLASSIFIER_CACHE_MS = 5_000;

/**
 * The AI parts one process shares across requests and jobs: settings, per-account search indexes,
 * LLM clients (one per endpoint, each with its circuit breaker) and the active classifier.
 */
export class AiRuntime {
  readonly settings: AiSettingsStore;
  readonly search: KnowledgeSearch;
  readonly repo: AiRepository;
  private readonly clients = new Map<string, { key: string; client: LlmClient }>();
  private readonly classifiers = new Map<string, { at: number; id: string | null; model: Classifier | null }>();
  private readonly routing = new Map<string, { at: number; needed: boolean }>();
  private readonly routingRefresh = new Map<string, Promise<boolean>>();
  private readonly knowledge: KnowledgeRepository;

  constructor(
    db: Db,
    box: SecretBox,
    private readonly log: Logger,
    private readonly outbound: OutboundPolicy,
  ) {
    this.settings = new AiSettingsStore(db, box);
    this.knowledge = new KnowledgeRepository(db);
    this.search = new KnowledgeSearch(this.knowledge);
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

  /** Retrieval with the query embedded when possible; lexical only if the embedding call fails. */
  async retrieve(accountId: string, query: string, limit: number): Promise<Retrieval> {
    let vector: number[] | null = null;
    try {
      vector = (await this.embed(accountId, [query]))?.[0] ?? null;
    } catch (err) {
      this.log.warn({ err, accountId }, 'query embedding failed; searching lexically');
    }
    return this.search.retrieve(accountId, query, limit, vector);
  }

  /**
   * Whether a customer message on a channel without the assistant still needs routing: a classifier to
   * run, or a knowledge base to suggest replies from. Cached briefly, it keeps the webhook's hot path
   * free of a job per message for accounts that use neither.
   */
  async routingNeeded(accountId: string): Promise<boolean> {
    const hit = this.routing.get(accountId);
    if (hit && Date.now() - hit.at < CLASSIFIER_CACHE_MS) return hit.needed;
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

  /** The account's active classifier (hot-swapped: re-read when a newer version becomes active). */
  async classifier(accountId: string): Promise<Classifier | null> {
    const hit = this.classifiers.get(accountId);
    if (hit && Date.now() - hit.at < CLASSIFIER_CACHE_MS) return hit.model;
    const activeId = await this.repo.activeModelId(accountId);
    const model = activeId === hit?.id ? (hit?.model ?? null) : activeId ? await loadClassifier(this.repo, accountId, activeId) : null;
    this.classifiers.set(accountId, { at: Date.now(), id: activeId, model });
    return model;
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
