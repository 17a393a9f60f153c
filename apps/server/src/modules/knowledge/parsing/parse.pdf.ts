import { DocumentParseError, corruptFile } from './parse.errors.js';
import { assertPdfInflatesWithin } from './parse.pdf-streams.js';
import { cleanLine, reflow } from './parse.text.js';

/**
 * The text of each page, in order, with page numbers and running headers/footers removed.
 * PDFs carry no reliable heading structure, so nothing is inferred: pages are the only divisions.
 */
export async function pdfPageTexts(buffer: Buffer): Promise<string[]> {
  await assertPdfInflatesWithin(buffer);
  const pages = await extractPages(buffer);
  const lines = pages.map((text) => text.split('\n').map(cleanLine).filter(Boolean));
  const running = runningLines(lines);
  return lines.map((page) => reflow(page.filter((line, i) => !isPageFurniture(line, i, page.length, running)).join('\n')));
}

async function extractPages(buffer: Buffer): Promise<string[]> {
  // Loaded on first use: pdf.js is large and most processes never read a PDF.
  const { PDFParse } = await import('pdf-parse');
  // A copy: pdf.js may take ownership of the bytes it is given.
  const parser = new PDFParse({ data: new Uint8Array(buffer), verbosity: 0 });
  try {
    // No deadline here: the parse thread's own deadline terminates a PDF that takes too long.
    const result = await parser.getText();
    return result.pages.map((p) => p.text);
  } catch (err) {
    if (err instanceof DocumentParseError) throw err;
    if (err instanceof Error && err.name === 'PasswordException') {
      throw new DocumentParseError('unsupported_type', 'The PDF is password-protected. Remove the password and upload it again.', {
        cause: err,
      });
    }
    throw corruptFile('PDF file', err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

// "-- 1 of 3 --" (pdf-parse's own separator), "Page 2 of 9", "Стр. 3", "Страница 3 из 10", "4 / 12".
const PAGE_MARKER = /^(-- \d+ of \d+ --|(page|стр\.?|страница)\s*\d+(\s*(of|из|\/)\s*\d+)?|\d+\s*(of|из|\/)\s*\d+)$/i;
const EDGE_LINES = 2;

const digitsMasked = (line: string) => line.replace(/\d+/g, '#');

/** Lines that open or close most pages (a company name, a document title with its page number). */
function runningLines(pages: string[][]): Set<string> {
  if (pages.length < 3) return new Set();
  const seenOn = new Map<string, number>();
  for (const page of pages) {
    const edges = new Set([...page.slice(0, EDGE_LINES), ...page.slice(-EDGE_LINES)].map(digitsMasked));
    for (const line of edges) seenOn.set(line, (seenOn.get(line) ?? 0) + 1);
  }
  return new Set([...seenOn].filter(([, count]) => count >= Math.max(3, pages.length * 0.6)).map(([line]) => line));
}

function isPageFurniture(line: string, index: number, total: number, running: Set<string>): boolean {
  if (PAGE_MARKER.test(line)) return true;
  const atEdge = index < EDGE_LINES || index >= total - EDGE_LINES;
  return atEdge && (/^[-–—]?\s*\d{1,4}\s*[-–—]?$/.test(line) || running.has(digitsMasked(line)));
}
