import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import type { SecretBox } from '../../platform/crypto/secret-box.js';

/**
 * Streaming authenticated encryption of backup files (the STREAM construction over AES-256-GCM):
 *
 *   header  = "SWBACKUP" | version (1) | 0 0 0 | chunk size (u32 BE) | key id (8) | salt (16)
 *   chunk i = AES-256-GCM(key, nonce = i (u64 BE) | 0 0 0 | last?1:0, aad = header) ‖ tag (16)
 *
 * The key is HKDF(SECRET_KEY, salt, "switchboard backup v1"), fresh per file. Every chunk is authenticated
 * before a byte of it is passed on, and only the last chunk carries the "last" flag, so a file cut at a
 * chunk boundary, reordered chunks or an altered header are all refused. Memory stays at one chunk.
 */
const MAGIC = Buffer.from('SWBACKUP', 'latin1');
const VERSION = 1;
const HEADER_BYTES = 40;
const TAG_BYTES = 16;
const PURPOSE = 'switchboard backup v1';
export const DEFAULT_CHUNK_BYTES = 64 * 1024;

export type BackupCryptoProblem = 'not_a_backup' | 'wrong_key' | 'damaged' | 'truncated';

/** A backup file that cannot be read: the message says why in words an operator can act on. */
export class BackupCryptoError extends Error {
  constructor(
    readonly problem: BackupCryptoProblem,
    message: string,
  ) {
    super(message);
    this.name = 'BackupCryptoError';
  }
}

function nonce(index: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeBigUInt64BE(BigInt(index), 0);
  n[11] = last ? 1 : 0;
  return n;
}

/** Encrypts a stream with the current SECRET_KEY; `keyId` is what the header names. */
export function encryptStream(box: SecretBox, chunkBytes = DEFAULT_CHUNK_BYTES): Transform & { keyId: string } {
  const salt = randomBytes(16);
  const keyId = box.keyId;
  const key = box.derive(PURPOSE, salt, keyId)!;
  const header = Buffer.alloc(HEADER_BYTES);
  MAGIC.copy(header, 0);
  header[8] = VERSION;
  header.writeUInt32BE(chunkBytes, 12);
  Buffer.from(keyId, 'hex').copy(header, 16);
  salt.copy(header, 24);

  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  const seal = (plain: Buffer, last: boolean): Buffer => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(index++, last));
    cipher.setAAD(header);
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  };

  const stream = new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      // A chunk goes out only once more data follows it: the last one must carry the "last" flag.
      if (pendingBytes > chunkBytes) {
        let all = Buffer.concat(pending);
        while (all.length > chunkBytes) {
          this.push(seal(all.subarray(0, chunkBytes), false));
          all = all.subarray(chunkBytes);
        }
        pending = [all];
        pendingBytes = all.length;
      }
      done();
    },
    flush(done: TransformCallback) {
      this.push(seal(Buffer.concat(pending), true));
      done();
    },
  });
  stream.push(header);
  return Object.assign(stream, { keyId });
}

/** Reads the header of an encrypted backup: its key id (to say which key it needs). */
export function parseHeader(header: Buffer): { keyId: string; chunkBytes: number; salt: Buffer } {
  if (header.length < HEADER_BYTES || !header.subarray(0, 8).equals(MAGIC)) {
    throw new BackupCryptoError('not_a_backup', 'This file is not a Switchboard backup (its header is missing or wrong).');
  }
  if (header[8] !== VERSION) {
    throw new BackupCryptoError(
      'not_a_backup',
      `This backup has format version ${header[8]}, which this version of Switchboard cannot read.`,
    );
  }
  const chunkBytes = header.readUInt32BE(12);
  if (chunkBytes < 1024 || chunkBytes > 16 * 1024 * 1024) throw new BackupCryptoError('damaged', 'The backup header is damaged.');
  return { keyId: header.subarray(16, 24).toString('hex'), chunkBytes, salt: Buffer.from(header.subarray(24, 40)) };
}

/** Decrypts and authenticates a stream made by `encryptStream`; fails with a BackupCryptoError. */
export function decryptStream(box: SecretBox): Transform {
  let header: Buffer | undefined;
  let key: Buffer | undefined;
  let recordBytes = 0;
  let buffered: Buffer = Buffer.alloc(0);
  let index = 0;

  const open = (record: Buffer, last: boolean): Buffer => {
    const decipher = createDecipheriv('aes-256-gcm', key!, nonce(index, last));
    decipher.setAAD(header!);
    decipher.setAuthTag(record.subarray(record.length - TAG_BYTES));
    return Buffer.concat([decipher.update(record.subarray(0, record.length - TAG_BYTES)), decipher.final()]);
  };
  const damaged = () =>
    new BackupCryptoError(
      'damaged',
      `The backup is damaged or was altered: block ${index + 1} failed its integrity check. Nothing was restored from it.`,
    );

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        if (!header) {
          if (buffered.length < HEADER_BYTES) return done();
          header = Buffer.from(buffered.subarray(0, HEADER_BYTES));
          const parsed = parseHeader(header);
          key = box.derive(PURPOSE, parsed.salt, parsed.keyId);
          if (!key) {
            throw new BackupCryptoError(
              'wrong_key',
              `This backup was encrypted with another SECRET_KEY (key id ${parsed.keyId}; this server has ${[box.keyId, ...box.previousKeyIds].join(', ')}). ` +
                'Set SECRET_KEY (or SECRET_KEY_PREVIOUS) to the key the installation had when the backup was made.',
            );
          }
          recordBytes = parsed.chunkBytes + TAG_BYTES;
          buffered = buffered.subarray(HEADER_BYTES);
        }
        // Keep the newest full record back: only the end of the input tells whether it is the last.
        while (buffered.length > recordBytes) {
          let plain: Buffer;
          try {
            plain = open(buffered.subarray(0, recordBytes), false);
          } catch {
            throw damaged();
          }
          index++;
          buffered = buffered.subarray(recordBytes);
          this.push(plain);
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      if (!header || buffered.length < TAG_BYTES) {
        return done(new BackupCryptoError('truncated', 'The backup file is incomplete (it ends too early). Nothing was restored from it.'));
      }
      try {
        this.push(open(buffered, true));
        done();
      } catch {
        // A full record that opens as "not last" means the file was cut at a block boundary.
        let cut = false;
        try {
          if (buffered.length === recordBytes) cut = Boolean(open(buffered, false));
        } catch {
          cut = false;
        }
        done(
          cut
            ? new BackupCryptoError('truncated', 'The backup file is incomplete (it ends too early). Nothing was restored from it.')
            : damaged(),
        );
      }
    },
  });
}
