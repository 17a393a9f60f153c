import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

const VERSION = 'v1';

function decodeKey(masterKey: string, name = 'SECRET_KEY'): Buffer {
  const raw = /^[0-9a-f]{64}$/i.test(masterKey) ? Buffer.from(masterKey, 'hex') : Buffer.from(masterKey, 'base64');
  if (raw.length !== 32) throw new Error(`${name} must decode to exactly 32 bytes`);
  return raw;
}

/** A short, non-secret name of a key (HMAC of a constant), to tell which key sealed something. */
function keyIdOf(key: Buffer): string {
  return createHmac('sha256', key).update('switchboard key id').digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM for provider credentials at rest: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 * Seals with the current key; opens with the current key or any previous one (`SECRET_KEY_PREVIOUS`),
 * so a key can be rotated while the product runs.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly previous: Buffer[];

  constructor(masterKey: string, previousKeys: readonly string[] = []) {
    this.key = decodeKey(masterKey);
    this.previous = previousKeys.map((k) => decodeKey(k, 'SECRET_KEY_PREVIOUS')).filter((k) => !k.equals(this.key));
  }

  /** Id of the current key (what the key check in the database stores). */
  get keyId(): string {
    return keyIdOf(this.key);
  }

  /** Ids of the previous keys still accepted for reading. */
  get previousKeyIds(): string[] {
    return this.previous.map(keyIdOf);
  }

  /** A 32-byte key for `purpose` derived (HKDF-SHA256) from the current key, or from the key with this id. */
  derive(purpose: string, salt: Buffer, keyId = this.keyId): Buffer | undefined {
    const key = [this.key, ...this.previous].find((k) => keyIdOf(k) === keyId);
    return key ? Buffer.from(hkdfSync('sha256', key, salt, purpose, 32)) : undefined;
  }

  /** An HMAC-SHA256 of `value` (base64url), keyed by SECRET_KEY and separated by `purpose`. */
  mac(purpose: string, value: string): string {
    return createHmac('sha256', this.key).update(`${purpose}\0${value}`).digest('base64url');
  }

  seal(value: unknown): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), data].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  open<T>(sealed: string): T {
    return this.openWithKey<T>(sealed).value;
  }

  /** The sealed value sealed again with the current key, or undefined when it already is. */
  reseal(sealed: string): string | undefined {
    const { value, current } = this.openWithKey(sealed);
    return current ? undefined : this.seal(value);
  }

  private openWithKey<T>(sealed: string): { value: T; current: boolean } {
    const [version, iv, tag, data] = sealed.split('.');
    if (version !== VERSION || !iv || !tag || data === undefined) throw new Error('unrecognised sealed secret');
    for (const key of [this.key, ...this.previous]) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]);
        return { value: JSON.parse(plain.toString('utf8')) as T, current: key === this.key };
      } catch {
        // not this key: try the next one
      }
    }
    throw new Error('sealed secret cannot be opened with SECRET_KEY (nor SECRET_KEY_PREVIOUS): wrong key or damaged value');
  }
}

export function generateSecretKey(): string {
  return randomBytes(32).toString('base64');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** Constant-time comparison of two strings of any length. */
export function safeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}
