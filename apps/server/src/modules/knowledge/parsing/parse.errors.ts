/** Why an uploaded file was refused; each code maps to one entry of the API error catalogue. */
export type DocumentParseErrorCode = 'unsupported_type' | 'corrupt_file' | 'empty_document' | 'too_large' | 'invalid_import';

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

export const tookTooLong = (what: string): DocumentParseError =>
  new DocumentParseError('corrupt_file', `The ${what} took too long to read; it may be damaged or unusually complex.`);

export const emptyDocument = (detail = 'It may be a scan or contain only images.'): DocumentParseError =>
  new DocumentParseError('empty_document', `The document contains no text that could be extracted. ${detail}`);

export const tooLarge = (bytes: number, maxBytes: number): DocumentParseError =>
  new DocumentParseError('too_large', `The file is ${megabytes(bytes)} MB; the limit is ${megabytes(maxBytes)} MB.`);

const megabytes = (bytes: number) => (bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '');

/**
 * Settles with `work` or rejects with `onTimeout()` after `ms`, so a hostile file cannot hold an upload forever.
 * `cancel` releases whatever the library holds once the deadline has passed.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error, cancel?: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      cancel?.();
      reject(onTimeout());
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
