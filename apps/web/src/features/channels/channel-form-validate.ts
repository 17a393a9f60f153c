import { channelConfigSchemas, type ChannelType } from '@switchboard/shared';
import type { TFunction } from 'i18next';
import type { FieldSpec } from './channel-fields';
import { fieldOf, type FieldErrors } from './channel-form-values';

// The shared schemas bring zod with them: this module is only loaded with the add and edit dialogs.

/** The parts of a zod issue the messages need (structural, so the app needs no zod import of its own). */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  minimum?: number | bigint;
  maximum?: number | bigint;
  origin?: string;
  format?: string;
}

function issueMessage(t: TFunction, f: FieldSpec, issue: Issue): string {
  const missing = issue.input === undefined || issue.input === '';
  switch (issue.code) {
    case 'invalid_type':
      return missing ? t('channels.form.required') : f.invalid ? t(f.invalid) : issue.message;
    case 'too_small':
      if (issue.origin === 'number') return t('channels.form.min', { min: Number(issue.minimum) });
      if (missing || Number(issue.minimum) <= 1) return t('channels.form.required');
      return t('channels.form.tooShort', { min: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'number') return t('channels.form.max', { max: Number(issue.maximum) });
      if (issue.origin === 'array') return t('channels.form.tooMany', { max: Number(issue.maximum) });
      return t('channels.form.tooLong', { max: Number(issue.maximum) });
    default: {
      const bad = typeof issue.input === 'string' && f.kind === 'origins' ? ` (${issue.input})` : '';
      return f.invalid ? `${t(f.invalid)}${bad}` : issue.message;
    }
  }
}

/**
 * Checks the config with the type's shared schema (the same one the server uses) and maps each issue
 * to its field, in the user's language. `partial`: an edit, where only what is sent is checked.
 */
export function validateConfig(t: TFunction, type: ChannelType, fields: FieldSpec[], config: Record<string, unknown>, partial = false) {
  const schema = channelConfigSchemas[type];
  const result = partial ? schema.partial().safeParse(config) : schema.safeParse(config);
  const errors: FieldErrors = {};
  if (result.success) return errors;
  for (const issue of result.error.issues) {
    const f = fieldOf(fields, issue.path);
    // zod leaves the offending value out of its issues: take it from the config by the issue's path.
    const input = issue.path.reduce<unknown>(
      (o, k) => (o !== null && typeof o === 'object' ? (o as Record<PropertyKey, unknown>)[k] : undefined),
      config,
    );
    if (f && !errors[f.key]) errors[f.key] = issueMessage(t, f, { ...issue, input });
  }
  return errors;
}
