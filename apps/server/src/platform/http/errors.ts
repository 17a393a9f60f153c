/** The one error catalogue: every error a client can see has a stable code and HTTP status. */
export const ERRORS = {
  bad_request: 400,
  validation_failed: 400,
  invalid_json: 400,
  invalid_text: 400,
  invalid_cursor: 400,
  snooze_in_past: 400,
  snooze_time_required: 400,
  unknown_tag: 400,
  unknown_team: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  invalid_webhook_secret: 401,
  invalid_telegram_login: 401,
  invalid_visitor_token: 401,
  invalid_stream_ticket: 401,
  two_factor_challenge_invalid: 401,
  invalid_two_factor_code: 401,
  csrf_token_invalid: 403,
  origin_not_allowed: 403,
  forbidden: 403,
  account_suspended: 403,
  signup_disabled: 403,
  signup_link_invalid: 410,
  limit_reached: 402,
  not_found: 404,
  invitation_invalid: 410,
  reset_link_invalid: 410,
  conflict: 409,
  two_factor_required: 409,
  bridge_not_configured: 409,
  delivery_uncertain: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  provider_rejected: 422,
  weak_password: 422,
  wrong_password: 422,
  invalid_image: 422,
  url_not_allowed: 422,
  credential_required: 422,
  unsupported_type: 422,
  corrupt_file: 422,
  empty_document: 422,
  document_too_complex: 422,
  document_too_large: 422,
  ocr_unavailable: 422,
  invalid_import: 422,
  llm_not_configured: 422,
  telegram_login_expired: 422,
  llm_unavailable: 502,
  rate_limited: 429,
  too_many_attempts: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERRORS;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.status = ERRORS[code];
  }
}

export const notFound = (what: string): AppError => new AppError('not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this'): AppError => new AppError('forbidden', message);
