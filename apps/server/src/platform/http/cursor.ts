import { AppError } from './errors.js';
import { isUuid } from '../ids.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const invalid = (): AppError => new AppError('invalid_cursor', 'cursor is not valid: pass the nextCursor of the previous page');

/** Keyset cursor of a list ordered by (time, id): opaque to clients. */
export const encodeCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

/** Decodes a cursor `encodeCursor` made; anything else (forged, truncated) is `invalid_cursor` (400). */
export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  // Only the exact form we write: a four-digit-year ISO time PostgreSQL can hold, and a uuid.
  if (rest.length || !at || !ISO.test(at) || !id || !isUuid(id)) throw invalid();
  const date = new Date(at);
  if (Number.isNaN(date.getTime()) || date.toISOString() !== at) throw invalid();
  return { at: date, id };
}

/** A numeric cursor (a sequence or bigserial id) as a positive safe integer; anything else is `invalid_cursor`. */
export function decodeSeqCursor(cursor: string): number {
  const n = /^\d{1,16}$/.test(cursor) ? Number(cursor) : NaN;
  if (!Number.isSafeInteger(n) || n <= 0) throw invalid();
  return n;
}
