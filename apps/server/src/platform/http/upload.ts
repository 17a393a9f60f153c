import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

export interface Upload {
  buffer: Buffer;
  fileName: string;
  mimeType: string | undefined;
  /** Plain form fields sent with the file. */
  fields: Record<string, string>;
}

/** Reads the one file of a multipart request into memory (bounded by the multipart file limit). */
export async function readUpload(req: FastifyRequest): Promise<Upload> {
  if (!req.isMultipart()) throw new AppError('unsupported_media_type', 'Send the file as multipart/form-data with a "file" field');
  const part = await req.file();
  if (!part) throw new AppError('validation_failed', 'No file in the request: add a "file" field');
  const buffer = await part.toBuffer();
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(part.fields)) {
    const field = Array.isArray(value) ? value[0] : value;
    if (field && field.type === 'field' && typeof field.value === 'string') fields[name] = field.value;
  }
  if (buffer.length === 0) throw new AppError('validation_failed', 'The uploaded file is empty');
  return { buffer, fileName: part.filename || 'upload', mimeType: part.mimetype || undefined, fields };
}
