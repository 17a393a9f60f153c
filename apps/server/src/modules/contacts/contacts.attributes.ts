import type { AttributeDefinitionRow } from './contacts.repository.js';

export type AttributeProblem = { key: string; code: 'unknown_column' | 'invalid_value'; message: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * One custom field value checked against its definition and put in its stored form: text and link
 * strings, numbers, dates as YYYY-MM-DD, list values among the options, checkboxes as booleans. Text
 * input (CSV) is read too: "12,5" as a number, "да"/"yes"/"1" as a ticked box. Null and "" clear the field.
 */
export function readAttribute(def: AttributeDefinitionRow, raw: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  switch (def.type) {
    case 'text':
      return typeof raw === 'string' ? { ok: true, value: raw } : { ok: false, message: 'expected text' };
    case 'link': {
      if (typeof raw !== 'string') return { ok: false, message: 'expected a link' };
      try {
        const url = new URL(raw.trim());
        if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
        return { ok: true, value: url.toString() };
      } catch {
        return { ok: false, message: 'expected an http(s) link' };
      }
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim().replace(/\s/g, '').replace(',', '.')) : NaN;
      return Number.isFinite(n) ? { ok: true, value: n } : { ok: false, message: 'expected a number' };
    }
    case 'date': {
      if (typeof raw !== 'string') return { ok: false, message: 'expected a date (YYYY-MM-DD)' };
      let s = raw.trim();
      const ru = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(s); // 31.12.2026
      if (ru) s = `${ru[3]}-${ru[2]}-${ru[1]}`;
      const d = new Date(`${s}T00:00:00Z`);
      return DATE.test(s) && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
        ? { ok: true, value: s }
        : { ok: false, message: 'expected a date (YYYY-MM-DD)' };
    }
    case 'list': {
      const s = typeof raw === 'string' ? raw.trim() : '';
      const option = def.options.find((o) => o.toLowerCase() === s.toLowerCase());
      return option !== undefined ? { ok: true, value: option } : { ok: false, message: `expected one of: ${def.options.join(', ')}` };
    }
    case 'checkbox': {
      if (typeof raw === 'boolean') return { ok: true, value: raw };
      const s = typeof raw === 'string' || typeof raw === 'number' ? String(raw).trim().toLowerCase() : '';
      if (['1', 'true', 'yes', 'да', 'x', '+'].includes(s)) return { ok: true, value: true };
      if (['0', 'false', 'no', 'нет', '-'].includes(s)) return { ok: true, value: false };
      return { ok: false, message: 'expected yes or no' };
    }
  }
}

/** Applies `patch` to the current values; problems name the field. Null values remove the field. */
export function applyAttributes(
  defs: AttributeDefinitionRow[],
  current: Record<string, unknown>,
  patch: Record<string, unknown>,
): { values: Record<string, unknown>; problems: AttributeProblem[] } {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const values: Record<string, unknown> = { ...current };
  const problems: AttributeProblem[] = [];
  for (const [key, raw] of Object.entries(patch)) {
    const def = byKey.get(key);
    if (!def) {
      problems.push({ key, code: 'unknown_column', message: `"${key}" is not a contact field of this account` });
      continue;
    }
    const read = readAttribute(def, raw);
    if (!read.ok) problems.push({ key, code: 'invalid_value', message: `${def.label}: ${read.message}` });
    else if (read.value === null) delete values[key];
    else values[key] = read.value;
  }
  return { values, problems };
}
