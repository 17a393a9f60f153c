/**
 * Error reports in the Sentry envelope format, for any Sentry-compatible ingest (Sentry, GlitchTip,
 * Bugsink…), built and scrubbed the same way by the server and the web app. Scrubbing keeps what
 * finds the bug (error type, stack frames, route, release, request id, trace id) and removes what a
 * report must never carry: message texts, e-mail addresses, phone numbers, tokens, cookies and
 * authorization headers.
 */

export interface Dsn {
  /** `https://host[:port][/path]`: where the ingest lives. */
  origin: string;
  publicKey: string;
  projectId: string;
  /** `<origin>/api/<project>/envelope/`. */
  envelopeUrl: string;
}

/** `https://<key>@host/<project>` → its parts; undefined when it is not a DSN. */
export function parseDsn(raw: string): Dsn | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const parts = url.pathname.split('/').filter(Boolean);
  const projectId = parts.pop();
  if (!url.username || !projectId || !/^[\w-]+$/.test(projectId)) return undefined;
  const prefix = parts.length ? `/${parts.join('/')}` : '';
  const origin = `${url.protocol}//${url.host}${prefix}`;
  return { origin, publicKey: decodeURIComponent(url.username), projectId, envelopeUrl: `${origin}/api/${projectId}/envelope/` };
}

export interface StackFrame {
  filename?: string;
  function?: string;
  lineno?: number;
  colno?: number;
  in_app?: boolean;
}

export interface ErrorEvent {
  event_id: string;
  timestamp: number;
  platform: 'node' | 'javascript';
  level: 'error' | 'fatal' | 'warning';
  environment?: string;
  release?: string;
  server_name?: string;
  message?: { formatted: string };
  exception?: { values: { type: string; value: string; stacktrace?: { frames: StackFrame[] } }[] };
  tags?: Record<string, string>;
  contexts?: Record<string, Record<string, unknown>>;
  request?: { method?: string; url?: string; headers?: Record<string, string> };
  user?: { id?: string };
  extra?: Record<string, unknown>;
}

/** Keys whose values are dropped whatever they hold (headers, fields, extra data). */
const SECRET_KEY =
  /pass|secret|token|auth|cookie|session|csrf|api[-_]?key|credential|signature|dsn|e-?mail|phone|text|body|content|caption|address|name$|^ip$/i;
/** Request headers a report may keep. */
const SAFE_HEADERS = new Set(['user-agent', 'content-type', 'accept', 'accept-language', 'x-request-id']);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const PATTERNS: [RegExp, string | ((match: string) => string)][] = [
  [/\b(bearer|basic)\s+[\w.~+/=-]+/gi, '$1 [Filtered]'],
  [/\bbot\d+:[\w-]{20,}/g, 'bot[Filtered]'],
  [/\beyJ[\w-]+\.[\w-]+\.[\w-]*/g, '[Filtered]'], // JWT
  [/[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  [/(?:\+|\b)\d[\d ()-]{8,}\d\b/g, '[phone]'],
  [/\b(?=[\w-]*\d)(?=[\w-]*[a-zA-Z])[\w-]{32,}\b/g, (m) => (UUID.test(m) ? m : '[Filtered]')], // long token-like strings (ids stay)
  [/([?&][^=&#\s]+=)[^&#\s]*/g, '$1[Filtered]'], // query string values
  [/"(?:[^"\\]|\\.){24,}"/g, '"[Filtered]"'], // long quoted input (a PostgreSQL data exception quotes it)
];

/** A string with e-mails, phones, tokens, query values and long quoted input replaced. */
export function scrubText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) {
    out = typeof replacement === 'string' ? out.replace(pattern, replacement) : out.replace(pattern, replacement);
  }
  return out.length > 2_000 ? `${out.slice(0, 2_000)}…` : out;
}

function scrubValue(key: string, value: unknown, depth: number): unknown {
  if (SECRET_KEY.test(key)) return '[Filtered]';
  if (typeof value === 'string') return scrubText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 5) return '[Filtered]';
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => scrubValue('', v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubValue(k, v, depth + 1)]));
}

function scrubUrl(raw: string): string {
  try {
    const url = new URL(raw, 'http://x');
    const path = scrubText(url.pathname);
    return raw.startsWith('/') ? path : `${url.origin}${path}`;
  } catch {
    return '[Filtered]';
  }
}

/**
 * The event as it may leave: known fields kept (strings scrubbed), the request reduced to method, path
 * and harmless headers, the user to an id, unknown fields and breadcrumbs dropped.
 */
