import { constants, createInflate } from 'node:zlib';
import { MAX_INFLATED_BYTES, unpacksTooLarge } from './parse.errors.js';

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');

/**
 * Refuses a PDF whose zlib-compressed streams together unpack past {@link MAX_INFLATED_BYTES} before pdf.js
 * sees it: pdf.js inflates into ArrayBuffers that the thread's heap limit does not count, so a 1 MB file of
 * zeros compressed 1000:1 would otherwise take gigabytes. Stream dictionaries are not read at all (a name
 * escape such as /Flate#44ecode, an indirect /Filter, a false /Subtype /Image or a long dictionary would
 * hide a filter from any check of ours, not from pdf.js): every stream whose body opens with a zlib header
 * counts, images included, under one total budget.
 */
export async function assertPdfInflatesWithin(buffer: Buffer, maxBytes = MAX_INFLATED_BYTES): Promise<void> {
  let total = 0;
  for (let at = buffer.indexOf(STREAM); at !== -1; at = buffer.indexOf(STREAM, at + STREAM.length)) {
    if (at >= 3 && buffer.toString('latin1', at - 3, at) === 'end') continue;
    let start = at + STREAM.length;
    if (buffer[start] === 0x0d) start++;
    if (buffer[start] === 0x0a) start++;
    if (hasZlibHeader(buffer, start)) {
      // Up to the end of the file, not to "endstream": those bytes may sit inside the compressed data
      // (pdf.js goes by /Length), or be missing. Inflating stops where zlib's own data ends.
      total += await inflatedLength(buffer.subarray(start), maxBytes - total);
      if (total > maxBytes) throw unpacksTooLarge('PDF file');
    }
    const end = buffer.indexOf(END_STREAM, start);
    if (end === -1) return;
    at = end + END_STREAM.length - STREAM.length;
  }
}

/** The two bytes pdf.js's FlateStream accepts: deflate method, a valid check sum, no preset dictionary. */
function hasZlibHeader(buffer: Buffer, at: number): boolean {
  const cmf = buffer[at];
  const flg = buffer[at + 1];
  if (cmf === undefined || flg === undefined) return false;
  return (cmf & 0x0f) === 8 && ((cmf << 8) | flg) % 31 === 0 && (flg & 0x20) === 0;
}

/**
 * How many bytes `data` unpacks to, counted as it streams out and abandoned once past `budget` (nothing
 * larger than one chunk is ever held). A stream cut short or damaged still counts what it did unpack to.
 */
function inflatedLength(data: Buffer, budget: number): Promise<number> {
  return new Promise((resolve) => {
    let length = 0;
    const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 });
    inflate.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length <= budget) return;
      inflate.destroy();
      resolve(length);
    });
    inflate.on('end', () => resolve(length));
    inflate.on('error', () => resolve(length));
    inflate.on('close', () => resolve(length));
    inflate.end(data);
  });
}
