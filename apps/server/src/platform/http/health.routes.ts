import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import ipaddr from 'ipaddr.js';
import type { App } from './server.js';
import { AppError } from './errors.js';
import { classifyAddress, normaliseHost } from './outbound.address.js';
import { registry } from '../metrics.js';

export interface Probe {
  name: string;
  check(): Promise<void>;
  /** false: a failure makes `/ready` say `degraded` (still 200) instead of taking the instance out of service. */
  critical?: boolean;
}

export interface MetricsAccess {
  /** `METRICS_TOKEN`: when set, the only way in. */
  token: string | undefined;
}

/** Liveness, readiness (every probe must pass, else 503) and Prometheus metrics. */
export function healthRoutes(app: App, probes: Probe[], beforeScrape: () => Promise<void>, access: MetricsAccess): void {
  app.get('/health', { config: { public: true }, schema: { hide: true } }, () => Promise.resolve({ status: 'ok' }));

  app.get('/ready', { config: { public: true }, schema: { hide: true } }, async (_req, reply) => {
    const results = await Promise.all(
      probes.map(async (p) => {
        try {
          await withTimeout(p.check(), 3_000);
          return [p.name, 'ok', p.critical !== false] as const;
        } catch (err) {
          return [p.name, err instanceof Error ? err.message : 'failed', p.critical !== false] as const;
        }
      }),
    );
    const checks = Object.fromEntries(results.map(([name, result]) => [name, result]));
    const ready = results.every(([, r, critical]) => r === 'ok' || !critical);
    const status = !ready ? 'not_ready' : results.every(([, r]) => r === 'ok') ? 'ready' : 'degraded';
    return reply.status(ready ? 200 : 503).send({ status, checks });
  });

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (req, reply) => {
    checkMetricsAccess(req, access);
    await beforeScrape().catch(() => undefined);
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms).unref())]);
}

/**
 * Who may scrape `/metrics`. With a token: whoever sends it (else 401). Without one: the machine itself
 * and private networks, where Prometheus usually sits (else 403); the labels (routes, channel types,
 * queue depths) are nobody else's business. The scraper is `req.ip` under `TRUST_PROXY` (the address the
 * trusted proxies saw); a request relayed by a proxy we were not told to trust is refused, since its
 * sender is unknown (a reverse proxy on this machine would make every visitor look local).
 */
function checkMetricsAccess(req: FastifyRequest, access: MetricsAccess): void {
  if (access.token !== undefined) {
    const given = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (given === undefined || !sameSecret(given, access.token)) {
      throw new AppError('unauthenticated', 'Send the metrics token: Authorization: Bearer <METRICS_TOKEN>', undefined, {
        'www-authenticate': 'Bearer realm="metrics"',
      });
    }
    return;
  }
  const relayed = ['x-forwarded-for', 'forwarded', 'x-real-ip'].some((h) => req.headers[h] !== undefined);
  const untrustedRelay = relayed && req.ip === req.socket.remoteAddress;
  if (untrustedRelay || !isPrivateNetwork(req.ip)) {
    throw new AppError(
      'forbidden',
      'Metrics are served to this machine and private networks only; set METRICS_TOKEN to scrape from elsewhere',
    );
  }
}

function isPrivateNetwork(address: string): boolean {
  if (!ipaddr.isValid(normaliseHost(address))) return false;
  const kind = classifyAddress(address);
  return kind === 'loopback' || kind === 'private';
}

const sameSecret = (a: string, b: string) =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
