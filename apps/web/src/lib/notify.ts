import { notifications } from '@mantine/notifications';
import i18n, { currentLanguage } from '../i18n';
import { limitNames, PERMISSIONS, type LimitName, type Permission } from '@switchboard/shared';
import { ApiError } from '../api/api-error';

/** The permission a 403 `forbidden` names (the server puts it in the error's details). */
function missingPermission(error: unknown): Permission | null {
  if (!(error instanceof ApiError) || error.code !== 'forbidden') return null;
  const p: unknown = (error.details as { permission?: unknown } | null | undefined)?.permission;
  return typeof p === 'string' && Object.hasOwn(PERMISSIONS, p) ? (p as Permission) : null;
}

/** The plan limit a 402 `limit_reached` names (details `{ limit, max, used }`). */
function reachedLimit(error: unknown): { limit: LimitName; max: number } | null {
  if (!(error instanceof ApiError) || error.code !== 'limit_reached') return null;
  const d = error.details as { limit?: unknown; max?: unknown } | null | undefined;
  return typeof d?.limit === 'string' && (limitNames as readonly string[]).includes(d.limit) && typeof d.max === 'number'
    ? { limit: d.limit as LimitName, max: d.max }
    : null;
}

/** Codes whose server text means nothing to an operator: we say it in their language instead. */
const LOCALISED_CODES = [
  'network_error',
  'bad_response',
  'csrf_token_invalid',
  'forbidden',
  'internal_error',
  'invalid_credentials',
  'unauthenticated',
  'invalid_text',
  'too_many_attempts',
  'weak_password',
  'url_not_allowed',
  'credential_required',
  'document_too_complex',
  'document_too_large',
  'ocr_unavailable',
  'payload_too_large',
  'delivery_uncertain',
  'service_unavailable',
  'invitation_invalid',
  'reset_link_invalid',
  'two_factor_challenge_invalid',
  'invalid_two_factor_code',
  'two_factor_required',
  'wrong_password',
  'invalid_image',
  'rate_limited',
  'conflict',
  'account_suspended',
  'limit_reached',
  'signup_disabled',
  'signup_link_invalid',
  'llm_not_configured',
  'provider_rejected',
  'origin_not_allowed',
  'bridge_not_configured',
  'llm_unavailable',
  'invalid_import',
  'unsupported_type',
  'unsupported_media_type',
  'corrupt_file',
  'empty_document',
  'not_found',
  'telegram_login_expired',
  'invalid_visitor_token',
] as const;

/**
 * Codes whose server text carries the provider's specifics (which token, what the callback answered):
 * shown as is in English, where it reads naturally; other languages get the sentence for the code.
 */
const PROVIDER_DETAIL_CODES: readonly string[] = ['provider_rejected', 'llm_unavailable', 'invalid_import'];
type LocalisedCode = (typeof LOCALISED_CODES)[number];

const isLocalised = (code: string): code is LocalisedCode => (LOCALISED_CODES as readonly string[]).includes(code);

/** The message to show a person for any error thrown by the API client (or anything else). */
export function errorMessage(error: unknown): string {
  const limit = reachedLimit(error);
  if (limit) return i18n.t('errors.limitReached', { limit: i18n.t(`platform.limits.${limit.limit}`), max: limit.max });
  const permission = missingPermission(error);
  if (permission) return i18n.t('errors.forbiddenPermission', { permission, description: PERMISSIONS[permission][currentLanguage()] });
  if (error instanceof ApiError) {
    if (PROVIDER_DETAIL_CODES.includes(error.code) && currentLanguage() === 'en') return error.message;
    return isLocalised(error.code) ? i18n.t(`errors.codes.${error.code}`, { status: error.status }) : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function notifyError(error: unknown, title?: string): void {
  const requestId = error instanceof ApiError ? error.requestId : null;
  notifications.show({
    color: 'red',
    title: title ?? i18n.t('errors.title'),
    message: requestId ? `${errorMessage(error)} (${i18n.t('errors.requestId')}: ${requestId})` : errorMessage(error),
    autoClose: 8000,
  });
}

export function notifySuccess(message: string): void {
  notifications.show({ color: 'green', message, autoClose: 3000 });
}
