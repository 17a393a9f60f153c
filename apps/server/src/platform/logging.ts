import pino, { type DestinationStream, type Logger } from 'pino';
import { traceIds } from './tracing.js';
import { captureError } from './error-tracking.js';

/** Secrets never reach the log, whatever object they hide in. */
const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'req.headers["x-telegram-bot-api-secret-token"]',
  '*.botToken',
  '*.password',
  '*.token',
  '*.secret',
];

/** `destination` defaults to stdout; tests pass a stream to read the lines back. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { pid: process.pid },
    serializers: { err: serializeError },
    // Inside a trace, every line carries its trace and span ids (empty without OTEL_EXPORTER_OTLP_ENDPOINT).
    mixin: traceIds,
    // Every error line that carries an error is also an error report (when SENTRY_DSN is set).
    hooks: {
      logMethod(this: Logger, args: unknown[], method: (...a: unknown[]) => void, level: number) {
        if (level >= ERROR_LEVEL) reportLogged(this, args);
        method.apply(this, args);
      },
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

const ERROR_LEVEL = 50;

function reportLogged(log: Logger, [first, second]: unknown[]): void {
  const fields = (typeof first === 'object' && first !== null ? first : {}) as Record<string, unknown>;
  const err = first instanceof Error ? first : fields.err;
  if (!(err instanceof Error)) return;
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  captureError(err, {
    requestId: text(log.bindings().reqId),
    route: text(fields.route),
    method: text(fields.method),
    job: text(fields.job),
    message: text(second),
  });
}

/**
 * What a PostgreSQL error may log: where it failed, never with what. `detail` ("Key (email)=(…) already
 * exists", "Failing row contains (…)"), `where`, `hint` and `internalQuery` can all quote row values.
 */
const PG_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'dataType', 'constraint', 'routine', 'position'] as const;
/** Never copied from any error: bound values, row values, live connections. */
const DROPPED = new Set(['params', 'query', 'detail', 'where', 'hint', 'internalQuery', 'internalPosition', 'client', 'raw']);

type ErrorLike = Error & Record<string, unknown>;
const isErrorLike = (v: unknown): v is ErrorLike => typeof v === 'object' && v !== null && typeof (v as Error).message === 'string';
const isPgError = (e: ErrorLike) => typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && typeof e.severity === 'string';
/** Drizzle's DrizzleQueryError: `query` is the SQL with $n placeholders, `params` the bound values. */
const isQueryError = (e: ErrorLike) => typeof e.query === 'string' && Array.isArray(e.params);

/**
 * The one error serializer of every log line: the usual type, message, stack and fields, with the
 * cause chain nested, but no value a failed query was run with. A query error keeps its SQL text
 * (placeholders only; quoted literals blanked); a PostgreSQL error keeps its SQLSTATE, constraint,
 * table, column and routine. The request id is on the line itself (the request's child logger).
 */
export function serializeError(err: unknown, seen = new Set<unknown>()): unknown {
  if (!isErrorLike(err)) return err;
  if (seen.has(err) || seen.size > 8) return { type: 'Error', message: '[cause chain truncated]' };
  seen.add(err);
  const type = err.constructor?.name ?? err.name;
  const message = safeMessage(err);
  const out: Record<string, unknown> = { type, message, stack: safeStack(err, message) };
  if (isQueryError(err)) out.query = blankLiterals(err.query as string);
  if (isPgError(err)) {
    for (const f of PG_FIELDS) if (err[f] !== undefined) out[f] = err[f];
  } else {
    for (const key of Object.keys(err)) {
      if (DROPPED.has(key) || key === 'cause' || key in out) continue;
      out[key] = isErrorLike(err[key]) ? serializeError(err[key], seen) : err[key];
    }
  }
  if (Array.isArray(err.errors)) out.aggregateErrors = err.errors.map((e) => serializeError(e, seen));
  if (isErrorLike(err.cause)) out.cause = serializeError(err.cause, seen);
  return out;
}

function safeMessage(err: ErrorLike): string {
  if (isQueryError(err)) return `Failed query: ${blankLiterals(err.query as string)}`;
  // Data exceptions quote the offending input: invalid input syntax for type uuid: "…".
  if (isPgError(err) && (err.code as string).startsWith('22')) return err.message.replace(/"(?:[^"]|"")*"/g, '"[redacted]"');
  // Any other message that embeds a failed query's text (a wrapper's `${err.message}`) loses its values.
  const at = err.message.indexOf('\nparams: ');
  return at === -1 ? err.message : `${err.message.slice(0, at)}\nparams: [redacted]`;
}

/** The stack's first line repeats the raw message: it gets the safe one, or the stack is dropped. */
function safeStack(err: ErrorLike, message: string): string | undefined {
  const stack = typeof err.stack === 'string' ? err.stack : undefined;
  if (!stack || message === err.message) return stack;
  return stack.includes(err.message) ? stack.replace(err.message, () => message) : undefined;
}

/** 'quoted' SQL literals become '…': a query written with a value inline still logs no value. */
function blankLiterals(sql: string): string {
  return sql.replace(/'(?:[^']|'')*'/g, "'…'");
}
