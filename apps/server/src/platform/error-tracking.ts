import os from 'node:os';
import { context } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import { authHeader, buildEnvelope, parseDsn, parseStack, randomEventId, scrubEvent, type Dsn, type ErrorEvent } from '@switchboard/shared';
import { serializeError } from './logging.js';
import { traceIds } from './tracing.js';

export interface ErrorTrackingSettings {
  /** `SENTRY_DSN`; unset = nothing is sent. */
  dsn: string | undefined;
  environment: string;
  release?: string;
}

/** Where a captured error happened: tags a report is searchable by. */
export interface ErrorScope {
  requestId?: string;
  route?: string;
  method?: string;
  job?: string;
  message?: string;
}

const CLIENT = 'switchboard.server';
/** At most this many reports a minute leave the process (an error in a hot loop must not flood the ingest). */
const PER_MINUTE = 30;

/**
 * Sends errors to a Sentry-compatible ingest, scrubbed (shared `scrubEvent`: no message texts, e-mails,
 * phones, tokens, cookies or authorization headers) — messages come from the log serializer, which
 * already leaves out query values and quoted row data. Sending never blocks or fails the caller.
 */
export class ErrorTracker {
  private inFlight = new Set<Promise<void>>();
  private windowStart = 0;
  private sentInWindow = 0;

  constructor(
    readonly dsn: Dsn,
    private readonly settings: ErrorTrackingSettings,
  ) {}

  capture(err: unknown, scope: ErrorScope = {}): void {
    if (this.allow()) this.send(this.eventOf(err, scope));
  }

  /** Forwards events the web app reported (already in Sentry's shape), scrubbed again here; same budget. */
  forward(events: ErrorEvent[]): void {
    for (const event of events.slice(0, 10)) if (this.allow()) this.send({ ...event, environment: this.settings.environment });
  }

  private allow(): boolean {
    const now = Date.now();
    if (now - this.windowStart > 60_000) {
      this.windowStart = now;
      this.sentInWindow = 0;
    }
    return ++this.sentInWindow <= PER_MINUTE;
  }

  async flush(): Promise<void> {
    await Promise.all([...this.inFlight]);
  }

  private send(event: ErrorEvent): void {
    const body = buildEnvelope(scrubEvent(event), this.dsn, CLIENT);
    // The report's own HTTP call is no part of the trace it reports on.
    const sending = context
      .with(suppressTracing(context.active()), () =>
        fetch(this.dsn.envelopeUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-sentry-envelope', 'x-sentry-auth': authHeader(this.dsn, CLIENT) },
          body,
          signal: AbortSignal.timeout(5_000),
        }),
      )
      .then(
        (res) => void res.body?.cancel(),
        () => undefined,
      )
      .finally(() => this.inFlight.delete(sending));
    this.inFlight.add(sending);
  }

  private eventOf(err: unknown, scope: ErrorScope): ErrorEvent {
    const values: NonNullable<ErrorEvent['exception']>['values'] = [];
    let e: unknown = err;
    for (let depth = 0; e instanceof Error && depth < 4; depth++, e = e.cause) {
      const safe = serializeError(e) as { type?: string; message?: string };
      values.unshift({ type: safe.type ?? e.name, value: safe.message ?? '', stacktrace: { frames: parseStack(e.stack) } });
    }
    if (values.length === 0) values.push({ type: typeof err, value: '' });
    const { traceId, spanId } = traceIds();
    const tags: Record<string, string> = {};
    for (const key of ['route', 'method', 'job'] as const) if (scope[key]) tags[key] = scope[key];
    if (scope.requestId) tags.request_id = scope.requestId;
    if (traceId) tags.trace_id = traceId;
    return {
      event_id: randomEventId(),
      timestamp: Date.now() / 1000,
      platform: 'node',
      level: 'error',
      environment: this.settings.environment,
      ...(this.settings.release ? { release: this.settings.release } : {}),
      server_name: os.hostname(),
      ...(scope.message ? { message: { formatted: scope.message } } : {}),
      exception: { values },
      tags,
      contexts: {
        runtime: { name: 'node', version: process.version },
        ...(traceId && spanId ? { trace: { trace_id: traceId, span_id: spanId } } : {}),
      },
    };
  }
}

let current: ErrorTracker | undefined;

/** Starts reporting (when a DSN is set); returns the stop function, which waits for reports in flight. */
export function startErrorTracking(settings: ErrorTrackingSettings): () => Promise<void> {
  const dsn = settings.dsn ? parseDsn(settings.dsn) : undefined;
  if (!dsn) return () => Promise.resolve();
  const tracker = new ErrorTracker(dsn, settings);
  current = tracker;
  return async () => {
    await tracker.flush();
    if (current === tracker) current = undefined;
  };
}

export function errorTracker(): ErrorTracker | undefined {
  return current;
}

/** Reports an error when tracking is on (every `log.error({ err })` line comes here). */
export function captureError(err: unknown, scope?: ErrorScope): void {
  current?.capture(err, scope);
}
