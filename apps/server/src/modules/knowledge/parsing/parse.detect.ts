import { DocumentParseError, corruptFile } from './parse.errors.js';
import type { DocumentFormat } from './parse.types.js';
import { isZip, readZipListing } from './parse.zip.js';

const SUPPORTED = 'Upload a PDF, Word (.docx), HTML, Markdown or plain text file, or a scan (PNG, JPEG, TIFF).';
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

const BY_EXTENSION: Record<string, DocumentFormat> = {
  pdf: 'pdf',
  docx: 'docx',
  md: 'md',
  markdown: 'md',
  txt: 'txt',
  text: 'txt',
  html: 'html',
  htm: 'html',
  xhtml: 'html',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  tif: 'image',
  tiff: 'image',
};

const BY_MIME: Record<string, DocumentFormat> = {
  'application/pdf': 'pdf',
  [DOCX_MIME]: 'docx',
  'text/markdown': 'md',
  'text/x-markdown': 'md',
  'text/plain': 'txt',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'image/png': 'image',
  'image/jpeg': 'image',
  'image/tiff': 'image',
};

/** Scans and photos that OCR reads: PNG, JPEG, TIFF (little- and big-endian). */
const IMAGE_SIGNATURES: number[][] = [
  [0x89, 0x50, 0x4e, 0x47],
  [0xff, 0xd8, 0xff],
  [0x49, 0x49, 0x2a, 0x00],
  [0x4d, 0x4d, 0x00, 0x2a],
];

// Recognisable binaries we refuse by content, whatever they are called.
const BINARY_SIGNATURES: { bytes: number[]; what: string }[] = [
  {
    bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1],
    what: 'Old Office files (.doc, .xls) are not supported; save it as .docx and try again.',
  },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'GIF images cannot be read; save the scan as PNG, JPEG or TIFF.' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'Programs cannot be added to the knowledge base.' },
  { bytes: [0x1f, 0x8b], what: 'Compressed archives are not supported.' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'Compressed archives are not supported.' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'Compressed archives are not supported.' },
];

export const extensionOf = (fileName: string): string => /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase() ?? '';

const unsupported = (detail: string) =>
  new DocumentParseError('unsupported_type', ['This file type is not supported.', detail, SUPPORTED].filter(Boolean).join(' '));

/**
 * Decides how to read an upload: by its content first (a PDF or DOCX is recognised whatever its name),
 * then by extension, then by the browser's MIME type. A file that claims a format it does not have is corrupt.
 */
export function detectFormat(buffer: Buffer, fileName: string, mimeType?: string): DocumentFormat {
  const extension = extensionOf(fileName);
  const mime = mimeType?.split(';')[0]?.trim().toLowerCase() ?? '';
  const claimed = BY_EXTENSION[extension] ?? (extension === '' ? BY_MIME[mime] : undefined);

  if (buffer.subarray(0, 1024).includes('%PDF-')) return 'pdf';
  if (IMAGE_SIGNATURES.some((bytes) => bytes.every((b, i) => buffer[i] === b))) return 'image';
  if (isZip(buffer)) {
    const listing = readZipListing(buffer);
    if (listing?.names.has('word/document.xml')) return 'docx';
    if (claimed === 'docx' || !listing) throw corruptFile(claimed === 'docx' ? 'Word document' : 'file');
    throw unsupported('Archives and spreadsheets cannot be added as documents.');
  }
  const signature = BINARY_SIGNATURES.find((s) => s.bytes.every((b, i) => buffer[i] === b));
  if (signature) throw unsupported(signature.what);
  if (buffer[0] === 0x4d && buffer[1] === 0x5a && buffer.subarray(0, 64).includes(0))
    throw unsupported('Programs cannot be added to the knowledge base.');

  if (claimed === 'pdf') throw corruptFile('PDF file');
  if (claimed === 'docx') throw corruptFile('Word document');
  if (claimed === 'image') throw corruptFile('image');
  if (claimed) return claimed;
  if (extension === 'doc') throw unsupported('Old Word files (.doc) are not supported; save it as .docx and try again.');
  if (extension === '' && (mime === '' || mime.startsWith('text/'))) return 'txt';
  throw unsupported(extension ? `“.${extension}” files cannot be read.` : '');
}
