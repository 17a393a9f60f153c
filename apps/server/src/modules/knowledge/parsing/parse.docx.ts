import { DocumentParseError, corruptFile, tookTooLong, withDeadline } from './parse.errors.js';
import { assertSafeArchive } from './parse.zip.js';

/**
 * Renders a Word document as HTML so it goes through the same reader as uploaded pages: Word's
 * "Heading 1…6" styles become h1–h6 and therefore sections.
 */
export async function docxToHtml(buffer: Buffer, timeoutMs: number): Promise<string> {
  assertSafeArchive(buffer, 'Word document');
  try {
    // Loaded on first use: a process that never sees a Word file does not carry the library.
    const { default: mammoth } = await import('mammoth');
    // Pictures carry no searchable text; dropping them keeps mammoth from inlining megabytes of base64.
    const dropImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));
    const conversion = mammoth.convertToHtml({ buffer }, { convertImage: dropImages, externalFileAccess: false });
    const result = await withDeadline(conversion, timeoutMs, () => tookTooLong('Word document'));
    return result.value;
  } catch (err) {
    if (err instanceof DocumentParseError) throw err;
    throw corruptFile('Word document', err);
  }
}
