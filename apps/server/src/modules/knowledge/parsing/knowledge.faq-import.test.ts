import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseFaqImport } from './knowledge.faq-import.js';
import { DocumentParseError } from './parse.errors.js';

describe('parseFaqImport', () => {
  it('reads a semicolon CSV in windows-1251 with Russian headers and reports bad rows by number', async () => {
    const csv =
      'Вопрос;Ответ;Варианты;Категория\nЕсть доставка?;Да, по всей России.;доставляете|привезёте;Доставка\n;Ответ без вопроса;;\n';
    const bytes = Buffer.from(
      [...csv].map((ch) => {
        const code = ch.codePointAt(0)!;
        if (code < 128) return code;
        if (ch === 'ё') return 0xb8;
        if (ch === 'Ё') return 0xa8;
        return code - 0x350; // А..я → 0xC0..0xFF in windows-1251
      }),
    );
    const result = await parseFaqImport({ buffer: bytes, fileName: 'faq.csv' });
    expect(result.rows).toEqual([
      { question: 'Есть доставка?', answer: 'Да, по всей России.', alternatives: ['доставляете', 'привезёте'], category: 'Доставка' },
    ]);
    expect(result.errors).toEqual([{ row: 3, message: 'The question is empty' }]);
  });

  it('reads the first sheet of an XLSX', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('FAQ');
    ws.addRow(['question', 'answer', 'alternatives']);
    ws.addRow(['How to pay?', 'By card or cash.', 'payment\npay']);
    const buffer = Buffer.from(await wb.xlsx.writeBuffer());
    const result = await parseFaqImport({ buffer, fileName: 'faq.xlsx' });
    expect(result.rows).toEqual([{ question: 'How to pay?', answer: 'By card or cash.', alternatives: ['payment', 'pay'] }]);
  });

  it('names missing columns and refuses a damaged spreadsheet', async () => {
    const noColumns = parseFaqImport({ buffer: Buffer.from('a,b\n1,2\n'), fileName: 'x.csv' });
    await expect(noColumns).rejects.toMatchObject({ code: 'invalid_import' });
    await expect(noColumns).rejects.toThrow(/question and answer/);
    const broken = parseFaqImport({ buffer: Buffer.from('PK\u0003\u0004garbage'), fileName: 'x.xlsx' });
    await expect(broken).rejects.toBeInstanceOf(DocumentParseError);
    await expect(broken).rejects.toMatchObject({ code: 'corrupt_file' });
  });
});
