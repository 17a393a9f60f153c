import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import type { CreateFaqRequest, UpdateArticleRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { cleanDeep } from '../../platform/text.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { readFaqImportInThread } from './parsing/knowledge.parse.sandbox.js';
import { asAppError, documentChunks, faqChunks } from './knowledge.chunks.js';
import { toArticle, toReindexStatus } from './knowledge.dto.js';
import { KnowledgeRepository, type ArticleFilter, type ArticleRow, type ChunkInsert } from './knowledge.repository.js';
import { isPdf, MAX_OCR_PAGES, ocrUnavailable, pdfPagesWithImages } from './ocr/ocr.engine.js';
import { OcrRepository } from './ocr/ocr.repository.js';
import { assertWithinLimit } from '../accounts/accounts.limits.js';

export interface UploadInput {
  buffer: Buffer;
  fileName: string;
  mimeType: string | undefined;
  published: boolean;
  category: string | null;
  /** Aborted when the client has gone: the parse is stopped and nothing is stored. */
  signal?: AbortSignal | undefined;
}

/**
 * The knowledge base: FAQ entries and documents, their edit history and their passages. Writes are
 * atomic — an article, its file and its passages appear together or not at all — and bump the
 * account's index version so every process's search index follows.
 */
export class KnowledgeService {
  readonly repo: KnowledgeRepository;
  private readonly ocr: OcrRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new KnowledgeRepository(ctx.db);
    this.ocr = new OcrRepository(ctx.db);
  }

  /** The sections entries are filed under (what the section picker suggests). */
  async sections(actor: Actor) {
    requirePermission(actor, 'knowledge.read');
    return { items: await this.repo.sections(actor.accountId) };
  }

  async list(actor: Actor, q: Omit<ArticleFilter, 'after'> & { cursor?: string | undefined }) {
    requirePermission(actor, 'knowledge.read');
    const rows = await this.repo.list(actor.accountId, { ...q, limit: q.limit + 1, after: q.cursor ? afterCursor(q.cursor) : undefined });
    const items = rows.slice(0, q.limit);
    return {
      items: items.map(toArticle),
      nextCursor: rows.length > q.limit ? encodeCursor(items.at(-1)!.updatedAt, items.at(-1)!.id) : null,
    };
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'knowledge.read');
    return toArticle(await this.row(actor.accountId, id));
  }

  async chunks(actor: Actor, id: string) {
    await this.get(actor, id);
    return { items: await this.repo.chunks(actor.accountId, id) };
  }

  /** What OCR read on each scanned page of a document, with its confidence and whether it needs review. */
  async ocrPages(actor: Actor, id: string) {
    await this.get(actor, id);
    const rows = await this.ocr.pages(this.ctx.db, actor.accountId, id);
    return {
      items: rows.map((r) => ({
        page: r.page,
        status: r.recognisedAt ? ('read' as const) : ('waiting' as const),
        confidence: r.confidence,
        needsReview: r.needsReview,
        text: r.text,
      })),
    };
  }

  async versions(actor: Actor, id: string) {
    await this.get(actor, id);
    const rows = await this.repo.versions(actor.accountId, id);
    return {
      items: rows.map((v) => ({ version: v.version, snapshot: v.snapshot, editedBy: v.editedBy, createdAt: v.createdAt.toISOString() })),
    };
  }

  async createFaq(actor: Actor, input: CreateFaqRequest) {
    requirePermission(actor, 'knowledge.manage');
    return transaction(this.ctx.pool, async (tx) => toArticle(await this.insertFaq(tx, actor, input)));
  }

  /** Bulk FAQ import from CSV/XLSX: valid rows are created together; invalid ones are reported by row. */
  async importFaq(actor: Actor, file: { buffer: Buffer; fileName: string; signal?: AbortSignal | undefined }) {
    requirePermission(actor, 'knowledge.manage');
    const parsed = await readFaqImportInThread({ content: file.buffer, fileName: file.fileName }, { signal: file.signal }).catch(
      (err: unknown) => {
        throw asAppError(err);
      },
    );
    await transaction(this.ctx.pool, async (tx) => {
      // A spreadsheet's stray NUL or lone surrogate is cleaned rather than failing the whole import.
      for (const row of cleanDeep(parsed.rows)) {
        await this.insertFaq(tx, actor, { kind: 'faq', ...row, category: row.category ?? null, published: true }, { publish: false });
      }
      if (parsed.rows.length > 0) await this.changed(tx, actor.accountId);
      stillWanted(file.signal);
    });
    return { created: parsed.rows.length, errors: parsed.errors };
  }

  async uploadDocument(actor: Actor, input: UploadInput) {
    requirePermission(actor, 'knowledge.manage');
    await assertWithinLimit(this.ctx.db, actor.accountId, 'storageBytes', input.buffer.length);
    const draft = {
      id: crypto.randomUUID(),
      accountId: actor.accountId,
      kind: 'document' as const,
      question: null,
      answer: null,
      alternatives: [],
      fileName: input.fileName,
      mimeType: input.mimeType ?? null,
    };
    // Parsed and split (in the parse thread) before anything is written: a bad file leaves nothing behind.
    const { title, chunks, ocrPages: untexted } = await documentChunks(draft, input.buffer, { signal: input.signal });
    const ocrPages = untexted.length > 0 ? await scannedPages(input.buffer, untexted) : [];
    if (chunks.length === 0 && ocrPages.length === 0) {
      throw new AppError('empty_document', 'The document contains no text that could be indexed: its pages are blank.');
    }
    return transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.insert(tx, {
        ...draft,
        title,
        category: input.category,
        published: input.published,
        sizeBytes: input.buffer.length,
        createdBy: actor.userId,
      });
      await this.repo.saveFile(tx, actor.accountId, row.id, input.buffer);
      await this.repo.addVersion(tx, row, actor.userId);
      if (ocrPages.length > 0) {
        // A scan: indexed by `knowledge.ocr` once its pages are read, in the background.
        await this.ocr.plan(tx, actor.accountId, row.id, ocrPages);
        await this.ctx.queue.send(tx, 'knowledge.ocr', { accountId: actor.accountId, articleId: row.id });
        stillWanted(input.signal);
        return toArticle({ ...row, ocrPagesTotal: ocrPages.length });
      }
      const stored = toArticle(await this.storeChunks(tx, row, chunks));
      stillWanted(input.signal);
      return stored;
    });
  }

  async update(actor: Actor, id: string, patch: UpdateArticleRequest) {
    requirePermission(actor, 'knowledge.manage');
    return transaction(this.ctx.pool, async (tx) => {
      const current = await this.repo.lock(tx, actor.accountId, id);
      if (!current) throw notFound('Article');
      if (current.kind === 'document' && (patch.question !== undefined || patch.answer !== undefined || patch.alternatives !== undefined)) {
        throw new AppError('validation_failed', 'A document has no question or answer; upload a new file to change its text');
      }
      const title = patch.title ?? (current.kind === 'faq' && patch.question ? patch.question : undefined);
      let row = await this.repo.update(tx, actor.accountId, id, {
        ...patch,
        ...(title ? { title } : {}),
        version: current.version + 1,
      });
      await this.repo.addVersion(tx, row, actor.userId);
      if (row.kind === 'faq') row = await this.storeChunks(tx, row, faqChunks(row));
      else await this.changed(tx, actor.accountId);
      return toArticle(row);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'knowledge.manage');
    await transaction(this.ctx.pool, async (tx) => {
      if (!(await this.repo.delete(tx, actor.accountId, id))) throw notFound('Article');
      await this.changed(tx, actor.accountId);
    });
  }

  /** Re-indexes every article in the background (e.g. after a parser upgrade or an embedding model change). */
  async reindex(actor: Actor) {
    requirePermission(actor, 'knowledge.manage');
    await transaction(this.ctx.pool, async (tx) => {
      const ids = await this.repo.startReindex(tx, actor.accountId);
      for (const articleId of ids) await this.ctx.queue.send(tx, 'knowledge.index', { accountId: actor.accountId, articleId, run: true });
      await this.ctx.bus.publish(tx, actor.accountId, 'knowledge.updated', { reindex: { total: ids.length, done: 0 } });
    });
    return this.reindexStatus(actor);
  }

  async reindexStatus(actor: Actor) {
    requirePermission(actor, 'knowledge.read');
    const [state] = await this.repo.reindexState(actor.accountId);
    return toReindexStatus(state);
  }

  private async insertFaq(tx: Tx, actor: Actor, input: CreateFaqRequest, opts = { publish: true }): Promise<ArticleRow> {
    const row = await this.repo.insert(tx, {
      accountId: actor.accountId,
      kind: 'faq',
      title: input.question,
      question: input.question,
      answer: input.answer,
      alternatives: input.alternatives ?? [],
      category: input.category ?? null,
      published: input.published ?? true,
      createdBy: actor.userId,
    });
    await this.repo.addVersion(tx, row, actor.userId);
    return this.storeChunks(tx, row, faqChunks(row), opts);
  }

  /** Writes an article's passages; embeddings, when configured, follow in the `knowledge.index` job. */
  private async storeChunks(tx: Tx, row: ArticleRow, chunks: ChunkInsert[], opts = { publish: true }): Promise<ArticleRow> {
    await this.repo.replaceChunks(tx, row.accountId, row.id, chunks);
    const embed = await this.ctx.ai.embeddingsEnabled(row.accountId);
    const updated = await this.repo.update(tx, row.accountId, row.id, {
      chunkCount: chunks.length,
      indexStatus: embed ? 'pending' : 'ready',
      indexError: null,
    });
    if (embed) await this.ctx.queue.send(tx, 'knowledge.index', { accountId: row.accountId, articleId: row.id, run: false });
    if (opts.publish) await this.changed(tx, row.accountId);
    return updated;
  }

  private async changed(tx: Tx, accountId: string): Promise<void> {
    await this.repo.bumpIndexVersion(tx, accountId);
    tx.afterCommit(() => this.ctx.ai.forgetRouting(accountId));
    await this.ctx.bus.publish(tx, accountId, 'knowledge.updated', {});
  }

  private async row(accountId: string, id: string): Promise<ArticleRow> {
    const row = await this.repo.get(this.ctx.db, accountId, id);
    if (!row) throw notFound('Article');
    return row;
  }
}

