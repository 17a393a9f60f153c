import diagnostics from 'node:diagnostics_channel';
import type http from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { isTracingSuppressed } from '@opentelemetry/core';
import { markFailed } from './tracing.js';

/** The part of an undici request the diagnostics channels give us. */
interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  path?: string;
  addHeader?(name: string, value: string): unknown;
}

const spans = new WeakMap<object, Span>();
let subscribed = false;

/** Inside a recorded trace, and not the exporter's own call. */
const traced = () => trace.getActiveSpan()?.isRecording() === true && !isTracingSuppressed(context.active());

/**
 * Client spans for outbound HTTP calls — provider APIs, webhooks, the LLM — from the diagnostics
 * channels that Node's built-in `fetch` and the `undici` package (the outbound policy's dispatcher)
 * publish to, and those of `node:http` (grammY's Telegram client), bundled or not. undici's callees get
 * `traceparent` (node:http on Node 20 announces a request only once its headers are sent). Only inside
 * a trace; the URL's query is dropped and token-like path segments (Telegram's `bot<token>`) are blanked.
 */
export function instrumentOutbound(): void {
  if (subscribed) return;
  subscribed = true;
  diagnostics.subscribe('undici:request:create', (message) => {
    const { request } = message as { request: UndiciRequest };
    if (!traced()) return;
    const origin = new URL(String(request.origin ?? 'http://unknown'));
    const span = startClientSpan(request.method ?? 'GET', origin.protocol, origin.hostname, origin.port, request.path ?? '/');
    spans.set(request, span);
    const headers: Record<string, string> = {};
    propagation.inject(trace.setSpan(context.active(), span), headers);
    for (const [name, value] of Object.entries(headers)) request.addHeader?.(name, value);
  });
  diagnostics.subscribe('undici:request:headers', (message) => {
    const { request, response } = message as { request: UndiciRequest; response: { statusCode: number } };
    const span = spans.get(request);
    if (!span) return;
    span.setAttribute('http.response.status_code', response.statusCode);
    if (response.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${response.statusCode}` });
  });
  diagnostics.subscribe('undici:request:trailers', (message) => {
    const { request } = message as { request: UndiciRequest };
    spans.get(request)?.end();
    spans.delete(request);
  });
  diagnostics.subscribe('undici:request:error', (message) => {
    const { request, error } = message as { request: UndiciRequest; error: unknown };
    const span = spans.get(request);
    if (!span) return;
    markFailed(span, error);
    span.end();
    spans.delete(request);
  });
  // Node 22.12+ announces a request as it is created, while its headers can still be set; Node 20 only at start.
  diagnostics.subscribe('http.client.request.created', (message) => beginHttp((message as { request: http.ClientRequest }).request));
  diagnostics.subscribe('http.client.request.start', (message) => beginHttp((message as { request: http.ClientRequest }).request));
  diagnostics.subscribe('http.client.response.finish', (message) => {
    const { request, response } = message as { request: http.ClientRequest; response: http.IncomingMessage };
    const span = spans.get(request);
    if (!span) return;
    const status = response.statusCode ?? 0;
    span.setAttribute('http.response.status_code', status);
    if (status >= 400) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
    span.end();
    spans.delete(request);
  });
  diagnostics.subscribe('http.client.request.error', (message) => {
    const { request, error } = message as { request: http.ClientRequest; error: unknown };
    const span = spans.get(request);
    if (!span) return;
    markFailed(span, error);
    span.end();
    spans.delete(request);
  });
}

function beginHttp(request: http.ClientRequest): void {
  if (!traced() || spans.has(request)) return;
  const span = startClientSpan(request.method, request.protocol, request.host, '', request.path);
  spans.set(request, span);
  if (request.headersSent) return;
  const headers: Record<string, string> = {};
  propagation.inject(trace.setSpan(context.active(), span), headers);
  for (const [name, value] of Object.entries(headers)) request.setHeader(name, value);
}

function startClientSpan(rawMethod: string, protocol: string, host: string, port: string, path: string): Span {
  const method = rawMethod.toUpperCase();
  const https = protocol === 'https:';
  return trace.getTracer('switchboard').startSpan(`${method} ${host}`, {
    kind: SpanKind.CLIENT,
    attributes: {
      'http.request.method': method,
      'server.address': host,
      ...(port ? { 'server.port': Number(port) } : {}),
      'url.scheme': https ? 'https' : 'http',
      'url.path': safePath(path),
    },
  });
}

/** The path without its query, each token-like segment blanked. */
export function safePath(path: string): string {
  return path
    .split('?')[0]!
    .split('/')
    .map((segment) => {
      if (/^bot\d+:/i.test(segment)) return 'bot[redacted]';
      const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(segment);
      return !uuid && segment.length >= 24 && /\d/.test(segment) && /[a-z]/i.test(segment) ? '[redacted]' : segment;
    })
    .join('/');
}
