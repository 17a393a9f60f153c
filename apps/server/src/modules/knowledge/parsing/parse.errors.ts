/** Why an uploaded file was refused; each code maps to one entry of the API error catalogue. */
export type DocumentParseErrorCode =
  | 'unsupported_type'
  | 'corrupt_file'
  | 'empty_document'
  | 'too_large'
  | 'invalid_import'
  /** Too deep, too slow or too memory-hungry to read within the limits. */
  | 'document_too_complex'
  /** Small as uploaded, but it unpacks or splits into more than the knowledge base takes. */
  | 'document_too_large';

/**
 * A file the knowledge base cannot take, with a message meant for the person who uploaded it.
 * Library exceptions never leave the parsers raw: they are wrapped here and kept as `cause` for logs.
 */
export class DocumentParseError extends Error {
  override readonly name = 'DocumentParseError';

  constructor(
    readonly code: DocumentParseErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const corruptFile = (what: string, cause?: unknown): DocumentParseError =>
  new DocumentParseError('corrupt_file', `The ${what} is damaged or incomplete and could not be read.`, { cause });

export const emptyDocument = (detail = 'It may be a scan or contain only images.'): DocumentParseError =>
  new DocumentParseError('empty_document', `The document contains no text that could be extracted. ${detail}`);

export const tooLarge = (bytes: number, maxBytes: number): DocumentParseError =>
  new DocumentParseError('too_large', `The file is ${megabytes(bytes)} MB; the limit is ${megabytes(maxBytes)} MB.`);

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');

/** What unpacking may produce: 50 MB of text is thousands of pages, far past any real handbook. */
export const MAX_INFLATED_BYTES = 50 * 1024 * 1024;

export const unpacksTooLarge = (what: string): DocumentParseError =>
  new DocumentParseError(
    'document_too_large',
    `The ${what} unpacks to more than ${megabytes(MAX_INFLATED_BYTES)} MB and cannot be read; split it into smaller files.`,
  );

export const tooComplex = (what: string, why: string): DocumentParseError =>
  new DocumentParseError('document_too_complex', `The ${what} ${why}; it may be damaged or deliberately malformed. Simplify or split it.`);
