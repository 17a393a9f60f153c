import type { EvaluationCase, EvaluationResult } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { cleanDeep } from '../../platform/text.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { asAppError } from '../knowledge/knowledge.chunks.js';
import { readTable } from '../knowledge/parsing/knowledge.faq-import.js';
import { evaluateCases, type ScoredCase } from './evaluation.score.js';
import { EvaluationRepository, MAX_CASES, type CaseInsert, type CaseRow } from './evaluation.repository.js';

const MAX_QUESTION = 1000;
const COLUMNS = {
  question: ['question', 'вопрос', 'message', 'сообщение'],
  expected: ['expected', 'faq', 'expected faq', 'ожидается', 'ожидаемый ответ', 'ответ', 'answer', 'статья'],
} as const;
/** An "expected" cell that means "a person must answer this". */
const PERSON = new Set(['', '-', '—', 'human', 'person', 'handover', 'operator', 'человек', 'оператор', 'менеджер', 'передать']);

const toCase = (r: CaseRow): EvaluationCase => ({
  id: r.id,
  question: r.question,
  expectedArticleId: r.expectedArticleId,
  expectedTitle: r.expectedTitle,
  source: r.source,
  createdAt: r.createdAt.toISOString(),
});

const key = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The account's evaluation set: question → expected FAQ entry (or "a person") pairs, uploaded, typed in or
 * collected from past conversations, and the assistant scored on them at every threshold — "trust the bot"
 * as a number, and the threshold picked from the curve.
 */
export class EvaluationService {
  private readonly repo: EvaluationRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new EvaluationRepository(ctx.db);
  }

  async list(actor: Actor) {
    requirePermission(actor, 'ai.read');
    const [rows, total] = await Promise.all([this.repo.list(actor.accountId), this.repo.count(actor.accountId)]);
    return { items: rows.map(toCase), total };
  }

  async create(actor: Actor, input: { question: string; expectedArticleId: string | null }): Promise<EvaluationCase> {
    requirePermission(actor, 'ai.manage');
    if (input.expectedArticleId && (await this.repo.faqEntries(actor.accountId, [input.expectedArticleId])).length === 0) {
      throw new AppError('validation_failed', 'The expected FAQ entry does not exist', [
        { path: '/expectedArticleId', message: 'no such FAQ entry' },
      ]);
    }
    const ids = await this.store(
      actor,
      [{ accountId: actor.accountId, question: input.question, expectedArticleId: input.expectedArticleId, source: 'manual' }],
      'manual',
    );
    if (ids.length === 0) throw new AppError('conflict', 'The evaluation set already has this question');
    return toCase((await this.repo.get(actor.accountId, ids[0]!))!);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'ai.manage');
    if (!(await this.repo.delete(actor.accountId, id))) throw notFound('Evaluation case');
  }

  async clear(actor: Actor): Promise<void> {
    requirePermission(actor, 'ai.manage');
    await this.repo.clear(actor.accountId);
  }

  /**
   * Pairs from a CSV or XLSX: a "question" column and an "expected" column naming the FAQ entry by its
   * question (or id); an empty cell, "-" or "человек" means a person must answer. Every row is checked
   * first: one bad row refuses the file with the row numbers, and nothing is written.
   */
  async importFile(actor: Actor, file: { buffer: Buffer; fileName: string }) {
    requirePermission(actor, 'ai.manage');
    const table = await readTable(file).catch((err: unknown) => {
      throw asAppError(err);
    });
    const [header, ...body] = cleanDeep(table);
    if (!header) throw new AppError('invalid_import', 'The file is empty: expected a header row with "question" and "expected" columns');
    const column = (names: readonly string[]) => header.findIndex((h) => names.includes(key(h)));
    const [q, e] = [column(COLUMNS.question), column(COLUMNS.expected)];
    if (q < 0 || e < 0) {
      throw new AppError(
        'invalid_import',
        'The header row needs a "question" column and an "expected" column (or "вопрос" and "ожидается")',
      );
    }
    const rows = body.map((cells, i) => ({ row: i + 2, question: (cells[q] ?? '').trim(), expected: (cells[e] ?? '').trim() }));
    const filled = rows.filter((r) => r.question || r.expected);
    if (filled.length === 0) throw new AppError('invalid_import', 'The file has a header row but no questions');
    if (filled.length > MAX_CASES) throw new AppError('payload_too_large', `At most ${MAX_CASES} questions per file`);

    const entries = await this.repo.faqEntries(actor.accountId);
    const byId = new Map(entries.map((a) => [a.id, a.id]));
    const byText = new Map<string, string>();
    for (const a of entries) for (const text of [a.title, a.question ?? '']) if (text) byText.set(key(text), a.id);
    const errors: { row: number; message: string }[] = [];
    const cases: CaseInsert[] = [];
    for (const r of filled) {
      if (!r.question) errors.push({ row: r.row, message: 'The question is empty' });
      else if (r.question.length > MAX_QUESTION)
        errors.push({ row: r.row, message: `The question is longer than ${MAX_QUESTION} characters` });
      const human = PERSON.has(key(r.expected));
      const articleId = human ? null : (byId.get(r.expected) ?? byText.get(key(r.expected)));
      if (articleId === undefined) errors.push({ row: r.row, message: `No FAQ entry "${r.expected.slice(0, 100)}"` });
      if (r.question && articleId !== undefined)
        cases.push({ accountId: actor.accountId, question: r.question, expectedArticleId: articleId, source: 'upload' });
    }
    if (errors.length > 0) {
      throw new AppError('invalid_import', `${errors.length} row(s) cannot be used; nothing was imported`, errors.slice(0, 50));
    }
    const ids = await this.store(actor, cases, 'upload');
    return { created: ids.length, skipped: cases.length - ids.length };
  }

  /** One click: pairs the account's past conversations already settled (see `pairsFromConversations`). */
  async collect(actor: Actor) {
    requirePermission(actor, 'ai.manage');
    const room = MAX_CASES - (await this.repo.count(actor.accountId));
    if (room <= 0) throw new AppError('validation_failed', `The evaluation set holds at most ${MAX_CASES} questions`);
    const pairs = await this.repo.pairsFromConversations(actor.accountId, Math.min(room, 500));
    const cases: CaseInsert[] = pairs.map((p) => ({
      accountId: actor.accountId,
      question: p.question.trim().slice(0, MAX_QUESTION),
      expectedArticleId: p.articleId,
      source: 'conversation',
      conversationId: p.conversationId,
    }));
    const ids = await this.store(actor, cases, 'conversation');
    return { created: ids.length, skipped: cases.length - ids.length };
  }

  /** Scores the set with the assistant as it is now: right / wrong / hand-over at every threshold. */
  async run(actor: Actor): Promise<EvaluationResult> {
    requirePermission(actor, 'ai.read');
    const rows = await this.repo.list(actor.accountId);
    const { settings } = await this.ctx.ai.settings.load(actor.accountId);
    const scored: ScoredCase[] = await evaluateCases(this.ctx.ai, actor.accountId, settings, rows);
    const titles = new Map((await this.repo.faqEntries(actor.accountId)).map((a) => [a.id, a.title]));
    return summarise(scored, settings.confidenceThreshold, titles);
  }

  /** Writes new cases in one transaction with its audit entry; returns the ids of those that were new. */
  private async store(actor: Actor, cases: CaseInsert[], source: CaseInsert['source']): Promise<string[]> {
    const room = MAX_CASES - (await this.repo.count(actor.accountId));
    if (cases.length > room) throw new AppError('validation_failed', `The evaluation set holds at most ${MAX_CASES} questions`);
    return transaction(this.ctx.pool, async (tx) => {
      const { ids } = await this.repo.insertMany(tx, cases);
      await recordAudit(tx.db, actor, 'ai.evaluation_cases_added', {
        targetType: 'account',
        targetId: actor.accountId,
        details: { source, created: ids.length, offered: cases.length },
      });
      return ids;
    });
  }
}

