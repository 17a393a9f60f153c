/**
 * The parse thread: reads one uploaded document (or FAQ spreadsheet) and splits it into passages, off the
 * HTTP event loop. Run by knowledge.parse.sandbox.ts, which terminates it past its deadline or heap limit
 * (whatever it allocated goes with it) and starts a fresh one for the next file.
 */
import { serveThread } from '../../../platform/threads.js';
import { passageLanguage } from '../../ai/text/text.language.js';
import { chunkDocument } from './knowledge.chunk.js';
import { parseFaqImport } from './knowledge.faq-import.js';
import { DocumentParseError, parseDocument } from './knowledge.parse.js';
import { tooComplex } from './parse.errors.js';
import type { ParseAnswer, ParseTask, ReadDocument } from './knowledge.parse.sandbox.js';

/** 5,000 passages is a book of ~600,000 words; the 260 MB PDF that once blocked the server made 20,000. */
const MAX_CHUNKS = 5000;

async function readDocument(
  buffer: Buffer,
  fileName: string,
  mimeType: string | undefined,
  ocrTexts: Record<number, string> | undefined,
): Promise<ReadDocument> {
  const parsed = await parseDocument({ buffer, fileName, ...(mimeType ? { mimeType } : {}) }, ocrTexts ? { ocrTexts } : {});
  const pieces = chunkDocument(parsed);
  // Scanned pages not yet recognised: the passages come once OCR has read them.
  const awaitingOcr = parsed.ocrPages.length > 0 && !ocrTexts;
  if (pieces.length === 0 && !awaitingOcr)
    throw new DocumentParseError('empty_document', 'The document contains no text that could be indexed.');
  if (pieces.length > MAX_CHUNKS) {
    throw new DocumentParseError(
      'document_too_large',
      `The document splits into ${pieces.length} passages; the limit is ${MAX_CHUNKS}. Split it into smaller files.`,
    );
  }
  return {
    title: parsed.title,
    chunks: pieces.map((p) => ({ ordinal: p.ordinal, headingPath: p.headingPath, text: p.text, language: passageLanguage(p.text) })),
    ocrPages: parsed.ocrPages,
  };
}

serveThread(async (task: ParseTask): Promise<ParseAnswer> => {
  // A posted Buffer arrives as a plain Uint8Array: view it as a Buffer again without copying.
  const buffer = Buffer.from(task.content.buffer, task.content.byteOffset, task.content.byteLength);
  try {
    if (task.kind === 'faq-import') return { ok: true, value: await parseFaqImport({ buffer, fileName: task.fileName }) };
    return { ok: true, value: await readDocument(buffer, task.fileName, task.mimeType, task.ocrTexts) };
  } catch (err) {
    // A stack overflow or an impossible string length comes from the document's shape, not from a bug here.
    const refusal = err instanceof RangeError ? tooComplex('document', 'is too deeply structured or too long to read') : err;
    if (refusal instanceof DocumentParseError) return { ok: false, code: refusal.code, message: refusal.message };
    throw err;
  }
});
