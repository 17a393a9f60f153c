import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

export type StoreKind = 'dir' | 's3';

/** Where encrypted backup files live. Every method streams; nothing holds a whole file. */
export interface BackupStore {
  readonly kind: StoreKind;
  /** Human-readable location of a file, for logs and restore instructions. */
  describe(name: string): string;
  write(name: string, body: Readable): Promise<void>;
  read(name: string): Promise<Readable>;
  exists(name: string): Promise<boolean>;
  remove(name: string): Promise<void>;
}

export class DirStore implements BackupStore {
  readonly kind = 'dir' as const;
  constructor(readonly dir: string) {}

  describe(name: string): string {
    return path.join(this.dir, name);
  }

  async write(name: string, body: Readable): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const final = this.describe(name);
    const partial = `${final}.partial`;
    try {
      await pipeline(body, createWriteStream(partial, { mode: 0o600 }));
      await rename(partial, final); // a file under its final name is always complete
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  async read(name: string): Promise<Readable> {
    const file = this.describe(name);
    await stat(file); // a missing file fails here, with ENOENT, not later inside a pipeline
    return createReadStream(file);
  }

  async exists(name: string): Promise<boolean> {
    return stat(this.describe(name)).then(
      () => true,
      () => false,
    );
  }

  async remove(name: string): Promise<void> {
    await rm(this.describe(name), { force: true });
  }
}

export interface S3Settings {
  bucket: string;
  prefix: string;
  endpoint: string | undefined;
  region: string;
  accessKeyId: string | undefined;
  secretAccessKey: string | undefined;
  forcePathStyle: boolean;
}

/** Any S3-compatible store; files go up as multipart uploads of 8 MB parts, streamed. */
export class S3Store implements BackupStore {
  readonly kind = 's3' as const;
  readonly client: S3Client;

  constructor(private readonly s: S3Settings) {
    this.client = new S3Client({
      region: s.region,
      forcePathStyle: s.forcePathStyle,
      // Checksums only where S3 requires them: many S3-compatible stores reject the SDK's default trailers.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      ...(s.endpoint ? { endpoint: s.endpoint } : {}),
      ...(s.accessKeyId && s.secretAccessKey ? { credentials: { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey } } : {}),
    });
  }

  key(name: string): string {
    return `${this.s.prefix}${name}`;
  }

  describe(name: string): string {
    return `s3://${this.s.bucket}/${this.key(name)}`;
  }

  async write(name: string, body: Readable): Promise<void> {
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.s.bucket, Key: this.key(name), Body: body, ContentType: 'application/octet-stream' },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async read(name: string): Promise<Readable> {
    const out = await this.client.send(new GetObjectCommand({ Bucket: this.s.bucket, Key: this.key(name) }));
    if (!(out.Body instanceof Readable)) throw new Error(`S3 returned no body for ${this.describe(name)}`);
    return out.Body;
  }

  async exists(name: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.s.bucket, Key: this.key(name) }));
      return true;
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }

  async remove(name: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.s.bucket, Key: this.key(name) }));
  }
}
