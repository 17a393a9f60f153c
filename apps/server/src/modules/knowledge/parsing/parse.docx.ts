import { DocumentParseError, corruptFile } from './parse.errors.js';
import { assertSafeArchive } from './parse.zip.js';

/**
 * Renders a Word document as HTML so it goes through the same reader as uploaded pages: Word's
 * "Heading 1…6" styles become h1–h6 and therefore sections. Runs in the parse thread, whose deadline
 * and heap limit stop a document that takes too long.
 */
export async function docxToHtml(buffer: Buffer): Promise<string> {
  assertSafeArchive(buffer, 'Word document');
  try {
    // Loaded on first use: a process that never sees a Word file does not carry the library.
    const { default: mammoth } = await import('mammoth');
    // Pictures carry no searchable text; dropping them keeps mammoth from inlining megabytes of base64.
    const dropImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));
    const result = await mammoth.convertToHtml({ buffer }, { convertImage: dropImages, externalFileAccess: false });
    return result.value;
  } catch (err) {
    if (err instanceof DocumentParseError) throw err;
    throw corruptFile('Word document', err);
  }
}
