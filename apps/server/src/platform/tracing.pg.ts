import { context, SpanKind, trace, type Span } from '@opentelemetry/api';
import pg from 'pg';
import { markFailed } from './tracing.js';

type Callback = (err: Error | null, res?: unknown) => void;
type QueryFn = (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) => unknown;
type ConnectFn = (this: pg.Pool, callback?: unknown) => unknown;

const PATCHED = Symbol.for('switchboard.tracing.pg');

/**
 * Spans for PostgreSQL queries, by wrapping `pg` itself (the one copy Drizzle, pg-boss and our code
 * share), so it works in the bundle where require hooks do not. A query gets a span only inside a
 * trace (a request, a job): pg-boss's polling alone records nothing. The span holds the SQL text with
 * its placeholders — bound values never, quoted literals blanked.
 */
export function instrumentPg(): void {
  const clientProto = pg.Client.prototype as unknown as { query: QueryFn; [PATCHED]?: true };
  if (clientProto[PATCHED]) return;
  clientProto[PATCHED] = true;
  const query = clientProto.query;
  clientProto.query = function (this: pg.Client, config: unknown, values?: unknown, callback?: unknown) {
    const parent = trace.getActiveSpan();
    if (!parent?.isRecording() || isSubmittable(config)) return query.call(this, config, values, callback);
    const span = startQuerySpan(this, config);
    const end = (err: unknown) => {
      if (err) markFailed(span, err);
      span.end();
    };
    if (typeof values === 'function') return query.call(this, config, wrapCallback(values as Callback, end));
    if (typeof callback === 'function') return query.call(this, config, values, wrapCallback(callback as Callback, end));
    let result: unknown;
    try {
      result = query.call(this, config, values);
    } catch (err) {
      end(err);
      throw err;
    }
    void (result as Promise<unknown>).then(
      () => end(undefined),
      (err: unknown) => end(err),
    );
    return result;
  };

  // The pool hands out clients from callbacks of whoever released one: keep the caller's context.
  const poolProto = pg.Pool.prototype as unknown as { connect: ConnectFn };
  const connect = poolProto.connect;
  poolProto.connect = function (this: pg.Pool, callback?: unknown) {
    if (typeof callback !== 'function') return connect.call(this);
    return connect.call(this, context.bind(context.active(), callback as Callback));
  };
}

function startQuerySpan(client: pg.Client, config: unknown): Span {
  const text = typeof config === 'string' ? config : ((config as { text?: unknown }).text as string | undefined);
  const name = typeof config === 'object' ? (config as { name?: unknown }).name : undefined;
  const operation = /^\s*(\w+)/.exec(text ?? '')?.[1]?.toLowerCase() ?? 'query';
  const database = (client as unknown as { database?: string }).database;
  return trace.getTracer('switchboard').startSpan(typeof name === 'string' ? name : operation, {
    kind: SpanKind.CLIENT,
    attributes: {
      'db.system.name': 'postgresql',
      'db.operation.name': operation,
      ...(database ? { 'db.namespace': database } : {}),
      ...(text ? { 'db.query.text': blankLiterals(text).slice(0, 2_000) } : {}),
    },
  });
}

function wrapCallback(callback: Callback, end: (err: unknown) => void): Callback {
  return (err, res) => {
    end(err);
    callback(err, res);
  };
}

const isSubmittable = (config: unknown): boolean =>
  typeof config === 'object' && config !== null && typeof (config as { submit?: unknown }).submit === 'function';

function blankLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "'…'");
}
