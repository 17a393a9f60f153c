import {
  context,
  INVALID_SPAN_CONTEXT,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { instrumentPg } from './tracing.pg.js';
import { instrumentOutbound } from './tracing.outbound.js';

export interface TracingSettings {
  /** `OTEL_EXPORTER_OTLP_ENDPOINT`: the collector's base URL (`/v1/traces` is appended); unset = no tracing. */
  endpoint: string | undefined;
  /** `OTEL_EXPORTER_OTLP_HEADERS` as parsed pairs (a hosted backend's API key). */
  headers: Record<string, string>;
  serviceName: string;
  /** Share of new traces recorded (a trace started upstream follows the caller's decision). */
  sampleRatio: number;
  /** The process's roles, recorded on every span's resource. */
  roles: readonly string[];
}

interface Started {
  provider: BasicTracerProvider;
  contextManager: AsyncLocalStorageContextManager;
  users: number;
}

let started: Started | undefined;

/**
 * Starts OpenTelemetry tracing when an OTLP endpoint is configured (HTTP, PostgreSQL, jobs and outbound
 * calls are instrumented explicitly: hooks and wrappers, no require hooks, so it works in the bundle).
 * Without an endpoint nothing is registered and every span call is a no-op. Returns the stop function
 * (flushes what is buffered). Several apps in one process (tests) share one provider.
 */
export function startTracing(settings: TracingSettings, exporter?: SpanExporter): () => Promise<void> {
  if (!settings.endpoint && !exporter) return () => Promise.resolve();
  if (!started) {
    const contextManager = new AsyncLocalStorageContextManager().enable();
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({
        'service.name': settings.serviceName,
        'service.instance.id': `${process.pid}`,
        'switchboard.roles': settings.roles.join(','),
      }),
      sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.sampleRatio) }),
      spanProcessors: [
        new BatchSpanProcessor(
          exporter ?? new OTLPTraceExporter({ url: `${settings.endpoint!.replace(/\/+$/, '')}/v1/traces`, headers: settings.headers }),
          { scheduledDelayMillis: 1_000 },
        ),
      ],
    });
    context.setGlobalContextManager(contextManager);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    instrumentPg();
    instrumentOutbound();
    started = { provider, contextManager, users: 0 };
  }
  const own = started;
  own.users++;
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    await own.provider.forceFlush().catch(() => undefined);
    if (--own.users > 0) return;
    await own.provider.shutdown().catch(() => undefined);
    if (started === own) {
      trace.disable();
      propagation.disable();
      context.disable();
      started = undefined;
    }
  };
}

export const tracingEnabled = (): boolean => started !== undefined;

export function tracer(): Tracer {
  return trace.getTracer('switchboard');
}

/** The active trace and span ids, for log lines; empty outside a trace. */
export function traceIds(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const sc = span.spanContext();
  return isSpanContextValid(sc) ? { traceId: sc.traceId, spanId: sc.spanId } : {};
}

/** The active trace as W3C headers (`traceparent`), to carry in a job's data; undefined outside a trace. */
export function traceCarrier(): Record<string, string> | undefined {
  if (!started || !trace.getActiveSpan()) return undefined;
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** The context a carrier (job data, request headers) continues; the root context without one. */
export function contextFrom(carrier: Record<string, unknown> | undefined): Context {
  if (!started || !carrier) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/**
 * Runs `fn` inside a new span (a child of `parent`, or of the active span); ends it when `fn` settles,
 * marking it failed on a throw (the error's type only: messages may quote customer data).
 */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes; parent?: Context },
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  if (!started) return fn(trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  const parent = options.parent ?? context.active();
  const span = tracer().startSpan(name, { kind: options.kind ?? SpanKind.INTERNAL, attributes: options.attributes }, parent);
  try {
    return await context.with(trace.setSpan(parent, span), () => fn(span));
  } catch (err) {
    markFailed(span, err);
    throw err;
  } finally {
    span.end();
  }
}

/** Marks a span failed with the error's type (and SQLSTATE / category code), never its message. */
export function markFailed(span: Span, err: unknown): void {
  const type = err instanceof Error ? err.constructor.name || err.name : typeof err;
  const code = (err as { code?: unknown; category?: unknown } | null)?.code ?? (err as { category?: unknown } | null)?.category;
  span.setAttribute('error.type', typeof code === 'string' ? `${type}:${code}` : type);
  span.setStatus({ code: SpanStatusCode.ERROR, message: type });
}

export { SpanKind, SpanStatusCode };
