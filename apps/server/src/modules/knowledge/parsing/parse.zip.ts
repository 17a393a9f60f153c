import { DocumentParseError, corruptFile } from './parse.errors.js';

/** What a ZIP archive (DOCX, XLSX) says it holds, read from its central directory without inflating anything. */
export interface ZipListing {
  names: Set<string>;
  /** Sum of the declared uncompressed sizes; a zip bomb declares gigabytes in a few kilobytes. */
  uncompressedBytes: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const ZIP64_MARKER = 0xffffffff;

export const isZip = (buffer: Buffer): boolean => buffer.length >= 4 && buffer.readUInt32LE(0) === 0x04034b50;

/** Returns undefined when the archive is truncated or its directory is malformed. */
export function readZipListing(buffer: Buffer): ZipListing | undefined {
  const end = findEndOfDirectory(buffer);
  if (end === undefined) return undefined;
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const names = new Set<string>();
  let uncompressedBytes = 0;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== DIRECTORY_ENTRY) return undefined;
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const skip = nameLength + buffer.readUInt16LE(offset + 30) + buffer.readUInt16LE(offset + 32);
    if (offset + 46 + nameLength > buffer.length) return undefined;
    names.add(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    // ZIP64 sizes live elsewhere; Office never needs them, so count such an entry as enormous.
    uncompressedBytes += size === ZIP64_MARKER ? Number.MAX_SAFE_INTEGER / 2 : size;
    offset += 46 + skip;
  }
  return { names, uncompressedBytes };
}

function findEndOfDirectory(buffer: Buffer): number | undefined {
  // The record is 22 bytes plus a comment of at most 64 KiB, at the very end of the file.
  const lowest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= lowest; i--) {
    if (buffer.readUInt32LE(i) === END_OF_DIRECTORY) return i;
  }
  return undefined;
}

/** Office files inflate 5–20×; past this the archive is refused before any library unpacks it. */
export const MAX_INFLATED_BYTES = 300 * 1024 * 1024;

/** Rejects archives that cannot be listed or that would inflate past {@link MAX_INFLATED_BYTES}. */
export function assertSafeArchive(buffer: Buffer, what: string): ZipListing {
  const listing = readZipListing(buffer);
  if (!listing) throw corruptFile(what);
  if (listing.uncompressedBytes > MAX_INFLATED_BYTES) {
    throw new DocumentParseError(
      'too_large',
      `The ${what} unpacks to more than ${MAX_INFLATED_BYTES / 1024 / 1024} MB and cannot be read.`,
    );
  }
  return listing;
}
