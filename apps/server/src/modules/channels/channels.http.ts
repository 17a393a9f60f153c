/** The HTTP plumbing provider clients share: one JSON call read to the end, and `Retry-After`. */

export interface JsonCall {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON when present. */
  body?: unknown;
  timeoutMs?: number;
  /** Cancels the call early (a poll loop stopping); the timeout applies either way. */
  signal?: AbortSignal;
}

/**
 * One HTTP call with its whole answer read, whatever the status. No answer at all (network failure,
 * timeout, a body cut off) throws `unreachable(reason)`, so each client keeps its own error type.
 */
export async function fetchText(
  url: string | URL,
  call: JsonCall,
  unreachable: (reason: string) => Error,
): Promise<{ res: Response; text: string }> {
  const timeout = AbortSignal.timeout(call.timeoutMs ?? 15_000);
  try {
    const res = await fetch(url, {
      method: call.method ?? 'GET',
      headers: { ...call.headers, ...(call.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
      signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout,
    });
    return { res, text: await res.text() };
  } catch (err) {
    throw unreachable(err instanceof Error ? err.message : String(err));
  }
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
