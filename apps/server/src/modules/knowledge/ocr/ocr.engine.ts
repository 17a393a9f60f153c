import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * OCR of scanned pages with Debian's `tesseract-ocr` (Russian and English data) and poppler's `pdftoppm`
 * to rasterise a PDF page. Both run as child processes with a deadline, so a hostile scan costs at most
 * one page's time and never the server's memory.
 */

const run = promisify(execFile);

/** A page whose words average below this confidence (0–100) is flagged for a person to review. */
export const OCR_LOW_CONFIDENCE = 70;
/** A scan of more pages is refused: split it (a 300-page scan takes most of an hour on two cores). */
export const MAX_OCR_PAGES = 300;
const PAGE_TIMEOUT_MS = 120_000;
/** Long side of a rasterised page in pixels: ~300 dpi for A4, bounded for odd page sizes. */
const MAX_PAGE_PIXELS = 3500;

export interface RecognisedPage {
  text: string;
  /** Mean word confidence 0–100, weighted by word length; null when no word was found. */
  confidence: number | null;
}

let available: Promise<string | null> | undefined;

/**
 * Why OCR cannot run here, or null when it can: `tesseract` with Russian and English data and `pdftoppm`
 * must be installed (`apt-get install tesseract-ocr tesseract-ocr-rus poppler-utils`). Checked once.
 */
export function ocrUnavailable(): Promise<string | null> {
  available ??= (async () => {
    try {
      const { stdout } = await run('tesseract', ['--list-langs'], { timeout: 10_000 });
      const langs = new Set(stdout.split('\n').map((l) => l.trim()));
      if (!langs.has('rus') || !langs.has('eng')) return 'tesseract-ocr has no Russian or English data (install tesseract-ocr-rus)';
    } catch {
      return 'tesseract-ocr is not installed';
    }
    try {
      await run('pdftoppm', ['-v'], { timeout: 10_000 });
    } catch {
      return 'poppler-utils (pdftoppm) is not installed';
    }
    return null;
  })();
  return available;
}

/**
 * Which pages of a PDF hold an image (`pdfimages -list`, nothing decoded): a page with neither text nor
 * image is blank, not a scan, and is not worth OCR.
 */
export const isPdf = (file: Buffer) => file.subarray(0, 1024).includes('%PDF-');

export async function pdfPagesWithImages(pdf: Buffer): Promise<Set<number>> {
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-pdf-'));
  try {
    const file = path.join(dir, 'document.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdfimages', ['-list', file], { timeout: PAGE_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
    // Two header lines, then "page num type width height …" per image.
    return new Set(
      stdout
        .split('\n')
        .slice(2)
        .map((line) => Number(line.trim().split(/\s+/)[0]))
        .filter((page) => Number.isInteger(page) && page > 0),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads one page: a PDF page is rasterised first (`pdftoppm`), an image file is read as it is.
 * @param workDir a private temporary directory for the page image.
 */
export async function recognisePage(
  file: { path: string; format: 'pdf' | 'image' },
  page: number,
  workDir: string,
  signal?: AbortSignal,
): Promise<RecognisedPage> {
  let image = file.path;
  if (file.format === 'pdf') {
    const base = path.join(workDir, `page-${page}`);
    const args = ['-png', '-r', '300', '-scale-to', String(MAX_PAGE_PIXELS), '-f', String(page), '-l', String(page), '-singlefile'];
    await run('pdftoppm', [...args, file.path, base], { timeout: PAGE_TIMEOUT_MS, signal });
    image = `${base}.png`;
  }
  const { stdout } = await run('tesseract', [image, 'stdout', '-l', 'rus+eng', '--psm', '3', 'tsv'], {
    timeout: PAGE_TIMEOUT_MS,
    signal,
    maxBuffer: 64 * 1024 * 1024,
    // One thread per page: the other core serves the inbox.
    env: { ...process.env, OMP_THREAD_LIMIT: '1' },
  });
  return fromTsv(stdout);
}

/**
 * Tesseract's TSV (level, page, block, paragraph, line, word, box, conf, text) as text: words of a line
 * joined by spaces, lines by a newline, paragraphs by a blank line; the confidence of the words.
 */
export function fromTsv(tsv: string): RecognisedPage {
  // Maps keep insertion order: paragraphs and lines come out in reading order.
  const paragraphs = new Map<string, Map<string, string[]>>();
  let weighted = 0;
  let weight = 0;
  for (const row of tsv.split('\n').slice(1)) {
    const cols = row.split('\t');
    if (cols.length < 12 || cols[0] !== '5') continue;
    const word = (cols[11] ?? '').trim();
    const conf = Number(cols[10]);
    if (!word || !Number.isFinite(conf) || conf < 0) continue;
    const paragraphKey = cols.slice(1, 4).join('.');
    const paragraph = paragraphs.get(paragraphKey) ?? new Map<string, string[]>();
    paragraphs.set(paragraphKey, paragraph);
    const line = paragraph.get(cols[4] ?? '') ?? [];
    paragraph.set(cols[4] ?? '', line);
    line.push(word);
    weighted += conf * word.length;
    weight += word.length;
  }
  const text = [...paragraphs.values()].map((p) => [...p.values()].map((words) => words.join(' ')).join('\n')).join('\n\n');
  return { text, confidence: weight > 0 ? Math.round((weighted / weight) * 10) / 10 : null };
}
