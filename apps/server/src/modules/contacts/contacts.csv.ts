import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { ContactImportError } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError } from '../../platform/http/errors.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { applyAttributes } from './contacts.attributes.js';
import { contactSearchText, normaliseEmail, normalisePhone } from './contacts.normalise.js';
import { ContactsRepository } from './contacts.repository.js';

/** Columns every file may have; any other column must be the key of a contact field. */
const BASE_COLUMNS = ['name', 'phones', 'emails', 'notes', 'tags'] as const;
/** Export-only columns, ignored on import (a file exported from here imports back). */
const EXPORT_ONLY = ['id', 'channels', 'blocked', 'created_at', 'last_seen_at'];
const MAX_ROWS = 20_000;
const MAX_ERRORS = 100;
/** Several phones, e-mails or tags in one cell are separated by `;` or a line break. */
const splitList = (cell: string) =>
  cell
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * CSV import and export of contacts. An import is all or nothing: every row is checked first, and one bad
 * row refuses the whole file with 422 `invalid_import` listing each problem by line and column.
 */
export class ContactsCsv {
  private readonly repo: ContactsRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new ContactsRepository(ctx.db);
  }

  async import(actor: Actor, csv: string): Promise<{ imported: number }> {
    requirePermission(actor, 'contact.manage');
    const records = readRecords(csv);
    const header = records[0]!.record.map((h) => h.trim().toLowerCase());
    const defs = await this.repo.definitions(this.ctx.db, actor.accountId);
    const tagIds = await this.repo.tagsByName(this.ctx.db, actor.accountId);
    const errors: ContactImportError[] = [];
    const fail = (e: ContactImportError) => {
      if (errors.length < MAX_ERRORS) errors.push(e);
    };
    const keys = new Set(defs.map((d) => d.key));
    header.forEach((h) => {
      if (!h || (!(BASE_COLUMNS as readonly string[]).includes(h) && !EXPORT_ONLY.includes(h) && !keys.has(h))) {
        fail({
          line: 1,
          column: h || null,
          code: 'unknown_column',
          message: `Unknown column "${h}": use name, phones, emails, notes, tags or a contact field key`,
        });
      }
    });
    const rows: Parameters<ContactsRepository['insertMany']>[2] = [];
    const rowTags: string[][] = [];
    for (const { record, line } of records.slice(1)) {
      const cell = (col: string) => {
        const i = header.indexOf(col);
        return i >= 0 ? (record[i] ?? '').trim() : '';
      };
      const name = cell('name') || null;
      if (name && name.length > 200) fail({ line, column: 'name', code: 'too_long', message: 'The name is longer than 200 characters' });
      const phones: string[] = [];
      for (const p of splitList(cell('phones'))) {
        const n = normalisePhone(p);
        if (n) phones.push(n);
        else fail({ line, column: 'phones', code: 'invalid_phone', message: `"${p}" is not a phone number` });
      }
      const emails: string[] = [];
      for (const e of splitList(cell('emails'))) {
        const n = normaliseEmail(e);
        if (n) emails.push(n);
        else fail({ line, column: 'emails', code: 'invalid_email', message: `"${e}" is not an e-mail address` });
      }
      const tags: string[] = [];
      for (const t of splitList(cell('tags'))) {
        const id = tagIds.get(t.toLowerCase());
        if (id) tags.push(id);
        else fail({ line, column: 'tags', code: 'unknown_tag', message: `There is no tag "${t}"` });
      }
      const notes = cell('notes') || null;
      if (notes && notes.length > 10_000)
        fail({ line, column: 'notes', code: 'too_long', message: 'The notes are longer than 10,000 characters' });
      const attrs: Record<string, string> = {};
      for (const d of defs) if (header.includes(d.key)) attrs[d.key] = cell(d.key);
      const applied = applyAttributes(defs, {}, attrs);
      for (const p of applied.problems) fail({ line, column: p.key, code: p.code, message: p.message });
      if (!name && !phones.length && !emails.length) {
        fail({ line, column: null, code: 'empty', message: 'The row has no name, phone or e-mail' });
      }
      rows.push({
        name,
        phones: [...new Set(phones)],
        emails: [...new Set(emails)],
        notes,
        attributes: applied.values,
        searchText: contactSearchText({ name, phones, emails }),
      });
      rowTags.push([...new Set(tags)]);
    }
    if (errors.length) {
      throw new AppError(
        'invalid_import',
        `The file has ${errors.length === MAX_ERRORS ? 'at least ' : ''}${errors.length} problem(s); nothing was imported`,
        {
          errors,
        },
      );
    }
    await transaction(this.ctx.pool, async (tx) => {
      const ids = await this.repo.insertMany(tx, actor.accountId, rows);
      for (const [i, id] of ids.entries()) if (rowTags[i]!.length) await this.repo.setTags(tx, actor.accountId, id, rowTags[i]!);
      await recordAudit(tx.db, actor, 'contacts.imported', { targetType: 'contact', details: { count: ids.length } });
    });
    return { imported: rows.length };
  }

  /** Every contact of the account as CSV lines (header first), read in pages; the export is audited. */
  async *export(actor: Actor): AsyncGenerator<string> {
    requirePermission(actor, 'contact.manage');
    await recordAudit(this.ctx.db, actor, 'contacts.exported', { targetType: 'contact' });
    const defs = await this.repo.definitions(this.ctx.db, actor.accountId);
    yield '\ufeff' + stringify([[...EXPORT_ONLY.slice(0, 1), ...BASE_COLUMNS, ...defs.map((d) => d.key), ...EXPORT_ONLY.slice(1)]]);
    for await (const page of this.repo.exportPages(actor.accountId)) {
      const ids = page.map((c) => c.id);
      const [handles, tags] = await Promise.all([
        this.repo.handles(this.ctx.db, actor.accountId, ids),
        this.repo.tags(this.ctx.db, actor.accountId, ids),
      ]);
      yield stringify(
        page.map((c) => [
          c.id,
          c.name ?? '',
          c.phones.join('; '),
          c.emails.join('; '),
          c.notes ?? '',
          tags
            .filter((t) => t.contactId === c.id)
            .map((t) => t.name)
            .join('; '),
          ...defs.map((d) => formatValue(c.attributes[d.key])),
          handles
            .filter((h) => h.contactId === c.id)
            .map((h) => `${h.channelType}:${h.username ?? h.externalId}`)
            .join('; '),
          c.blockedAt ? 'yes' : '',
          c.createdAt.toISOString(),
          c.lastSeenAt?.toISOString() ?? '',
        ]),
      );
    }
  }
}

