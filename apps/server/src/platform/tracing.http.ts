import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { markFailed, tracingEnabled } from './tracing.js';

const traced = new WeakMap<FastifyRequest, { span: Span; ctx: Context }>();

/**
 * A server span per request, continuing the caller's `traceparent`, made the active context for the
 * hooks and the handler (re-entered after the body is read, whose stream events run outside it). The
 * span names the route template, not the URL: ids and tokens in paths and queries stay out.
 */
export function traceRequests(app: FastifyInstance): void {
  app.addHook('onRequest', (req, _reply, done) => {
    if (!tracingEnabled()) return done();
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const span = trace
      .getTracer('switchboard')
      .startSpan(
        req.method,
        { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.scheme': req.protocol } },
        parent,
      );
    const ctx = trace.setSpan(parent, span);
    traced.set(req, { span, ctx });
    context.with(ctx, done);
  });
  const reenter = (req: FastifyRequest, _reply: unknown, done: () => void) => {
    const t = traced.get(req);
    if (!t) return done();
    context.with(t.ctx, done);
  };
  app.addHook('preValidation', reenter);
  app.addHook('preHandler', reenter);
  app.addHook('onError', (req, _reply, err, done) => {
    const t = traced.get(req);
    if (t) markFailed(t.span, err);
    done();
  });
  app.addHook('onResponse', (req, reply, done) => {
    const t = traced.get(req);
    if (t) {
      const route = req.routeOptions.url;
      if (route) t.span.updateName(`${req.method} ${route}`).setAttribute('http.route', route);
      t.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) t.span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${reply.statusCode}` });
      t.span.end();
      traced.delete(req);
    }
    done();
  });
  app.addHook('onRequestAbort', (req, done) => {
    const t = traced.get(req);
    if (t) {
      t.span.setAttribute('error.type', 'aborted').end();
      traced.delete(req);
    }
    done();
  });
}
