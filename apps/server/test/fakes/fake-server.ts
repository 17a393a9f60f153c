import { once } from 'node:events';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What every fake provider server shares: a loopback port, a clean stop, token-bucket rate limits. */

/** Listens on a free loopback port; resolves with the server's base URL. */
export async function listenOnLoopback(server: http.Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Drops open (keep-alive) connections and closes the server. */
export async function closeServer(server: http.Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export type Buckets = Map<string, { tokens: number; at: number }>;

/** Token bucket per key, as providers enforce their limits; returns seconds until a token is available (0 = taken now). */
export function takeToken(buckets: Buckets, key: string, capacity: number, perSecond: number): number {
  const now = Date.now();
  const b = buckets.get(key) ?? { tokens: capacity, at: now };
  b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * perSecond);
  b.at = now;
  buckets.set(key, b);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return (1 - b.tokens) / perSecond;
}
