import { createHmac, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the receiver saw it (raw body kept: signatures cover the exact bytes). */
export interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  rawBody: string;
  body: {
    id: string;
    type: string;
    createdAt: string;
    accountId: string;
    data: Record<string, unknown>;
  };
  status: number | 'dropped';
}

/** What to answer a request to a path: a status code, or drop the connection without answering. */
export type Answer = number | 'drop';

/**
 * A company's webhook receiver, as a real one is written: reads the raw body, answers with the
 * status a test sets per path (a script of answers, then a default). No product code is used to
 * check signatures: `verify` recomputes the HMAC the way the README tells receivers to.
 */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private readonly defaults = new Map<string, Answer>();
  private server: http.Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const path = (req.url ?? '/').split('?')[0]!;
        const answer = this.scripts.get(path)?.shift() ?? this.defaults.get(path) ?? 200;
        const rawBody = Buffer.concat(chunks).toString('utf8');
        let body: ReceivedHook['body'];
        try {
          body = JSON.parse(rawBody) as ReceivedHook['body'];
        } catch {
          res.writeHead(400).end('not json');
          return;
        }
        this.received.push({ path, headers: req.headers, rawBody, body, status: answer === 'drop' ? 'dropped' : answer });
        if (answer === 'drop') {
          req.socket.destroy();
          return;
        }
        res.writeHead(answer, { 'content-type': 'application/json' });
        res.end(answer >= 200 && answer < 300 ? '{"ok":true}' : `{"error":"receiver says ${answer}"}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** Answers the next requests to `path` with these, then with `then` (default 200). */
  script(path: string, answers: Answer[], then: Answer = 200): void {
    this.scripts.set(path, [...answers]);
    this.defaults.set(path, then);
  }

  /** Requests that reached `path` (optionally of one event type). */
  at(path: string, type?: string): ReceivedHook[] {
    return this.received.filter((r) => r.path === path && (!type || r.body.type === type));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The receiver-side check: HMAC-SHA256 over "<timestamp>.<raw body>", constant-time compare, 5-minute window. */
export function verify(secret: string, hook: ReceivedHook, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
  const timestamp = String(hook.headers['x-switchboard-timestamp'] ?? '');
  const signature = String(hook.headers['x-switchboard-signature'] ?? '');
  if (!/^\d+$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > 300) return false;
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${hook.rawBody}`).digest('hex')}`;
  return signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}
