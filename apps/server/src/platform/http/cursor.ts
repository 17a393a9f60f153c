import { AppError } from './errors.js';

/** Keyset cursor of a list ordered by (time, id): opaque to clients. */
export const encodeCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime())) throw new AppError('validation_failed', 'cursor is not valid');
  return { at: date, id };
}
