import { passageLanguage } from '../ai/text/text.language.js';
import { AppError } from '../../platform/http/errors.js';
import { cleanDeep } from '../../platform/text.js';
import { ThreadPoolFull, ThreadStopped } from '../../platform/threads.js';
import { DocumentParseError } from './parsing/knowledge.parse.js';
import { readDocumentInThread, type SandboxOptions } from './parsing/knowledge.parse.sandbox.js';
import type { ArticleRow, ChunkInsert } from './knowledge.repository.js';

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

type ChunkSource = Pick<ArticleRow, 'id' | 'accountId' | 'kind' | 'question' | 'answer' | 'alternatives' | 'fileName' | 'mimeType'>;

/** An FAQ is one passage: its question and phrasings are searched like a title, the answer is quoted. */
export function faqChunks(a: ChunkSource): ChunkInsert[] {
  const title = [a.question ?? '', ...a.alternatives].join('\n');
  const text = a.answer ?? '';
  return [
    { accountId: a.accountId, articleId: a.id, ordinal: 0, headingPath: [], title, text, language: passageLanguage(`${title} ${text}`) },
  ];
}

/**
 * A document's passages: parsed and split by headings with overlap in the parse thread (hostile files
 * cannot stall the event loop); the heading path is searchable too. Pages without a text layer are
 * listed in `ocrPages`; their text comes from `ocrTexts` once OCR has read them.
 * @throws AppError with the reason the file was refused.
 */
export async function documentChunks(
  a: ChunkSource,
  content: Buffer,
  opts: SandboxOptions & { ocrTexts?: Record<number, string> } = {},
): Promise<{ title: string; chunks: ChunkInsert[]; ocrPages: number[] }> {
  const { ocrTexts, ...limits } = opts;
  const file = { content, fileName: a.fileName ?? 'document', mimeType: a.mimeType ?? undefined, ...(ocrTexts ? { ocrTexts } : {}) };
  const read = await readDocumentInThread(file, limits).catch((err: unknown) => {
    throw asAppError(err);
  });
  const chunks = read.chunks.map((p) => ({ ...p, accountId: a.accountId, articleId: a.id, title: p.headingPath.join(' / ') }));
  // Extracted text may hold NULs or lone surrogates (PDF streams often do): cleaned so it can be stored.
  return { ...cleanDeep({ title: read.title, chunks }), ocrPages: read.ocrPages };
}

/** A parser's refusal as the API's error with the reason; a full parse queue or a cancelled parse likewise. */
export function asAppError(err: unknown): unknown {
  if (err instanceof ThreadPoolFull) {
    return new AppError('service_unavailable', 'Too many files are being read right now; try again shortly', undefined, {
      'retry-after': '10',
    });
  }
  if (err instanceof ThreadStopped && err.reason === 'aborted') return new AppError('bad_request', 'The upload was cancelled');
  if (!(err instanceof DocumentParseError)) return err;
  if (err.code === 'too_large') return new AppError('payload_too_large', err.message);
  return new AppError(err.code, err.message);
}
