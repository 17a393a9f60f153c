import { ApiError } from './api-error';
import { reportUnauthenticated, requestHeaders } from './client';

export interface UploadOptions {
  /** Share of the request body sent so far, 0…1. */
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toError(xhr: XMLHttpRequest): ApiError {
  const body = parseJson(xhr.responseText);
  const error = typeof body === 'object' && body !== null && 'error' in body ? body.error : null;
  if (typeof error === 'object' && error !== null && 'code' in error && 'message' in error) {
    const e = error as { code: string; message: string; requestId?: string; details?: unknown };
    return new ApiError(xhr.status, e.code, e.message, e.requestId ?? null, e.details);
  }
  return new ApiError(xhr.status, 'bad_response', xhr.statusText || `HTTP ${xhr.status}`, xhr.getResponseHeader('x-request-id'));
}

/**
 * POSTs a multipart form with upload progress, which `fetch` cannot report. Same session, CSRF
 * header and error shape as `api.*`.
 */
export function uploadForm<T>(path: string, form: FormData, opts: UploadOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    for (const [name, value] of Object.entries(requestHeaders('POST'))) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) opts.onProgress?.(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve((xhr.status === 204 ? undefined : parseJson(xhr.responseText)) as T);
        return;
      }
      const error = toError(xhr);
      reportUnauthenticated(error);
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'Network error during upload'));
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(form);
  });
}
