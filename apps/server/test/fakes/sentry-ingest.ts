import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventsOfEnvelope, type ErrorEvent } from '@switchboard/shared';

export interface ReceivedEnvelope {
  path: string;
  auth: string | undefined;
  contentType: string | undefined;
  header: Record<string, unknown>;
  events: ErrorEvent[];
  raw: string;
}

/** A Sentry-compatible ingest: takes envelopes at `/api/<project>/envelope/` and keeps them parsed. */
export class FakeSentryIngest {
  readonly envelopes: ReceivedEnvelope[] = [];
  private server: http.Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (req.method !== 'POST' || !/^\/api\/[\w-]+\/envelope\/$/.test(req.url ?? '')) {
          res.writeHead(404).end();
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        const { header, events } = eventsOfEnvelope(raw);
        this.envelopes.push({
          path: req.url!,
          auth: req.headers['x-sentry-auth'] as string | undefined,
          contentType: req.headers['content-type'],
          header,
          events,
          raw,
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: header.event_id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  /** A DSN pointing here. */
  dsn(project = '42', key = 'publickey0123'): string {
    return this.url.replace('http://', `http://${key}@`) + `/${project}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
