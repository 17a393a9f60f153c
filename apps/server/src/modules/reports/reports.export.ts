import { createRequire } from 'node:module';
import { PassThrough, type Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import type { ConversationReport } from '@switchboard/shared';
import { formatDuration, labels, summaryRows, type Lang } from './reports.labels.js';

const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The tables every format shows, in the reader's language. */
function tables(r: ConversationReport, lang: Lang) {
  const t = labels(lang);
  return [
    { name: t.summary, header: [t.metric, t.value, t.previous, t.change], rows: summaryRows(r, lang) },
    {
      name: t.series,
      header: [t.periodCol, t.metrics.messagesIn, t.metrics.messagesOut, t.metrics.conversations, t.metrics.resolved],
      rows: r.series.map((p) => [p.period, p.messagesIn, p.messagesOut, p.conversations, p.resolved]),
    },
    {
      name: t.channels,
      header: [
        t.channel,
        t.metrics.conversations,
        t.metrics.resolved,
        t.metrics.messagesIn,
        t.metrics.operatorReplies,
        t.metrics.firstResponseMedian,
        t.metrics.resolutionMedian,
        t.metrics.botResolutionRate,
        t.metrics.handoverRate,
      ],
      rows: r.channels.map((c) => [
        c.channelName,
        c.conversations,
        c.resolved,
        c.messagesIn,
        c.operatorReplies,
        formatDuration(c.firstResponseMedian, lang),
        formatDuration(c.resolutionMedian, lang),
        c.botResolutionRate === null ? '—' : `${(c.botResolutionRate * 100).toFixed(1)}%`,
        c.handoverRate === null ? '—' : `${(c.handoverRate * 100).toFixed(1)}%`,
      ]),
    },
    {
      name: t.operators,
      header: [
        t.operator,
        t.metrics.conversations,
        t.replies,
        t.metrics.resolved,
        t.metrics.firstResponseMedian,
        t.metrics.resolutionMedian,
        t.csat,
      ],
      rows: r.operators.map((o) => [
        o.name,
        o.conversations,
        o.replies,
        o.resolved,
        formatDuration(o.firstResponseMedian, lang),
        formatDuration(o.resolutionMedian, lang),
        o.csat === null ? '—' : o.csat.toFixed(2),
      ]),
    },
  ] as { name: string; header: string[]; rows: (string | number)[][] }[];
}

const periodLine = (r: ConversationReport, lang: Lang) => {
  const t = labels(lang);
  return `${t.period}: ${r.from} — ${r.to} · ${t.previous}: ${r.previous.from} — ${r.previous.to} · ${t.timeZone}: ${r.timeZone}${r.businessHours ? ` · ${t.businessHours}` : ''}`;
};

/** Sections one after another, each with its title and header row (UTF-8 with a BOM for spreadsheet apps). */
export function reportCsv(r: ConversationReport, lang: Lang): Readable {
  const out = stringify({ bom: true });
  out.write([labels(lang).title]);
  out.write([periodLine(r, lang)]);
  for (const table of tables(r, lang)) {
    out.write([]);
    out.write([table.name]);
    out.write(table.header);
    for (const row of table.rows) out.write(row);
  }
  out.end();
  return out;
}

/** One sheet per table, written as a stream (rows are committed as they go). */
export async function reportXlsx(r: ConversationReport, lang: Lang): Promise<Readable> {
  const { default: ExcelJS } = await import('exceljs'); // large: loaded when a report is first exported
  const stream = new PassThrough();
  const book = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true });
  book.creator = 'Switchboard';
  void (async () => {
    for (const table of tables(r, lang)) {
      const sheet = book.addWorksheet(table.name.slice(0, 31));
      sheet.addRow([periodLine(r, lang)]).commit();
      const head = sheet.addRow(table.header);
      head.font = { bold: true };
      head.commit();
      for (const row of table.rows) sheet.addRow(row).commit();
      sheet.columns.forEach((c, i) => (c.width = i === 0 ? 34 : 18));
      sheet.commit();
    }
    await book.commit();
  })().catch((err: unknown) => stream.destroy(err as Error));
  return stream;
}

