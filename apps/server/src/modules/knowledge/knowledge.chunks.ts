import { detectLanguage } from '../ai/text/text.language.js';
import { AppError } from '../../platform/http/errors.js';
import { chunkDocument } from './parsing/knowledge.chunk.js';
import { DocumentParseError, parseDocument } from './parsing/knowledge.parse.js';
import type { ArticleRow, ChunkInsert } from './knowledge.repository.js';

export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

type ChunkSource = Pick<ArticleRow, 'id' | 'accountId' | 'kind' | 'question' | 'answer' | 'alternatives' | 'fileName' | 'mimeType'>;

const language = (text: string) => {
  const lang = detectLanguage(text);
  return lang === 'other' ? 'und' : lang;
};

/** An FAQ is one passage: its question and phrasings are searched like a title, the answer is quoted. */
export function faqChunks(a: ChunkSource): ChunkInsert[] {
  const title = [a.question ?? '', ...a.alternatives].join('\n');
  const text = a.answer ?? '';
  return [{ accountId: a.accountId, articleId: a.id, ordinal: 0, headingPath: [], title, text, language: language(`${title} ${text}`) }];
}

/** A document's passages: parsed, split by headings with overlap; the heading path is searchable too. */
export async function documentChunks(a: ChunkSource, content: Buffer): Promise<{ title: string; chunks: ChunkInsert[] }> {
  const parsed = await parseUpload(content, a.fileName ?? 'document', a.mimeType ?? undefined);
  const pieces = chunkDocument(parsed);
  if (pieces.length === 0) throw new AppError('empty_document', 'The document contains no text that could be indexed.');
  const chunks = pieces.map((p) => ({
    accountId: a.accountId,
    articleId: a.id,
    ordinal: p.ordinal,
    headingPath: p.headingPath,
    title: p.headingPath.join(' / '),
    text: p.text,
    language: language(p.text),
  }));
  return { title: parsed.title, chunks };
}

/** Parses an upload, turning a parser's refusal into the API's error with the reason. */
export async function parseUpload(buffer: Buffer, fileName: string, mimeType: string | undefined) {
  try {
    return await parseDocument({ buffer, fileName, ...(mimeType ? { mimeType } : {}) });
  } catch (err) {
    throw asAppError(err);
  }
}

export function asAppError(err: unknown): unknown {
  if (!(err instanceof DocumentParseError)) return err;
  if (err.code === 'too_large') return new AppError('payload_too_large', err.message);
  return new AppError(err.code, err.message);
}