const THRESHOLDS = Array.from({ length: 21 }, (_, i) => i / 20);

function summarise(scored: ScoredCase[], threshold: number, titles: Map<string, string>): EvaluationResult {
  const total = scored.length;
  const at = (t: number) => {
    let right = 0;
    let wrong = 0;
    let handover = 0;
    for (const c of scored) {
      const outcome = outcomeAt(c, t);
      if (outcome === 'right') right++;
      else if (outcome === 'wrong') wrong++;
      else handover++;
    }
    const share = (n: number) => (total > 0 ? n / total : 0);
    const answered = scored.filter((c) => answeredAt(c, t)).length;
    return { threshold: t, right: share(right), wrong: share(wrong), handover: share(handover), coverage: share(answered) };
  };
  return {
    total,
    answerable: scored.filter((c) => c.expectedArticleId !== null).length,
    threshold,
    current: at(threshold),
    curve: [...new Set([...THRESHOLDS, threshold])].sort((a, b) => a - b).map(at),
    cases: scored.map((c) => ({
      id: c.id,
      question: c.question,
      expectedArticleId: c.expectedArticleId,
      expectedTitle: c.expectedArticleId ? (titles.get(c.expectedArticleId) ?? null) : null,
      predictedArticleId: c.predictedArticleId,
      predictedTitle: c.predictedTitle,
      confidence: c.confidence,
      forcedHandover: c.forcedHandover,
      outcome: outcomeAt(c, threshold),
    })),
  };
}

const answeredAt = (c: ScoredCase, t: number) => !c.forcedHandover && c.predictedArticleId !== null && c.confidence >= t;

/** right: the expected entry answered, or a person got what only a person should answer; wrong: any other answer. */
export function outcomeAt(c: ScoredCase, t: number): 'right' | 'wrong' | 'handover' {
  if (answeredAt(c, t)) return c.predictedArticleId === c.expectedArticleId ? 'right' : 'wrong';
  return c.expectedArticleId === null ? 'right' : 'handover';
}
