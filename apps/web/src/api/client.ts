import { ApiError, toApiError } from './api-error';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

let csrfToken: string | null = null;
let onUnauthenticated: (() => void) | null = null;

/** The CSRF token of the current session, sent as `x-csrf-token` on every mutation. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the server says the session is gone (401 on any call but sign-in). */
export function setUnauthenticatedHandler(handler: (() => void) | null): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  /** JSON-encoded, except a `FormData`, which is sent as multipart as is. */
  body?: unknown;
  signal?: AbortSignal;
  query?: Record<string, string | number | undefined | null>;
}

function withQuery(path: string, query: RequestOptions['query']): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Headers every call sends: JSON answers, and the CSRF token on mutations. */
export function requestHeaders(method: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  return headers;
}

/** A 401 `unauthenticated` answer means the session is gone: show the login screen. */
export function reportUnauthenticated(error: ApiError): void {
  if (error.status === 401 && error.code === 'unauthenticated') onUnauthenticated?.();
}

async function request<T>(method: Method, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers = requestHeaders(method);
  const body = opts.body instanceof FormData || opts.body === undefined ? opts.body : JSON.stringify(opts.body);
  // No content-type without a body: the server rejects an empty JSON body. Multipart sets its own boundary.
  if (typeof body === 'string') headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', err instanceof Error ? err.message : String(err));
  }
  if (!res.ok) {
    const error = await toApiError(res);
    reportUnauthenticated(error);
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** The typed fetch wrapper every feature uses (`/api/...`, same-origin cookie, CSRF on mutations). */
export const api = {
  get: <T>(path: string, opts?: Omit<RequestOptions, 'body'>) => request<T>('GET', path, opts),
  post: <T>(path: string, body?: unknown, opts?: RequestOptions) => request<T>('POST', path, { ...opts, body }),
  put: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PUT', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, opts?: RequestOptions) => request<T>('PATCH', path, { ...opts, body }),
  delete: (path: string, opts?: RequestOptions) => request<void>('DELETE', path, opts),
};

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}
