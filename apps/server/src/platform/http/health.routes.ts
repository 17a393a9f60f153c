import type { App } from './server.js';
import { registry } from '../metrics.js';

export interface Probe {
  name: string;
  check(): Promise<void>;
}

/** Liveness, readiness (every probe must pass, else 503) and Prometheus metrics. */
export function healthRoutes(app: App, probes: Probe[], beforeScrape: () => Promise<void>): void {
  app.get('/health', { config: { public: true }, schema: { hide: true } }, () => Promise.resolve({ status: 'ok' }));

  app.get('/ready', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const results = await Promise.all(
      probes.map(async (p) => {
        try {
          await withTimeout(p.check(), 3_000);
          return [p.name, 'ok'] as const;
        } catch (err) {
          return [p.name, err instanceof Error ? err.message : 'failed'] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results);
    const ready = results.every(([, r]) => r === 'ok');
    return reply.status(ready ? 200 : 503).send({ status: ready ? 'ready' : 'not_ready', checks });
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    await beforeScrape().catch(() => undefined);
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}
