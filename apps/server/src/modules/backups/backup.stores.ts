import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';

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

/** The AWS SDK is large: it loads when an S3 store is first used, not with every process. */
const loadSdk = async () => ({ ...(await import('@aws-sdk/client-s3')), ...(await import('@aws-sdk/lib-storage')) });
type Sdk = Awaited<ReturnType<typeof loadSdk>>;
let sdkLoading: Promise<Sdk> | undefined;
const sdk = () => (sdkLoading ??= loadSdk());

/** Any S3-compatible store; files go up as multipart uploads of 8 MB parts, streamed. */
export class S3Store implements BackupStore {
  readonly kind = 's3' as const;
  private clientLoading: Promise<S3Client> | undefined;

  constructor(private readonly s: S3Settings) {}

  client(): Promise<S3Client> {
    return (this.clientLoading ??= sdk().then(
      ({ S3Client }) =>
        new S3Client({
          region: this.s.region,
          forcePathStyle: this.s.forcePathStyle,
          // Checksums only where S3 requires them: many S3-compatible stores reject the SDK's default trailers.
          requestChecksumCalculation: 'WHEN_REQUIRED',
          responseChecksumValidation: 'WHEN_REQUIRED',
          ...(this.s.endpoint ? { endpoint: this.s.endpoint } : {}),
          ...(this.s.accessKeyId && this.s.secretAccessKey
            ? { credentials: { accessKeyId: this.s.accessKeyId, secretAccessKey: this.s.secretAccessKey } }
            : {}),
        }),
    ));
  }

  key(name: string): string {
    return `${this.s.prefix}${name}`;
  }

  describe(name: string): string {
    return `s3://${this.s.bucket}/${this.key(name)}`;
  }

  async write(name: string, body: Readable): Promise<void> {
    const { Upload } = await sdk();
    const upload = new Upload({
      client: await this.client(),
      params: { Bucket: this.s.bucket, Key: this.key(name), Body: body, ContentType: 'application/octet-stream' },
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      leavePartsOnError: false,
    });
    await upload.done();
  }

  async read(name: string): Promise<Readable> {
    const { GetObjectCommand } = await sdk();
    const out = await (await this.client()).send(new GetObjectCommand({ Bucket: this.s.bucket, Key: this.key(name) }));
    if (!(out.Body instanceof Readable)) throw new Error(`S3 returned no body for ${this.describe(name)}`);
    return out.Body;
  }

  async exists(name: string): Promise<boolean> {
    const { HeadObjectCommand } = await sdk();
    try {
      await (await this.client()).send(new HeadObjectCommand({ Bucket: this.s.bucket, Key: this.key(name) }));
      return true;
    } catch (err) {
      if ((err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }

  async remove(name: string): Promise<void> {
    const { DeleteObjectCommand } = await sdk();
    await (await this.client()).send(new DeleteObjectCommand({ Bucket: this.s.bucket, Key: this.key(name) }));
  }
}
