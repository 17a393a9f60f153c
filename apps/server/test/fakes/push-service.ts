import { createDecipheriv, createECDH, createHmac, randomBytes, type ECDH } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A push the fake service received, decrypted with the subscriber's keys. */
export interface ReceivedPush {
  path: string;
  headers: http.IncomingHttpHeaders;
  /** The VAPID public key the sender named (`k=` of the Authorization header). */
  vapidKey: string | undefined;
  payload: unknown;
  receivedAt: number;
}

/** A browser's side of one subscription: the keys it would give the server, and the private half it keeps. */
export interface FakeSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ECDH;
  authSecret: Buffer;
}

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

/**
 * Decrypts an `aes128gcm` Web Push body (RFC 8188 framing, RFC 8291 keys) the way a browser does: the
 * proof that what the server sent is readable by the subscriber and by nobody without its keys.
 */
export function decryptPush(body: Buffer, sub: FakeSubscription): Buffer {
  const salt = body.subarray(0, 16);
  const idLen = body[20]!;
  const serverPublic = body.subarray(21, 21 + idLen);
  const cipher = body.subarray(21 + idLen);
  const uaPublic = sub.ecdh.getPublicKey();
  const shared = sub.ecdh.computeSecret(serverPublic);
  const prkKey = hmac(sub.authSecret, shared);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, serverPublic, Buffer.from([1])]);
  const ikm = hmac(prkKey, keyInfo);
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01')).subarray(0, 12);
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(cipher.subarray(cipher.length - 16));
  const padded = Buffer.concat([decipher.update(cipher.subarray(0, cipher.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02 and optional zero padding.
  let end = padded.length - 1;
  while (end > 0 && padded[end] === 0) end--;
  return padded.subarray(0, end);
}

/**
 * A local push service (what FCM or Mozilla's autopush are to a browser): accepts encrypted pushes on
 * `/push/<name>`, decrypts them with the subscription's keys, and answers as scripted (201, 410 gone, 500).
 */
export class FakePushService {
  private server: http.Server | undefined;
  url = '';
  readonly received: ReceivedPush[] = [];
  private readonly subs = new Map<string, FakeSubscription>();
  /** Status to answer per subscription name (default 201). */
  readonly answer = new Map<string, number>();

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const name = (req.url ?? '').replace(/^\/push\//, '');
        const sub = this.subs.get(name);
        const status = this.answer.get(name) ?? (sub ? 201 : 404);
        if (sub && status < 300) {
          const auth = String(req.headers.authorization ?? '');
          this.received.push({
            path: req.url ?? '',
            headers: req.headers,
            vapidKey: /k=([A-Za-z0-9_-]+)/.exec(auth)?.[1],
            payload: JSON.parse(decryptPush(Buffer.concat(chunks), sub).toString('utf8')) as unknown,
            receivedAt: Date.now(),
          });
        }
        res.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A new browser subscription on this service. */
  subscription(name: string): FakeSubscription {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const authSecret = randomBytes(16);
    const sub = {
      endpoint: `${this.url}/push/${name}`,
      keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
      ecdh,
      authSecret,
    };
    this.subs.set(name, sub);
    return sub;
  }

  pushesTo(name: string): ReceivedPush[] {
    return this.received.filter((r) => r.path === `/push/${name}`);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
