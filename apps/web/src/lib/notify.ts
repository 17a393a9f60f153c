import { notifications } from '@mantine/notifications';
import i18n from '../i18n';
import { ApiError } from '../api/api-error';

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
  'payload_too_large',
  'delivery_uncertain',
  'service_unavailable',
] as const;
type LocalisedCode = (typeof LOCALISED_CODES)[number];

const isLocalised = (code: string): code is LocalisedCode => (LOCALISED_CODES as readonly string[]).includes(code);

/** The message to show a person for any error thrown by the API client (or anything else). */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError)
    return isLocalised(error.code) ? i18n.t(`errors.codes.${error.code}`, { status: error.status }) : error.message;
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
