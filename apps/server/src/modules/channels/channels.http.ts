/** The HTTP plumbing provider clients share: one JSON call read to the end, and `Retry-After`. */
import { OutboundError, type OutboundPolicy } from '../../platform/http/outbound.js';

export interface JsonCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
  timeoutMs?: number;
  /** Cancels the call early (a poll loop stopping); the timeout applies either way. */
  signal?: AbortSignal;
  /** Sends the call through the outbound policy (a URL an account admin set, not the server's configuration). */
  via?: OutboundPolicy;
}

/**
 * One HTTP call with its whole answer read, whatever the status. No answer at all (network failure,
 * timeout, a body cut off) throws `unreachable(reason)`, so each client keeps its own error type; an
 * address the outbound policy refuses throws its `OutboundError` (that is no network failure to retry).
 */
export async function fetchText(
  url: string | URL,
  call: JsonCall,
  unreachable: (reason: string) => Error,
): Promise<{ res: Response; text: string }> {
  const timeout = AbortSignal.timeout(call.timeoutMs ?? 15_000);
  try {
    const res = await (call.via ? call.via.fetch(url, init(call, timeout)) : fetch(url, init(call, timeout)));
    return { res, text: await res.text() };
  } catch (err) {
    if (err instanceof OutboundError && err.category === 'blocked_address') throw err;
    throw unreachable(err instanceof Error ? err.message : String(err));
  }
}

function init(call: JsonCall, timeout: AbortSignal): RequestInit {
  return {
    method: call.method ?? 'GET',
    headers: { ...call.headers, ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
    signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
  };
}

/** `Retry-After` in whole seconds, given as seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(1, Math.ceil((at - now) / 1000));
}