/**
 * The pages OCR should read: of a PDF's pages without a text layer those with an image (the others are
 * blank); an image file is its one page. A scan is accepted only where OCR can read it, and only as many
 * pages as it reads in reasonable time.
 */
async function scannedPages(file: Buffer, untexted: number[]): Promise<number[]> {
  const unavailable = await ocrUnavailable();
  if (unavailable) {
    throw new AppError('ocr_unavailable', `This file is a scan, and scanned pages cannot be read on this server: ${unavailable}.`);
  }
  // Should poppler not list the images of an odd PDF, every page without text is read.
  const withImages = isPdf(file) ? await pdfPagesWithImages(file).catch(() => undefined) : undefined;
  const pages = withImages ? untexted.filter((page) => withImages.has(page)) : untexted;
  if (pages.length > MAX_OCR_PAGES) {
    throw new AppError(
      'document_too_large',
      `The file has ${pages.length} scanned pages; the limit is ${MAX_OCR_PAGES}. Split it into smaller files.`,
    );
  }
  return pages;
}

/** Called last inside a transaction: a client that gave up meanwhile gets nothing committed in its name. */
function stillWanted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('bad_request', 'The upload was cancelled');
}

function afterCursor(cursor: string) {
  const { at, id } = decodeCursor(cursor);
  return { updatedAt: at, id };
}
