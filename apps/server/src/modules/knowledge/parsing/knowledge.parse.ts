import { detectFormat } from './parse.detect.js';
import { docxToHtml } from './parse.docx.js';
import { DocumentParseError, corruptFile, emptyDocument, tooComplex, tooLarge } from './parse.errors.js';
import { htmlBlocks } from './parse.html.js';
import { markdownBlocks } from './parse.markdown.js';
import { pdfPageTexts } from './parse.pdf.js';
import { foldIntoSections } from './parse.sections.js';
import { cleanLine, decodeText, looksBinary, plainTextBlocks, reflow } from './parse.text.js';
import type { DocumentFormat, ParsedDocument, ParsedSection } from './parse.types.js';

export { DocumentParseError, type DocumentParseErrorCode } from './parse.errors.js';
export type { DocumentFormat, ParsedDocument, ParsedSection } from './parse.types.js';

export const DEFAULT_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;
const MAX_TITLE_LENGTH = 300;

export interface DocumentUpload {
  buffer: Buffer;
  fileName: string;
  mimeType?: string;
}

export interface ParseLimits {
  /** Larger files are refused with `too_large`; 20 MiB unless given. */
  maxBytes?: number;
  /**
   * Recognised text of the pages without a text layer, by page number (from OCR). Without it such pages
   * are listed in `ocrPages` and a document made only of them is returned with no sections.
   */
  ocrTexts?: Record<number, string>;
}

const LABEL: Record<DocumentFormat, string> = {
  pdf: 'PDF file',
  docx: 'Word document',
  html: 'HTML file',
  md: 'Markdown file',
  txt: 'text file',
  image: 'image',
};

/** A PDF page with fewer letters than this has no real text layer (a scan, maybe with a stray page number). */
const MIN_TEXT_LAYER_LETTERS = 16;
const letters = (text: string) => (text.match(/\p{L}/gu) ?? []).length;

/**
 * Reads an uploaded file into a title and heading-aware sections of plain text.
 * The format is decided by content first (PDF, DOCX), then by extension, then by MIME type.
 *
 * Synchronous and memory-hungry on hostile input: call it in the parse thread (knowledge.parse.sandbox.ts),
 * whose deadline and heap limit stop what the checks here (nesting, inflated size) do not catch.
 *
 * @throws DocumentParseError with code `too_large`, `unsupported_type`, `corrupt_file`, `empty_document`,
 *   `document_too_complex` or `document_too_large`; its message can be shown to the person who uploaded the
 *   file. No other error escapes.
 */
export async function parseDocument(upload: DocumentUpload, limits: ParseLimits = {}): Promise<ParsedDocument> {
  const { buffer, fileName, mimeType } = upload;
  const maxBytes = limits.maxBytes ?? DEFAULT_MAX_DOCUMENT_BYTES;
  if (buffer.length > maxBytes) throw tooLarge(buffer.length, maxBytes);
  if (buffer.length === 0) throw emptyDocument('The file is empty.');
  const format = detectFormat(buffer, fileName, mimeType);
  try {
    const { title, sections, ocrPages = [], pageCount = 0 } = await readSections(format, buffer, limits.ocrTexts);
    const nonEmpty = sections.filter((s) => s.text.trim() !== '');
    const awaitingOcr = ocrPages.length > 0 && !limits.ocrTexts;
    if (nonEmpty.length === 0 && !awaitingOcr)
      throw emptyDocument(ocrPages.length > 0 ? 'No text was recognised on its pages.' : undefined);
    return { title: (title ?? titleFromFileName(fileName)).slice(0, MAX_TITLE_LENGTH), format, sections: nonEmpty, ocrPages, pageCount };
  } catch (err) {
    // Our own refusals pass through; a stack overflow or an impossible string length comes from the file's
    // shape (deep nesting, huge runs); anything else a library throws means the file was not what it claimed.
    if (err instanceof DocumentParseError) throw err;
    throw err instanceof RangeError
      ? tooComplex(LABEL[format], 'is nested too deeply or too long to read')
      : corruptFile(LABEL[format], err);
  }
}

interface ReadSections {
  title?: string;
  sections: ParsedSection[];
  ocrPages?: number[];
  pageCount?: number;
}

/** Recognised text of a scanned page: OCR keeps the scan's line breaks; its paragraphs are rejoined like a PDF's. */
const ocrText = (texts: Record<number, string>, page: number) =>
  (texts[page] ?? '')
    .split(/\n{2,}/)
    .map((block) => reflow(block.split('\n').map(cleanLine).filter(Boolean).join('\n')))
    .join('\n\n');

async function readSections(format: DocumentFormat, buffer: Buffer, ocrTexts: Record<number, string> = {}): Promise<ReadSections> {
  switch (format) {
    case 'pdf': {
      // The text layer first; a page without one is a scan, read from `ocrTexts` when OCR has run.
      const pages = await pdfPageTexts(buffer);
      const ocrPages = pages.flatMap((text, i) => (letters(text) < MIN_TEXT_LAYER_LETTERS ? [i + 1] : []));
      const texts = pages.map((text, i) => (ocrPages.includes(i + 1) ? ocrText(ocrTexts, i + 1) : text));
      return { sections: texts.map((text) => ({ headingPath: [], text })), ocrPages, pageCount: pages.length };
    }
    case 'image':
      return { sections: [{ headingPath: [], text: ocrText(ocrTexts, 1) }], ocrPages: [1], pageCount: 1 };
    case 'docx':
      return foldIntoSections(htmlBlocks(await docxToHtml(buffer)));
    case 'html':
      return foldIntoSections(htmlBlocks(readText(buffer, format)));
    case 'md':
      return foldIntoSections(markdownBlocks(readText(buffer, format)));
    case 'txt':
      return foldIntoSections(plainTextBlocks(readText(buffer, format)));
  }
}

function readText(buffer: Buffer, format: DocumentFormat): string {
  const text = decodeText(buffer);
  if (looksBinary(text)) throw new DocumentParseError('corrupt_file', `The ${LABEL[format]} contains binary data, not text.`);
  return text;
}

/** "C:\\fakepath\\Returns policy.v2.docx" → "Returns policy.v2". */
export function titleFromFileName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  return cleanLine(base.replace(/\.[^.]+$/, '').replace(/_/g, ' ')) || 'Untitled document';
}