export function scrubEvent(event: ErrorEvent): ErrorEvent {
  const out: ErrorEvent = {
    event_id: /^[0-9a-f]{32}$/.test(event.event_id) ? event.event_id : randomEventId(),
    timestamp: typeof event.timestamp === 'number' ? event.timestamp : Date.now() / 1000,
    platform: event.platform === 'node' ? 'node' : 'javascript',
    level: ['error', 'fatal', 'warning'].includes(event.level) ? event.level : 'error',
  };
  for (const key of ['environment', 'release', 'server_name'] as const) {
    if (typeof event[key] === 'string') out[key] = scrubText(event[key]).slice(0, 200);
  }
  if (event.message?.formatted) out.message = { formatted: scrubText(String(event.message.formatted)) };
  if (event.exception?.values) {
    out.exception = {
      values: event.exception.values.slice(0, 10).map((v) => ({
        type: scrubText(String(v.type ?? 'Error')).slice(0, 200),
        value: scrubText(String(v.value ?? '')),
        ...(v.stacktrace?.frames
          ? {
              stacktrace: {
                frames: v.stacktrace.frames.slice(-100).map((f) => ({
                  ...(f.filename ? { filename: scrubUrl(String(f.filename)) } : {}),
                  ...(f.function ? { function: String(f.function).slice(0, 200) } : {}),
                  ...(typeof f.lineno === 'number' ? { lineno: f.lineno } : {}),
                  ...(typeof f.colno === 'number' ? { colno: f.colno } : {}),
                  ...(typeof f.in_app === 'boolean' ? { in_app: f.in_app } : {}),
                })),
              },
            }
          : {}),
      })),
    };
  }
  if (event.tags) out.tags = scrubValue('', event.tags, 0) as Record<string, string>;
  if (event.contexts) out.contexts = scrubValue('', event.contexts, 0) as Record<string, Record<string, unknown>>;
  const trace = event.contexts?.trace;
  if (trace && /^[0-9a-f]{32}$/.test(String(trace.trace_id)) && /^[0-9a-f]{16}$/.test(String(trace.span_id))) {
    out.contexts = { ...out.contexts, trace: { trace_id: trace.trace_id, span_id: trace.span_id } };
  }
  if (event.extra) out.extra = scrubValue('', event.extra, 0) as Record<string, unknown>;
  if (event.request) {
    const headers = Object.entries(event.request.headers ?? {}).filter(([k]) => SAFE_HEADERS.has(k.toLowerCase()));
    out.request = {
      ...(event.request.method ? { method: String(event.request.method).slice(0, 10) } : {}),
      ...(event.request.url ? { url: scrubUrl(String(event.request.url)) } : {}),
      ...(headers.length ? { headers: Object.fromEntries(headers.map(([k, v]) => [k, scrubText(String(v))])) } : {}),
    };
  }
  if (event.user?.id && /^[\w-]{1,64}$/.test(event.user.id)) out.user = { id: event.user.id };
  return out;
}

/** The envelope (three JSON lines) that carries one event. */
export function buildEnvelope(event: ErrorEvent, dsn: Dsn, client: string): string {
  const header = { event_id: event.event_id, sent_at: new Date().toISOString(), dsn: dsnString(dsn), sdk: { name: client, version: '1' } };
  const body = JSON.stringify(event);
  return `${JSON.stringify(header)}\n${JSON.stringify({ type: 'event', length: new TextEncoder().encode(body).length })}\n${body}\n`;
}

/** The events of an envelope (other item types — sessions, replays, attachments — are skipped). */
export function eventsOfEnvelope(envelope: string): { header: Record<string, unknown>; events: ErrorEvent[] } {
  const lines = envelope.split('\n');
  const header = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
  const events: ErrorEvent[] = [];
  for (let i = 1; i + 1 < lines.length; i += 2) {
    const item = JSON.parse(lines[i]!) as { type?: string };
    if (item.type === 'event' && lines[i + 1]) events.push(JSON.parse(lines[i + 1]!) as ErrorEvent);
  }
  return { header, events };
}

/** `X-Sentry-Auth` for a DSN. */
export function authHeader(dsn: Dsn, client: string): string {
  return `Sentry sentry_version=7, sentry_key=${dsn.publicKey}, sentry_client=${client}/1`;
}

function dsnString(dsn: Dsn): string {
  const url = new URL(dsn.origin);
  return `${url.protocol}//${dsn.publicKey}@${url.host}${url.pathname.replace(/\/$/, '')}/${dsn.projectId}`;
}

export function randomEventId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Frames of a V8/SpiderMonkey stack, oldest first (the order Sentry expects). */
export function parseStack(stack: string | undefined): StackFrame[] {
  if (!stack) return [];
  const frames: StackFrame[] = [];
  for (const line of stack.split('\n').slice(0, 60)) {
    const v8 = /^\s*at (?:(.+?) \()?(.+?):(\d+):(\d+)\)?$/.exec(line);
    const gecko = v8 ? undefined : /^(.*)@(.+?):(\d+):(\d+)$/.exec(line);
    const m = v8 ?? gecko;
    if (!m) continue;
    const filename = m[2]!;
    frames.push({
      function: m[1] || '?',
      filename,
      lineno: Number(m[3]),
      colno: Number(m[4]),
      in_app: !filename.includes('node_modules') && !filename.startsWith('node:'),
    });
  }
  return frames.reverse();
}
