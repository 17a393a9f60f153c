import { buildEnvelope, parseDsn, parseStack, randomEventId, scrubEvent, type Dsn, type ErrorEvent } from '@switchboard/shared';

interface Target {
  dsn: Dsn;
  environment: string;
  tunnel: string;
}

/** A page sends at most this many reports (a render loop must not flood the ingest). */
const MAX_REPORTS = 10;

let target: Promise<Target | undefined> = Promise.resolve(undefined);
let sent = 0;
const seen = new Set<string>();

/**
 * Error reports of the web app, when the server has a Sentry-compatible DSN (asked at start-up, not
 * baked into the build). Uncaught errors and rejections are sent scrubbed (the same rules the server
 * applies again) through the server's `/api/error-reports`, so the browser needs no route to the ingest.
 */
export function startErrorReports(): void {
  target = fetch('/api/error-reports/config', { credentials: 'same-origin' })
    .then((res) => (res.ok ? (res.json() as Promise<{ dsn: string | null; environment: string; tunnel: string }>) : undefined))
    .then((config) => {
      const dsn = config?.dsn ? parseDsn(config.dsn) : undefined;
      return dsn && config ? { dsn, environment: config.environment, tunnel: config.tunnel } : undefined;
    })
    .catch(() => undefined);
  window.addEventListener('error', (e) => reportError(e.error ?? e.message));
  window.addEventListener('unhandledrejection', (e) => reportError(e.reason));
}

/** Sends one error report (no-op without a DSN); never throws. */
export function reportError(error: unknown, source = 'window'): void {
  const err = error instanceof Error ? error : new Error(typeof error === 'string' ? error : 'Non-error thrown');
  const key = `${err.name}:${err.message}`;
  if (seen.has(key) || sent >= MAX_REPORTS) return;
  seen.add(key);
  void target.then((t) => {
    if (!t || ++sent > MAX_REPORTS) return;
    const event: ErrorEvent = scrubEvent({
      event_id: randomEventId(),
      timestamp: Date.now() / 1000,
      platform: 'javascript',
      level: 'error',
      environment: t.environment,
      exception: { values: [{ type: err.name, value: err.message, stacktrace: { frames: parseStack(err.stack) } }] },
      tags: { source },
      request: { url: location.origin + location.pathname, headers: { 'User-Agent': navigator.userAgent } },
    });
    return fetch(t.tunnel, {
      method: 'POST',
      body: buildEnvelope(event, t.dsn, 'switchboard.web'),
      credentials: 'same-origin',
      keepalive: true,
    }).then(
      () => undefined,
      () => undefined,
    );
  });
}