function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return typeof v === 'string' || typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** The file's records with the line each starts on; a malformed file is one `malformed_csv` problem. */
function readRecords(csv: string): { record: string[]; line: number }[] {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = (parse as (input: string, options: Record<string, unknown>) => unknown)(csv, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
      delimiter: detectDelimiter(csv),
    }) as typeof parsed;
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    throw new AppError('invalid_import', 'The file is not valid CSV; nothing was imported', {
      errors: [{ line: e.lines ?? 1, column: null, code: 'malformed_csv', message: e.message ?? 'malformed CSV' }],
    });
  }
  if (parsed.length < 2) {
    throw new AppError('invalid_import', 'The file has no contacts: a header row and at least one row are needed', {
      errors: [{ line: 1, column: null, code: 'empty', message: 'No rows after the header' }],
    });
  }
  if (parsed.length - 1 > MAX_ROWS) {
    throw new AppError('invalid_import', `At most ${MAX_ROWS} contacts per file`, {
      errors: [{ line: MAX_ROWS + 2, column: null, code: 'too_long', message: `At most ${MAX_ROWS} contacts per file` }],
    });
  }
  // `info.lines` is the line a record ends on; a record starts where the previous one ended (+1).
  let previousEnd = 0;
  return parsed.map((p) => {
    const line = previousEnd + 1;
    previousEnd = p.info.lines;
    return { record: p.record, line };
  });
}

/** Spreadsheets in Russian locales save CSV with `;`: take whichever of `,` and `;` the header uses more. */
function detectDelimiter(csv: string): string {
  const header = csv.slice(0, csv.indexOf('\n') === -1 ? csv.length : csv.indexOf('\n'));
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}
