import { constants, inflateSync } from 'node:zlib';
import { MAX_INFLATED_BYTES, unpacksTooLarge } from './parse.errors.js';

const STREAM = Buffer.from('stream');
const END_STREAM = Buffer.from('endstream');
// The dictionary of a stream sits between its "N 0 obj" and the "stream" keyword; look back at most this far.
const DICTIONARY_WINDOW = 4096;

/**
 * Refuses a PDF whose compressed (FlateDecode) streams unpack past {@link MAX_INFLATED_BYTES} before pdf.js
 * sees it: pdf.js inflates into buffers that no heap limit counts, so a 1 MB file of zeros compressed
 * 1000:1 would otherwise take gigabytes. Images are skipped (text extraction never decodes them, and
 * scans legitimately unpack large); a stream that does not inflate is left for pdf.js to judge.
 */
export function assertPdfInflatesWithin(buffer: Buffer, maxBytes = MAX_INFLATED_BYTES): void {
  let total = 0;
  for (let at = buffer.indexOf(STREAM); at !== -1; at = buffer.indexOf(STREAM, at + STREAM.length)) {
    if (at >= 3 && buffer.toString('latin1', at - 3, at) === 'end') continue;
    let start = at + STREAM.length;
    if (buffer[start] === 0x0d) start++;
    if (buffer[start] === 0x0a) start++;
    const end = buffer.indexOf(END_STREAM, start);
    if (end === -1) return;
    const from = Math.max(0, at - DICTIONARY_WINDOW);
    const dictionary = buffer.toString('latin1', Math.max(from, buffer.lastIndexOf('obj', at)), at);
    if (/\/FlateDecode\b/.test(dictionary) && !/\/Subtype\s*\/Image\b/.test(dictionary)) {
      total += inflatedLength(buffer.subarray(start, end), maxBytes - total);
      if (total > maxBytes) throw unpacksTooLarge('PDF file');
    }
    at = end + END_STREAM.length - STREAM.length;
  }
}

function inflatedLength(data: Buffer, budget: number): number {
  try {
    // Sync flush: a stream cut short still counts what it does unpack to.
    return inflateSync(data, { maxOutputLength: Math.max(1, budget + 1), finishFlush: constants.Z_SYNC_FLUSH }).length;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return budget + 1;
    return 0;
  }
}
