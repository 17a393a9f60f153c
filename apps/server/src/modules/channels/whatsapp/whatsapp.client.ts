import { SendError } from '../adapter.js';
import { fetchText, retryAfterSeconds } from '../channels.http.js';
import { errorMessage } from '../channels.util.js';

/** What an operator sees when Meta refuses a free-form message outside the customer service window. */
export const WINDOW_CLOSED = 'More than 24 hours have passed since the customer last replied: WhatsApp only allows template messages now';

/** A Graph API error as Meta reports it: `{"error":{message,type,code,error_subcode,error_data,fbtrace_id}}`. */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
    readonly details: string | undefined,
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }
}

/** Where Meta serves media downloads (e.g. `lookaside.fbsbx.com`); only these hosts get the access token. */
const META_MEDIA_DOMAINS = ['fbsbx.com', 'fbcdn.net', 'facebook.com', 'whatsapp.net'];

/**
 * Whether a media download URL from a Graph answer may receive the channel's access token: https on a
 * Meta host, or the origin of the configured Graph API root (a proxy or a test server).
 */
export function isMetaMediaUrl(raw: string, apiRoot: string): boolean {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.origin === new URL(apiRoot).origin) return true;
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && META_MEDIA_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`));
}

/** No answer from Meta at all (network failure, timeout). */
export class GraphUnreachable extends Error {}

interface GraphRequest {
  method?: 'GET' | 'POST';
  body?: unknown;
  timeoutMs?: number;
}

/** One Graph API call with the channel's access token; throws `GraphError` / `GraphUnreachable`. */
export async function graphRequest<T>(root: string, accessToken: string, path: string, req: GraphRequest = {}): Promise<T> {
  const { res, text } = await fetchText(
    `${root}/${path}`,
    { ...req, headers: { authorization: `Bearer ${accessToken}` } },
    (reason) => new GraphUnreachable(`WhatsApp (Meta) could not be reached: ${reason}`),
  );
  if (res.ok) {
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new GraphError(res.status, undefined, 'Meta answered with something that is not JSON', undefined, undefined);
    }
  }
  throw toGraphError(res, text);
}

/** Meta's error body as a `GraphError` (a `Retry-After`, if any, comes from a proxy in front of Meta). */
function toGraphError(res: Response, text: string): GraphError {
  let error: { message?: unknown; code?: unknown; error_data?: { details?: unknown } } | undefined;
  try {
    error = (JSON.parse(text) as { error?: typeof error }).error;
  } catch {
    // An HTML error page from a proxy: the status says enough.
  }
  const message = typeof error?.message === 'string' ? error.message : `HTTP ${res.status}`;
  const details = typeof error?.error_data?.details === 'string' ? error.error_data.details : undefined;
  const code = typeof error?.code === 'number' ? error.code : undefined;
  return new GraphError(res.status, code, message, details, retryAfterSeconds(res.headers));
}

/**
 * Throttling codes and how long to wait before trying again (seconds). Meta sends no Retry-After:
 * 130429 is the per-number throughput cap (clears within a second or two); 131056 is the pair rate
 * (one message per 6 s to one user, refilled at that pace); 131057 is a throughput upgrade (about a
 * minute of maintenance); 80007 and 4 are the account's and the app's hourly call budgets.
 */
const THROTTLED: Record<number, number> = { 130429: 2, 131056: 6, 131057: 30, 80007: 60, 4: 60 };
/** Meta's own transient failures: 1 unknown, 2 service unavailable, 131000 something went wrong, 131016 and 133004 service unavailable. */
const TRANSIENT = new Set([1, 2, 131000, 131016, 133004]);

/** A readable reason from a Graph error: Meta's message, with its details when they add something. */
export function describeGraphError(err: GraphError): string {
  if (err.code === 131047) return WINDOW_CLOSED;
  const details = err.details && !err.message.includes(err.details) ? `: ${err.details}` : '';
  const code = err.code !== undefined && !err.message.includes(String(err.code)) ? ` (#${err.code})` : '';
  return `WhatsApp: ${err.message}${details}${code}`;
}

/** Maps a send failure to what the delivery job should do about it. */
export function toSendError(err: unknown): SendError {
  if (err instanceof GraphError) {
    const reason = describeGraphError(err);
    if (err.code === 131047) return new SendError('permanent', reason);
    // 190: the access token expired or was revoked; 10: the token lost the messaging permission.
    if (err.status === 401 || err.code === 190 || err.code === 10) return new SendError('auth', reason);
    const wait = err.code === undefined ? undefined : THROTTLED[err.code];
    if (wait !== undefined || err.status === 429) return new SendError('rate_limited', reason, err.retryAfterSeconds ?? wait ?? 5);
    if (err.status >= 500 || (err.code !== undefined && TRANSIENT.has(err.code))) return new SendError('retryable', reason);
    return new SendError('permanent', reason);
  }
  return new SendError('retryable', errorMessage(err));
}
