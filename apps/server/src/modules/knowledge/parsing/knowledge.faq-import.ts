import { parse } from 'csv-parse/sync';
import { corruptFile, DocumentParseError } from './parse.errors.js';
import { decodeText } from './parse.text.js';
import { extensionOf } from './parse.detect.js';
import { assertSafeArchive, isZip } from './parse.zip.js';

export interface FaqImportRow {
  question: string;
  answer: string;
  alternatives: string[];
  category?: string;
}

export interface FaqImport {
  rows: FaqImportRow[];
  errors: { row: number; message: string }[];
}

const MAX_ROWS = 5000;
const COLUMNS = {
  question: ['question', 'вопрос'],
  answer: ['answer', 'ответ'],
  alternatives: ['alternatives', 'варианты', 'синонимы', 'phrasings', 'перефразировки'],
  category: ['category', 'категория', 'раздел'],
} as const;
type Column = keyof typeof COLUMNS;

/**
 * FAQ rows from a CSV (`,` `;` or tab; UTF-8 with or without BOM, or windows-1251) or the first sheet of
 * an XLSX. A header row names the columns in English or Russian; rows without a question or an answer
 * are reported by their 1-based row number (the header is row 1), not dropped silently.
 */
export async function parseFaqImport(file: { buffer: Buffer; fileName: string }): Promise<FaqImport> {
  const table = await readTable(file);
  const [header, ...body] = table;
  if (!header)
    throw new DocumentParseError('invalid_import', 'The file is empty: expected a header row with "question" and "answer" columns.');
  const index = columnIndex(header);
  if (body.length > MAX_ROWS)
    throw new DocumentParseError('too_large', `The file has ${body.length} rows; at most ${MAX_ROWS} can be imported at once.`);
  const rows: FaqImportRow[] = [];
  const errors: FaqImport['errors'] = [];
  body.forEach((cells, i) => {
    const cell = (c: Column) => (index[c] === undefined ? '' : (cells[index[c]] ?? '').trim());
    if (cells.every((c) => !c.trim())) return;
    const [question, answer] = [cell('question'), cell('answer')];
    if (!question || !answer) {
      errors.push({ row: i + 2, message: !question ? 'The question is empty' : 'The answer is empty' });
      return;
    }
    const alternatives = cell('alternatives')
      .split(/[|\n]/)
      .map((s) => s.trim())
      .filter(Boolean);
    const category = cell('category').slice(0, 100).trim(); // an entry's category is at most 100 characters
    rows.push({ question: question.slice(0, 1000), answer: answer.slice(0, 10_000), alternatives, ...(category ? { category } : {}) });
  });
  return { rows, errors };
}

/** The cells of a CSV, or of an XLSX's first sheet, read as the FAQ import reads them (also used by the evaluation set). */
export async function readTable(file: { buffer: Buffer; fileName: string }): Promise<string[][]> {
  return isZip(file.buffer) || extensionOf(file.fileName) === 'xlsx' ? readXlsx(file.buffer) : readCsv(file.buffer);
}

function columnIndex(header: string[]): Partial<Record<Column, number>> {
  const index: Partial<Record<Column, number>> = {};
  header.forEach((name, i) => {
    const key = name.trim().toLowerCase();
    for (const [column, names] of Object.entries(COLUMNS) as [Column, readonly string[]][]) if (names.includes(key)) index[column] ??= i;
  });
  const missing = (['question', 'answer'] as const).filter((c) => index[c] === undefined);
  if (missing.length > 0) {
    throw new DocumentParseError(
      'invalid_import',
      `The header row has no ${missing.join(' and ')} column (expected e.g. "question,answer" or "вопрос;ответ").`,
    );
  }
  return index;
}

function readCsv(buffer: Buffer): string[][] {
  const text = decodeText(buffer).replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [';', '\t', ','].map((d) => ({ d, n: firstLine.split(d).length })).sort((a, b) => b.n - a.n)[0]!.d;
  try {
    const table: string[][] = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: false });
    return table;
  } catch (err) {
    throw new DocumentParseError('invalid_import', `The CSV file could not be read: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err,
    });
  }
}

async function readXlsx(buffer: Buffer): Promise<string[][]> {
  assertSafeArchive(buffer, 'spreadsheet');
  const { default: ExcelJS } = await import('exceljs'); // loaded on first use: it is large
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  } catch (err) {
    throw corruptFile('spreadsheet', err);
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const rows: string[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const values: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (values[col - 1] = cell.text ?? ''));
    rows[n - 1] = values.map((v) => v ?? '');
  });
  return Array.from(rows, (r) => r ?? []);
}
