import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument } from 'pdf-lib';

/** Scans made by the tests themselves: a Russian page drawn into a PDF, rasterised by poppler as a scanner would. */

const run = promisify(execFile);
const FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

export const WARRANTY = [
  'Гарантия на кофемашины',
  'Гарантийный срок на кофемашины составляет',
  'двадцать четыре месяца с даты покупки.',
  'Ремонт по гарантии выполняет наш сервисный',
  'центр в течение десяти рабочих дней.',
];
export const DELIVERY = ['Доставка по городу', 'Курьер привозит заказ на следующий день', 'после оплаты, с девяти утра до девяти вечера.'];

let dir: string | undefined;
const workDir = async () => (dir ??= await mkdtemp(path.join(tmpdir(), 'scans-')));

/** Removes the rasterised pages. */
export async function removeScans(): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
}

/** A PDF with a real text layer: each page's lines drawn in a Cyrillic font. */
export async function textPdf(pages: string[][]): Promise<Buffer> {
  const doc = await PDFDocument.create();
  doc.registerFontkit(fontkit);
  const font = await doc.embedFont(await readFile(FONT));
  for (const lines of pages) {
    const page = doc.addPage([595, 842]);
    lines.forEach((line, i) => page.drawText(line, { x: 50, y: 760 - i * 30, size: i === 0 ? 20 : 15, font }));
  }
  return Buffer.from(await doc.save());
}

/** Rasterises page 1 of a PDF as a scanner would: a PNG at the given resolution, no text layer. */
export async function scan(pdf: Buffer, dpi: number, name: string): Promise<Buffer> {
  const input = path.join(await workDir(), `${name}.pdf`);
  await writeFile(input, pdf);
  await run('pdftoppm', ['-png', '-r', String(dpi), '-singlefile', input, path.join(await workDir(), name)]);
  return readFile(path.join(await workDir(), `${name}.png`));
}

/** A PDF whose pages are images (a scanner's output), optionally after pages with a text layer. */
export async function scannedPdf(images: Buffer[], textPages: string[][] = []): Promise<Buffer> {
  const doc = textPages.length > 0 ? await PDFDocument.load(await textPdf(textPages)) : await PDFDocument.create();
  for (const png of images) {
    const image = await doc.embedPng(png);
    doc.addPage([595, 842]).drawImage(image, { x: 0, y: 0, width: 595, height: 842 });
  }
  return Buffer.from(await doc.save());
}
