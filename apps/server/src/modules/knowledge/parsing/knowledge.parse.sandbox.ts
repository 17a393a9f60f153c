import { ThreadPool, ThreadStopped, type TaskLimits } from '../../../platform/threads.js';
import type { FaqImport } from './knowledge.faq-import.js';
import { DocumentParseError, type DocumentParseErrorCode } from './parse.errors.js';

/** A document read into passages, each with its detected language, ready to be stored. */
export interface ReadDocument {
  title: string;
  chunks: { ordinal: number; headingPath: string[]; text: string; language: string }[];
  /** Pages without a text layer (see ParsedDocument.ocrPages): with no `ocrTexts` given, their text is missing. */
  ocrPages: number[];
}

export type ParseTask =
  | { kind: 'document'; content: Uint8Array; fileName: string; mimeType: string | undefined; ocrTexts?: Record<number, string> }
  | { kind: 'faq-import'; content: Uint8Array; fileName: string };

export type ParseAnswer = { ok: true; value: ReadDocument | FaqImport } | { ok: false; code: DocumentParseErrorCode; message: string };

/**
 * Hard limits of one parse: a real 20 MB handbook reads in a few seconds and well under 200 MB of heap.
 * Past them the parse thread is terminated, however deep inside a library it is.
 */
export const PARSE_TIMEOUT_MS = 30_000;
const MAX_HEAP_MB = 512;

// Two files at a time per process (each may use its whole heap); a few more wait their turn (their clients
// may give up: they then leave the line), and past that an upload is turned away rather than holding its
// 20 MB in a long line.
const parsing = new ThreadPool<ParseTask, ParseAnswer>(new URL('./knowledge.parse.thread.ts', import.meta.url), {
  size: 2,
  queue: 20,
  maxHeapMb: MAX_HEAP_MB,
});

export type SandboxOptions = Partial<TaskLimits>;

/** Reads a document into passages in the parse thread. @throws DocumentParseError; ThreadStopped when cancelled; ThreadPoolFull. */
export function readDocumentInThread(
  file: { content: Buffer; fileName: string; mimeType: string | undefined; ocrTexts?: Record<number, string> },
  opts: SandboxOptions = {},
) {
  return inThread({ kind: 'document', ...file }, opts) as Promise<ReadDocument>;
}

/** Reads FAQ rows from a CSV or XLSX file in the parse thread; throws like {@link readDocumentInThread}. */
export function readFaqImportInThread(file: { content: Buffer; fileName: string }, opts: SandboxOptions = {}) {
  return inThread({ kind: 'faq-import', ...file }, opts) as Promise<FaqImport>;
}

async function inThread(task: ParseTask, opts: SandboxOptions): Promise<ReadDocument | FaqImport> {
  const timeoutMs = opts.timeoutMs ?? PARSE_TIMEOUT_MS;
  let answer: ParseAnswer;
  try {
    answer = await parsing.run(task, { timeoutMs, signal: opts.signal });
  } catch (err) {
    if (err instanceof ThreadStopped && (err.reason === 'timeout' || err.reason === 'out_of_memory')) {
      const why = err.reason === 'timeout' ? `took longer than ${timeoutMs / 1000} s` : `needed more than ${MAX_HEAP_MB} MB of memory`;
      throw new DocumentParseError('document_too_complex', `Reading the file ${why}; it may be damaged or unusually complex.`);
    }
    throw err;
  }
  if (!answer.ok) throw new DocumentParseError(answer.code, answer.message);
  return answer.value;
}
