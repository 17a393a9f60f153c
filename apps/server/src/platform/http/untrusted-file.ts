import type { Readable } from 'node:stream';
import contentDisposition from 'content-disposition';
import type { FastifyReply } from 'fastify';
import { fileTypeStream } from 'file-type';

/**
 * Types shown in the browser, as detected from the bytes (never as the sender declared them): passive
 * media that cannot run script. SVG is not here (it is a document that can), nor is PDF: Chromium refuses
 * to start its PDF viewer in a sandboxed document, so a PDF is a download the user's viewer opens.
 */
const INLINE_TYPES = new Set([
  'image/png',
  'image/apng',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'audio/ogg',
  'audio/ogg; codecs=opus',
  'audio/mpeg',
  'audio/mp4',
  'audio/x-m4a',
  'audio/wav',
  'video/mp4',
  'video/webm',
]);

/** What file-type reads to recognise a format (its own recommended sample). */
const SAMPLE_BYTES = 4100;

/**
 * Every file response: even a file a browser renders runs in an opaque origin with nothing allowed, so
 * it can never act with the signed-in user's session. Media documents load their own URL (`'self'`).
 */
export const UNTRUSTED_FILE_CSP = "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox";

export interface UntrustedFile {
  stream: Readable;
  /** The name offered for saving (the sender's, or one we made up). */
  fileName: string;
  size?: number | undefined;
}

/**
 * Sends bytes that someone outside (a customer, an uploader) chose, from our origin: shown inline only
 * when they are recognisably a passive image, audio or video (with the detected type); everything else
 * is an `application/octet-stream` download.
 */
export async function sendUntrustedFile(reply: FastifyReply, file: UntrustedFile): Promise<FastifyReply> {
  const body = await fileTypeStream(file.stream, { sampleSize: SAMPLE_BYTES });
  const detected = body.fileType?.mime;
  const inline = detected !== undefined && INLINE_TYPES.has(detected);
  void reply
    .header('content-type', inline ? detected : 'application/octet-stream')
    .header('content-disposition', contentDisposition(file.fileName, { type: inline ? 'inline' : 'attachment' }))
    .header('x-content-type-options', 'nosniff')
    .header('content-security-policy', UNTRUSTED_FILE_CSP);
  if (file.size) void reply.header('content-length', String(file.size));
  return reply.send(body);
}
