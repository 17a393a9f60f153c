import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from './errors.js';
import { UPLOAD_LIMIT } from './server.js';
import { cleanText, isUnsafeText } from '../text.js';

export interface Upload {
  buffer: Buffer;
  fileName: string;
  mimeType: string | undefined;
  /** Plain form fields sent with the file. */
  fields: Record<string, string>;
}

/**
 * Reads the one file of a multipart request into memory (bounded by the multipart file limit).
 * A file over the limit is 413; a body cut short or malformed is 400.
 */
export async function readUpload(req: FastifyRequest): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data with a "file" field');
  const part = await req.file().catch(asUploadError);
  if (!part) throw new AppError('validation_failed', 'No file in the request: add a "file" field');
  const buffer = await part.toBuffer().catch(asUploadError);
  // @fastify/multipart misses a limit reached in the file's last chunk: the file arrives cut, not refused.
  if (part.file.truncated) throw new AppError('payload_too_large', `The file is larger than ${UPLOAD_LIMIT / 1024 / 1024} MB`);
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field' && typeof field.value === 'string') fields[name] = field.value;
  }
  if (buffer.length === 0) throw new AppError('validation_failed', 'The uploaded file is empty');
  // Form fields and the file name are request text like any JSON field (see the server's text guard).
  for (const [name, value] of Object.entries({ ...fields, fileName: part.filename })) {
    if (isUnsafeText(name) || isUnsafeText(value ?? '')) {
      throw new AppError('invalid_text', `Invalid field ${cleanText(name)}: it contains a NUL character or an unpaired surrogate`);
    }
  }
  return { buffer, fileName: part.filename || 'upload', mimeType: part.mimetype || undefined, fields };
}

/** Multipart's own errors carry a status (413 for limits) and the error handler maps them; the parser's do not. */
function asUploadError(err: unknown): never {
  if (err instanceof AppError || (err instanceof Error && typeof (err as { statusCode?: unknown }).statusCode === 'number')) throw err;
  throw new AppError('bad_request', 'The multipart body is incomplete or malformed');
}

/** Aborted when the client disconnects before its answer is sent, so long work for it can stop and store nothing. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const gone = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone.signal;
}
