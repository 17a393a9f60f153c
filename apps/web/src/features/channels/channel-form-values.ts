import type { Channel } from '@switchboard/shared';
import { ApiError } from '../../api/api-error';
import type { FieldSpec, FieldValue, FormValues } from './channel-fields';

export type FieldErrors = Record<string, string>;

const emptyValue = (f: FieldSpec): FieldValue => (f.kind === 'switch' ? false : f.kind === 'origins' ? [] : f.kind === 'number' ? '' : '');

function readPath(config: Record<string, unknown>, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), config);
}

function writePath(config: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = config;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  o[keys[keys.length - 1]!] = value;
}

/** A stored value as the field's control holds it (anything of the wrong shape is ignored). */
function fromConfig(f: FieldSpec, v: unknown): FieldValue | undefined {
  switch (f.kind) {
    case 'switch':
      return typeof v === 'boolean' ? v : undefined;
    case 'number':
      return typeof v === 'number' ? v : undefined;
    case 'origins':
      return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;
    case 'secret':
      return undefined; // never returned; empty means "keep"
    case 'text':
    case 'textarea':
    case 'select':
    case 'mode':
    case 'color':
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
  }
}

/** Initial values: the channel's current settings when editing, the defaults when creating. */
export function initialValues(fields: FieldSpec[], channel?: Channel): FormValues {
  const values: FormValues = {};
  for (const f of fields) {
    const stored = channel ? fromConfig(f, readPath(channel.config, f.key)) : undefined;
    values[f.key] = stored ?? f.initial ?? emptyValue(f);
  }
  return values;
}

export const isVisible = (f: FieldSpec, values: FormValues) => !f.visible || f.visible(values);

/** The config a form's values stand for; empty optional inputs are left out (the schema's default applies). */
export function buildConfig(fields: FieldSpec[], values: FormValues): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const f of fields) {
    if (!isVisible(f, values)) continue;
    const v = values[f.key];
    if (typeof v === 'string') {
      const s = f.kind === 'secret' ? v : v.trim();
      if (s.trim() !== '') writePath(config, f.key, f.kind === 'secret' ? s.trim() : s);
    } else if (v !== undefined) writePath(config, f.key, v);
  }
  return config;
}

/** The top-level fields each control writes to (`preChat.name` → `preChat`). */
const topKey = (path: string) => path.split('.')[0]!;

/**
 * What an edit changes: top-level settings whose value differs from the stored one, secrets that were
 * typed in (an empty secret keeps the stored one), and `null` for a setting that was set and is now
 * emptied (the server removes it). `cleared` names those fields.
 */
export function configPatch(
  fields: FieldSpec[],
  initial: FormValues,
  values: FormValues,
): { patch: Record<string, unknown>; cleared: string[] } {
  const before = buildConfig(fields, initial);
  const after = buildConfig(fields, values);
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(after)) if (JSON.stringify(v) !== JSON.stringify(before[k])) patch[k] = v;
  const cleared = fields
    .filter((f) => isVisible(f, values) && f.kind !== 'secret' && topKey(f.key) in before && !(topKey(f.key) in after))
    .map((f) => f.key);
  for (const key of cleared) patch[topKey(key)] = null;
  return { patch, cleared };
}

/** The field an issue path belongs to: the longest field key that is a prefix of it. */
export function fieldOf(fields: FieldSpec[], path: PropertyKey[]): FieldSpec | undefined {
  const dotted = path.filter((p) => typeof p === 'string').join('.');
  return fields
    .filter((f) => dotted === f.key || dotted.startsWith(`${f.key}.`) || f.key.startsWith(`${dotted}.`))
    .sort((a, b) => b.key.length - a.key.length)[0];
}

/** Field errors from a 400 `validation_failed` answer (`details: [{path: "/config/botToken", message}]`). */
export function serverFieldErrors(fields: FieldSpec[], error: unknown): FieldErrors {
  const errors: FieldErrors = {};
  if (!(error instanceof ApiError) || error.code !== 'validation_failed' || !Array.isArray(error.details)) return errors;
  for (const d of error.details as unknown[]) {
    if (typeof d !== 'object' || d === null) continue;
    const { path, message } = d as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string' || !path.startsWith('/config/')) continue;
    const f = fieldOf(fields, path.slice('/config/'.length).split('/'));
    if (f) errors[f.key] = message;
  }
  return errors;
}
