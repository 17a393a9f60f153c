import type { ErrorBody } from '@switchboard/shared';

/** Codes the client produces itself, next to the server's error catalogue. */
export type ClientErrorCode = 'network_error' | 'bad_response';

/** A failed API call, carrying the server's `{"error":{code,message,requestId,details}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId: string | null = null,
    readonly details: unknown = undefined,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get isClientError(): boolean {
    return this.status >= 400 && this.status < 500;
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (typeof body !== 'object' || body === null || !('error' in body)) return false;
  const error: unknown = body.error;
  return typeof error === 'object' && error !== null && 'code' in error && 'message' in error;
}

/** Builds an ApiError from a non-2xx response, whatever its body looks like. */
export async function toApiError(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  if (isErrorBody(body)) {
    const { code, message, requestId, details } = body.error;
    return new ApiError(res.status, code, message, requestId, details);
  }
  return new ApiError(res.status, 'bad_response', res.statusText || `HTTP ${res.status}`, res.headers.get('x-request-id'));
}
