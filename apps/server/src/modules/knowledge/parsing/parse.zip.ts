import { inflateRawSync } from 'node:zlib';
import { MAX_INFLATED_BYTES, corruptFile, unpacksTooLarge } from './parse.errors.js';

/** What a ZIP archive (DOCX, XLSX) says it holds, read from its central directory without inflating anything. */
export interface ZipListing {
  names: Set<string>;
  /** Sum of the declared uncompressed sizes; a zip bomb declares gigabytes in a few kilobytes. */
  uncompressedBytes: number;
  entries: ZipEntry[];
}

interface ZipEntry {
  method: number;
  compressedBytes: number;
  localHeader: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const ZIP64_MARKER = 0xffffffff;
const LOCAL_HEADER = 0x04034b50;

export const isZip = (buffer: Buffer): boolean => buffer.length >= 4 && buffer.readUInt32LE(0) === LOCAL_HEADER;

/** Returns undefined when the archive is truncated or its directory is malformed. */
export function readZipListing(buffer: Buffer): ZipListing | undefined {
  const end = findEndOfDirectory(buffer);
  if (end === undefined) return undefined;
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const names = new Set<string>();
  let uncompressedBytes = 0;
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 46 > buffer.length || buffer.readUInt32LE(offset) !== DIRECTORY_ENTRY) return undefined;
    const size = buffer.readUInt32LE(offset + 24);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const skip = nameLength + buffer.readUInt16LE(offset + 30) + buffer.readUInt16LE(offset + 32);
    if (offset + 46 + nameLength > buffer.length) return undefined;
    names.add(buffer.toString('utf8', offset + 46, offset + 46 + nameLength));
    const method = buffer.readUInt16LE(offset + 10);
    entries.push({ method, compressedBytes: buffer.readUInt32LE(offset + 20), localHeader: buffer.readUInt32LE(offset + 42) });
    // ZIP64 sizes live elsewhere; Office never needs them, so count such an entry as enormous.
    uncompressedBytes += size === ZIP64_MARKER ? Number.MAX_SAFE_INTEGER / 2 : size;
    offset += 46 + skip;
  }
  return { names, uncompressedBytes, entries };
}

function findEndOfDirectory(buffer: Buffer): number | undefined {
  // The record is 22 bytes plus a comment of at most 64 KiB, at the very end of the file.
  const lowest = Math.max(0, buffer.length - 22 - 0xffff);
  for (let i = buffer.length - 22; i >= lowest; i--) {
    if (buffer.readUInt32LE(i) === END_OF_DIRECTORY) return i;
  }
  return undefined;
}

/**
 * Rejects archives that cannot be listed or that unpack past {@link MAX_INFLATED_BYTES}: first by the sizes
 * they declare, then by really inflating each entry against the budget (a forged directory can declare
 * anything, and the libraries unpack into buffers that no heap limit counts).
 */
export function assertSafeArchive(buffer: Buffer, what: string): ZipListing {
  const listing = readZipListing(buffer);
  if (!listing) throw corruptFile(what);
  if (listing.uncompressedBytes > MAX_INFLATED_BYTES) throw unpacksTooLarge(what);
  let total = 0;
  for (const entry of listing.entries) {
    const data = entryData(buffer, entry);
    if (!data) throw corruptFile(what);
    total += entry.method === 0 ? data.length : inflatedLength(data, MAX_INFLATED_BYTES - total, what);
    if (total > MAX_INFLATED_BYTES) throw unpacksTooLarge(what);
  }
  return listing;
}

function entryData(buffer: Buffer, entry: ZipEntry): Buffer | undefined {
  const at = entry.localHeader;
  if (at + 30 > buffer.length || buffer.readUInt32LE(at) !== LOCAL_HEADER) return undefined;
  const start = at + 30 + buffer.readUInt16LE(at + 26) + buffer.readUInt16LE(at + 28);
  const end = start + entry.compressedBytes;
  return end <= buffer.length ? buffer.subarray(start, end) : undefined;
}

/** Inflates one deflated entry and stops as soon as it passes `budget` bytes (zlib checks as it goes). */
function inflatedLength(data: Buffer, budget: number, what: string): number {
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, budget + 1) }).length;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw unpacksTooLarge(what);
    throw corruptFile(what, err);
  }
}
