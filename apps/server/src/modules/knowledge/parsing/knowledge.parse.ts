import { detectFormat } from './parse.detect.js';
import { docxToHtml } from './parse.docx.js';
import { DocumentParseError, corruptFile, emptyDocument, tooComplex, tooLarge } from './parse.errors.js';
import { htmlBlocks } from './parse.html.js';
import { markdownBlocks } from './parse.markdown.js';
import { pdfPageTexts } from './parse.pdf.js';
import { foldIntoSections } from './parse.sections.js';
import { cleanLine, decodeText, looksBinary, plainTextBlocks } from './parse.text.js';
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
}

const LABEL: Record<DocumentFormat, string> = {
  pdf: 'PDF file',
  docx: 'Word document',
  html: 'HTML file',
  md: 'Markdown file',
  txt: 'text file',
};

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
    const { title, sections } = await readSections(format, buffer);
    const nonEmpty = sections.filter((s) => s.text.trim() !== '');
    if (nonEmpty.length === 0) throw emptyDocument(format === 'pdf' ? 'It may be a scan without a text layer.' : undefined);
    return { title: (title ?? titleFromFileName(fileName)).slice(0, MAX_TITLE_LENGTH), format, sections: nonEmpty };
  } catch (err) {
    // Our own refusals pass through; a stack overflow or an impossible string length comes from the file's
    // shape (deep nesting, huge runs); anything else a library throws means the file was not what it claimed.
    if (err instanceof DocumentParseError) throw err;
    throw err instanceof RangeError
      ? tooComplex(LABEL[format], 'is nested too deeply or too long to read')
      : corruptFile(LABEL[format], err);
  }
}

async function readSections(format: DocumentFormat, buffer: Buffer): Promise<{ title?: string; sections: ParsedSection[] }> {
  switch (format) {
    case 'pdf': {
      const pages = await pdfPageTexts(buffer);
      return { sections: pages.map((text) => ({ headingPath: [], text })) };
    }
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