/** A4 document with the DejaVu font (Cyrillic), the summary, a vector bar chart and the tables. */
export async function reportPdf(r: ConversationReport, lang: Lang): Promise<Readable> {
  const { default: PDFDocument } = await import('pdfkit'); // loaded when a report is first exported
  const t = labels(lang);
  const doc = new PDFDocument({ size: 'A4', margin: 40, info: { Title: t.title, Creator: 'Switchboard' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  doc.font('bold').fontSize(18).text(t.title);
  doc.font('body').fontSize(9).fillColor('#555').text(periodLine(r, lang)).fillColor('black').moveDown();
  const [summary, , channels, operators] = tables(r, lang);
  drawTable(doc, summary!, [220, 100, 100, 95]);
  doc.moveDown();
  drawChart(doc, r, lang);
  doc.moveDown();
  for (const table of [channels!, operators!]) {
    if (doc.y > 680) doc.addPage();
    doc.font('bold').fontSize(12).text(table.name).moveDown(0.3);
    if (table.rows.length === 0) doc.font('body').fontSize(9).text(t.none).moveDown();
    else drawTable(doc, table, table.header.length > 7 ? [103, 50, 50, 50, 50, 55, 55, 51, 51] : [135, 60, 60, 60, 70, 70, 60]);
    doc.moveDown();
  }
  doc.end();
  return doc;
}

function drawTable(doc: PDFKit.PDFDocument, table: { header: string[]; rows: (string | number)[][] }, widths: number[]): void {
  const left = doc.page.margins.left;
  const row = (cells: (string | number)[], bold: boolean) => {
    const height =
      Math.max(
        ...cells.map((c, i) =>
          doc
            .font(bold ? 'bold' : 'body')
            .fontSize(8)
            .heightOfString(String(c), { width: widths[i]! - 6 }),
        ),
      ) + 6;
    if (doc.y + height > doc.page.height - doc.page.margins.bottom) doc.addPage();
    const y = doc.y;
    let x = left;
    cells.forEach((c, i) => {
      doc.text(String(c), x + 3, y + 3, { width: widths[i]! - 6 });
      x += widths[i]!;
    });
    doc
      .moveTo(left, y + height)
      .lineTo(x, y + height)
      .lineWidth(0.5)
      .strokeColor('#ccc')
      .stroke();
    doc.x = left;
    doc.y = y + height;
  };
  row(table.header, true);
  for (const r of table.rows) row(r, false);
  doc.font('body');
}

/** Bars of messages in and out per period, drawn as vector paths (not an image). */
function drawChart(doc: PDFKit.PDFDocument, r: ConversationReport, lang: Lang): void {
  const t = labels(lang);
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  const height = 140;
  if (doc.y + height + 40 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.font('bold').fontSize(12).text(t.chart).moveDown(0.3);
  const top = doc.y;
  const max = Math.max(1, ...r.series.map((p) => Math.max(p.messagesIn, p.messagesOut)));
  const n = Math.max(1, r.series.length);
  const slot = width / n;
  const bar = Math.max(1, (slot - 2) / 2);
  doc
    .moveTo(left, top + height)
    .lineTo(left + width, top + height)
    .lineWidth(0.5)
    .strokeColor('#888')
    .stroke();
  r.series.forEach((p, i) => {
    const x = left + i * slot + 1;
    const hIn = (p.messagesIn / max) * height;
    const hOut = (p.messagesOut / max) * height;
    doc.rect(x, top + height - hIn, bar, hIn).fill('#228be6');
    doc.rect(x + bar, top + height - hOut, bar, hOut).fill('#40c057');
  });
  doc.fillColor('black').font('body').fontSize(7);
  const step = Math.ceil(n / 8);
  r.series.forEach((p, i) => {
    if (i % step === 0) doc.text(p.period, left + i * slot, top + height + 3, { width: 60, lineBreak: false });
  });
  doc.text(String(max), left - 30, top - 3, { width: 26, align: 'right', lineBreak: false });
  const legendY = top + height + 14;
  doc.rect(left, legendY, 8, 8).fill('#228be6');
  doc.fillColor('black').text(t.in, left + 12, legendY, { lineBreak: false });
  doc.rect(left + 90, legendY, 8, 8).fill('#40c057');
  doc.fillColor('black').text(t.out, left + 102, legendY, { lineBreak: false });
  doc.x = left;
  doc.y = legendY + 16;
}
