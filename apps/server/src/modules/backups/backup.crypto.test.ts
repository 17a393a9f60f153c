import { randomBytes } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { generateSecretKey, SecretBox } from '../../platform/crypto/secret-box.js';
import { BackupCryptoError, decryptStream, encryptStream } from './backup.crypto.js';

const CHUNK = 4096;

async function collect(source: Readable, ...through: NodeJS.ReadWriteStream[]): Promise<Buffer> {
  const parts: Buffer[] = [];
  await pipeline([
    source,
    ...through,
    new Writable({
      write(c: Buffer, _e, done) {
        parts.push(c);
        done();
      },
    }),
  ]);
  return Buffer.concat(parts);
}

/** Feeds `data` in uneven slices, as a pipe or a network does. */
const slices = (data: Buffer) =>
  Readable.from(
    (function* () {
      for (let at = 0, n = 1; at < data.length; at += n, n = ((n * 7 + 3) % 9000) + 1) yield data.subarray(at, at + n);
    })(),
  );

const encrypt = (box: SecretBox, plain: Buffer) => collect(slices(plain), encryptStream(box, CHUNK));
const decrypt = (box: SecretBox, sealed: Buffer) => collect(slices(sealed), decryptStream(box));

describe('backup file encryption', () => {
  const box = new SecretBox(generateSecretKey());

  it('round-trips data of every size around the chunk boundary, never showing the plaintext', async () => {
    for (const size of [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17, 200_000]) {
      const plain = Buffer.alloc(size, 'switchboard secret row ');
      const sealed = await encrypt(box, plain);
      expect(sealed.includes(Buffer.from('secret row'))).toBe(false);
      expect((await decrypt(box, sealed)).equals(plain)).toBe(true);
    }
  });

  it('refuses a changed byte anywhere, naming the damaged block', async () => {
    const sealed = await encrypt(box, randomBytes(3 * CHUNK + 100));
    for (const at of [10, 45, CHUNK + 60, sealed.length - 1]) {
      const bad = Buffer.from(sealed);
      bad[at] = bad[at]! ^ 0x40;
      const err = await decrypt(box, bad).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BackupCryptoError);
      expect(['damaged', 'not_a_backup', 'wrong_key']).toContain((err as BackupCryptoError).problem);
      expect((err as Error).message).toMatch(/damaged|altered|not a Switchboard backup|another SECRET_KEY/);
    }
  });

  it('refuses a file cut short, even exactly at a block boundary', async () => {
    const sealed = await encrypt(box, randomBytes(3 * CHUNK + 100));
    const atBoundary = sealed.subarray(0, 40 + 2 * (CHUNK + 16));
    const cut = (await decrypt(box, atBoundary).catch((e: unknown) => e)) as BackupCryptoError;
    expect(cut.problem).toBe('truncated');
    expect(cut.message).toMatch(/incomplete/);
    await expect(decrypt(box, sealed.subarray(0, sealed.length - 5))).rejects.toMatchObject({ problem: 'damaged' });
    await expect(decrypt(box, sealed.subarray(0, 30))).rejects.toMatchObject({ problem: 'truncated' });
  });

  it('refuses blocks in another order', async () => {
    const sealed = await encrypt(box, randomBytes(3 * CHUNK + 100));
    const r = CHUNK + 16;
    const swapped = Buffer.concat([
      sealed.subarray(0, 40),
      sealed.subarray(40 + r, 40 + 2 * r),
      sealed.subarray(40, 40 + r),
      sealed.subarray(40 + 2 * r),
    ]);
    await expect(decrypt(box, swapped)).rejects.toMatchObject({ problem: 'damaged' });
  });

  it('says which key a backup needs when the key is wrong, and reads it with SECRET_KEY_PREVIOUS', async () => {
    const oldKey = generateSecretKey();
    const sealed = await encrypt(new SecretBox(oldKey), Buffer.from('rows'));
    const other = new SecretBox(generateSecretKey());
    const err = (await decrypt(other, sealed).catch((e: unknown) => e)) as BackupCryptoError;
    expect(err.problem).toBe('wrong_key');
    expect(err.message).toContain(new SecretBox(oldKey).keyId);
    expect(err.message).toMatch(/SECRET_KEY_PREVIOUS/);
    const rotated = new SecretBox(generateSecretKey(), [oldKey]);
    expect((await decrypt(rotated, sealed)).toString()).toBe('rows');
  });

  it('refuses a file that is not a backup', async () => {
    await expect(decrypt(box, Buffer.from('PGDMP\x01\x0e\x00 a plain pg_dump file, not encrypted at all........'))).rejects.toMatchObject({
      problem: 'not_a_backup',
    });
  });
});
