import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Load generation over keep-alive HTTP/1.1 connections on loopback, and latency statistics. */

export interface Poster {
  /** POSTs a JSON body; resolves with the status once the whole response has arrived. */
  post(path: string, body: string, headers?: Record<string, string>): Promise<number>;
  /** The same, with the response body. */
  request(path: string, body: string, headers?: Record<string, string>): Promise<{ status: number; body: string }>;
  close(): void;
}

export function poster(baseUrl: string, maxSockets: number): Poster {
  const url = new URL(baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  const send = (path: string, body: string, headers: Record<string, string>, keepBody: boolean) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('error', reject);
          res.on('data', (c: Buffer) => keepBody && chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return {
    post: (path, body, headers = {}) => send(path, body, headers, false).then((r) => r.status),
    request: (path, body, headers = {}) => send(path, body, headers, true),
    close: () => agent.destroy(),
  };
}

export interface LoadResult {
  /** Requests answered 2xx. */
  ok: number;
  /** Non-2xx answers and transport errors, by status (0 = error). */
  failed: Record<string, number>;
  durationSec: number;
  perSec: number;
  latencyMs: Latency;
}

export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** Closed loop: `concurrency` callers, each sending its next request when the previous one returns. */
export async function closedLoop(concurrency: number, durationSec: number, send: () => Promise<number>): Promise<LoadResult> {
  const latencies: number[] = [];
  const failed: Record<string, number> = {};
  let ok = 0;
  const start = performance.now();
  const end = start + durationSec * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        const status = await send().catch(() => 0);
        if (status >= 200 && status < 300) {
          ok++;
          latencies.push(performance.now() - t);
        } else failed[status] = (failed[status] ?? 0) + 1;
      }
    }),
  );
  const elapsed = (performance.now() - start) / 1000;
  return { ok, failed, durationSec: elapsed, perSec: ok / elapsed, latencyMs: summarise(latencies) };
}

export interface OpenLoopResult extends LoadResult {
  offeredPerSec: number;
  /** Latency from the send time each request was scheduled for (includes any queueing in the generator). */
  latencyFromScheduleMs: Latency;
  /** How late the generator actually issued requests versus their schedule. */
  issueLagMs: Latency;
}

/**
 * Open loop: request `i` is due at `start + i / rate`, whatever happened to the earlier ones, so a
 * slow server shows up as latency instead of silently lowering the offered rate.
 */
export async function openLoop(ratePerSec: number, durationSec: number, send: (i: number) => Promise<number>): Promise<OpenLoopResult> {
  const total = Math.round(ratePerSec * durationSec);
  const interval = 1000 / ratePerSec;
  const latencies: number[] = [];
  const fromSchedule: number[] = [];
  const lag: number[] = [];
  const failed: Record<string, number> = {};
  let ok = 0;
  const inflight: Promise<void>[] = [];
  const start = performance.now() + 5;
  let next = 0;
  const fire = (i: number, due: number) => {
    const t = performance.now();
    lag.push(t - due);
    inflight.push(
      send(i)
        .catch(() => 0)
        .then((status) => {
          const now = performance.now();
          if (status >= 200 && status < 300) {
            ok++;
            latencies.push(now - t);
            fromSchedule.push(now - due);
          } else failed[status] = (failed[status] ?? 0) + 1;
        }),
    );
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      while (next < total && start + next * interval <= now) {
        fire(next, start + next * interval);
        next++;
      }
      if (next >= total) return resolve();
      setTimeout(tick, Math.max(0, start + next * interval - performance.now() - 0.5));
    };
    tick();
  });
  await Promise.all(inflight);
  const elapsed = (performance.now() - start) / 1000;
  return {
    ok,
    failed,
    durationSec: elapsed,
    perSec: ok / elapsed,
    offeredPerSec: ratePerSec,
    latencyMs: summarise(latencies),
    latencyFromScheduleMs: summarise(fromSchedule),
    issueLagMs: summarise(lag),
  };
}

export function summarise(values: number[]): Latency {
  if (values.length === 0) return { p50: NaN, p90: NaN, p99: NaN, p999: NaN, max: NaN, mean: NaN };
  const s = Float64Array.from(values).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  const r = (v: number) => Math.round(v * 100) / 100;
  return {
    p50: r(q(0.5)),
    p90: r(q(0.9)),
    p99: r(q(0.99)),
    p999: r(q(0.999)),
    max: r(s[s.length - 1]!),
    mean: r(values.reduce((a, b) => a + b, 0) / values.length),
  };
}
