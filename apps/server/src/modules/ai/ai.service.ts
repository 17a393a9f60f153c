import { parse } from 'csv-parse/sync';
import type { Passage, UpdateAiSettingsRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { decide } from '../assistant/assistant.decide.js';
import { toSource } from '../assistant/assistant.compose.js';
import { BUILT_IN_HANDOVER_PHRASES } from '../assistant/assistant.triggers.js';
import { IndexNotLoaded, type SearchHit } from './ai.search.js';
import { analysisBusy, analysisStopped } from './ai.analysis.client.js';
import { aiMetrics } from './ai.metrics.js';

const toPassage = (h: SearchHit): Passage => ({ text: h.chunk.text, score: h.score, source: toSource(h) });

/** A search stopped at its time limit, refused in a burst or left without its index is the server's trouble: 503, worth a retry later. */
export function unanalysable(err: unknown): never {
  if (analysisStopped(err)) throw new AppError('service_unavailable', 'The search did not finish in time; try again');
  if (err instanceof IndexNotLoaded)
    throw new AppError('service_unavailable', 'The search index is loading; try again', undefined, { 'retry-after': '5' });
  if (analysisBusy(err)) throw new AppError('service_unavailable', 'The search is busy; try again', undefined, { 'retry-after': '5' });
  throw err;
}
const MAX_EXAMPLES = 100_000;

/** Search, "test a question", settings, categories, classifier versions and metrics of the AI first line. */
export class AiService {
  constructor(private readonly ctx: AppContext) {}

  async search(actor: Actor, query: string, limit: number) {
    requirePermission(actor, 'knowledge.read');
    const { hits } = await this.ctx.ai.retrieve(actor.accountId, query, limit).catch(unanalysable);
    return { items: hits.map(toPassage) };
  }

  /** What the bot would answer to `query` right now, with the passages it would rank. */
  async test(actor: Actor, query: string) {
    requirePermission(actor, 'knowledge.read');
    const loaded = await this.ctx.ai.settings.load(actor.accountId);
    const d = await decide(this.ctx.ai, {
      accountId: actor.accountId,
      text: query,
      settings: loaded.settings,
      llm: await this.ctx.ai.llm(actor.accountId, loaded),
      alwaysHuman: false,
    }).catch(unanalysable);
    // A search stopped at its time limit would only stop again: the decision (a hand-over) says so.
    const retrieval =
      d.retrieval ?? (d.reason === 'analysis_failed' ? null : await this.ctx.ai.retrieve(actor.accountId, query, 5).catch(unanalysable));
    const { lowTurn: _low, retrieval: _r, ...decision } = d;
    return { items: retrieval?.hits.map(toPassage) ?? [], decision };
  }

  async settings(actor: Actor) {
    requirePermission(actor, 'ai.read');
    const { settings, llmApiKey } = await this.ctx.ai.settings.load(actor.accountId);
    return { ...settings, llmApiKeySet: llmApiKey !== null, builtInHandoverKeywords: [...BUILT_IN_HANDOVER_PHRASES] };
  }

  async updateSettings(actor: Actor, patch: UpdateAiSettingsRequest) {
    requirePermission(actor, 'ai.manage');
    await this.checkLlmConfigured(actor.accountId, patch);
    await this.checkLlmEndpoint(actor.accountId, patch);
    await transaction(this.ctx.pool, async (tx) => {
      await this.ctx.ai.settings.update(actor.accountId, patch, tx.db);
      await recordAudit(tx.db, actor, 'ai.settings_changed', {
        targetType: 'account',
        targetId: actor.accountId,
        details: { fields: Object.keys(patch), llmApiKeyChanged: patch.llmApiKey !== undefined },
      });
    });
    this.ctx.ai.settings.forget(actor.accountId);
    this.ctx.ai.forgetRouting(actor.accountId);
    return this.settings(actor);
  }

  /** LLM answering or classification without a server and a chat model would silently fall back to local: refused. */
  private async checkLlmConfigured(accountId: string, patch: UpdateAiSettingsRequest): Promise<void> {
    const { settings } = await this.ctx.ai.settings.load(accountId);
    const llm = { ...settings.llm, ...(patch.llm ?? {}) };
    const modes = [patch.answerMode ?? settings.answerMode, patch.classificationMode ?? settings.classificationMode];
    if (!modes.includes('llm') || (llm.baseUrl && llm.chatModel)) return;
    const missing = [
      ...(llm.baseUrl ? [] : [{ path: '/llm/baseUrl', message: 'is required for LLM mode' }]),
      ...(llm.chatModel ? [] : [{ path: '/llm/chatModel', message: 'is required for LLM mode' }]),
    ];
    throw new AppError(
      'llm_not_configured',
      'LLM mode needs the LLM server address and a chat model; fill them in or choose local mode',
      missing,
    );
  }

  /**
   * A new LLM base URL must pass the outbound policy, and the stored key is not sent to a new server
   * unless it is entered again with it (else an admin could point the URL at their own and collect it).
   */
  private async checkLlmEndpoint(accountId: string, patch: UpdateAiSettingsRequest): Promise<void> {
    const baseUrl = patch.llm?.baseUrl;
    if (!baseUrl) return;
    await this.ctx.outbound.checkUrl(baseUrl, 'llm/baseUrl');
    const current = await this.ctx.ai.settings.load(accountId);
    const before = current.settings.llm.baseUrl ? new URL(current.settings.llm.baseUrl).origin : null;
    if (current.llmApiKey !== null && patch.llmApiKey === undefined && new URL(baseUrl).origin !== before) {
      throw new AppError('credential_required', 'The LLM server changed: enter llmApiKey again (or send null to remove it)', [
        { path: '/llmApiKey', message: 'must be sent again: the server it goes to changed' },
      ]);
    }
  }

  async categories(actor: Actor) {
    requirePermission(actor, 'ai.read');
    const rows = await this.ctx.ai.repo.categories(actor.accountId);
    return { items: rows.map(({ id, name, alwaysHuman }) => ({ id, name, alwaysHuman })) };
  }

  async createCategory(actor: Actor, input: { name: string; alwaysHuman: boolean }) {
    requirePermission(actor, 'ai.manage');
    const row = await this.ctx.ai.repo.insertCategory(actor.accountId, input.name, input.alwaysHuman);
    if (!row) throw new AppError('conflict', `A category named "${input.name}" already exists`);
    return { id: row.id, name: row.name, alwaysHuman: row.alwaysHuman };
  }

  async updateCategory(actor: Actor, id: string, alwaysHuman: boolean) {
    requirePermission(actor, 'ai.manage');
    const row = await this.ctx.ai.repo.updateCategory(actor.accountId, id, alwaysHuman);
    if (!row) throw notFound('Category');
    return { id: row.id, name: row.name, alwaysHuman: row.alwaysHuman };
  }

  async deleteCategory(actor: Actor, id: string) {
    requirePermission(actor, 'ai.manage');
    if (!(await this.ctx.ai.repo.deleteCategory(actor.accountId, id))) throw notFound('Category');
  }

  async classifier(actor: Actor) {
    requirePermission(actor, 'ai.read');
    const [examples, models] = await Promise.all([
      this.ctx.ai.repo.exampleCount(actor.accountId),
      this.ctx.ai.repo.models(actor.accountId),
    ]);
    return {
      examples,
      models: models.map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), finishedAt: m.finishedAt?.toISOString() ?? null })),
    };
  }

  /** Labelled examples from a CSV with `text,label` columns (header row required). */
  async importExamples(actor: Actor, csv: Buffer) {
    requirePermission(actor, 'ai.manage');
    let records: Record<string, string>[];
    try {
      records = parse(csv, {
        columns: (h: string[]) => h.map((c) => c.trim().toLowerCase()),
        skip_empty_lines: true,
        bom: true,
        trim: true,
      });
    } catch (err) {
      throw new AppError('invalid_import', `The CSV file could not be read: ${err instanceof Error ? err.message : String(err)}`);
    }
    const first = records[0];
    if (!first || !('text' in first) || !('label' in first)) {
      throw new AppError('invalid_import', 'The CSV needs a header row with the columns "text" and "label"');
    }
    if (records.length > MAX_EXAMPLES) throw new AppError('payload_too_large', `At most ${MAX_EXAMPLES} examples per file`);
    const rows = records.filter((r) => r.text && r.label).map((r) => ({ text: r.text!.slice(0, 5000), label: r.label!.slice(0, 100) }));
    return { imported: await this.ctx.ai.repo.addExamples(actor.accountId, rows) };
  }

  async train(actor: Actor) {
    requirePermission(actor, 'ai.manage');
    if ((await this.ctx.ai.repo.exampleCount(actor.accountId)) === 0) {
      throw new AppError('validation_failed', 'There are no labelled examples yet: import a CSV or correct some conversation categories');
    }
    const row = await transaction(this.ctx.pool, async (tx) => {
      const created = await this.ctx.ai.repo.createModel(tx, actor.accountId);
      await this.ctx.queue.send(tx, 'classifier.train', { accountId: actor.accountId, modelId: created.id });
      return created;
    });
    return { ...row, model: undefined, report: null, createdAt: row.createdAt.toISOString(), finishedAt: null };
  }

  async metrics(actor: Actor, days: number) {
    requirePermission(actor, 'ai.read');
    // A report: read from the replica when there is one (and it keeps up), shared for a minute in Redis mode.
    return this.ctx.cache.getOrCompute('ai-metrics', `${actor.accountId}:${days}`, 60_000, async () =>
      aiMetrics(await this.ctx.reports.db(), actor.accountId, days),
    );
  }
}
