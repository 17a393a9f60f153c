import { Api, GrammyError, HttpError } from 'grammy';
import { SendError } from '../adapter.js';

/** A Bot API client against the configured root (the official one, or a fake in tests). */
export function telegramApi(botToken: string, apiRoot: string, timeoutSeconds = 15): Api {
  return new Api(botToken, { apiRoot, timeoutSeconds });
}

/** Maps a Bot API failure to what the delivery job should do about it. */
export function toSendError(err: unknown): SendError {
  if (err instanceof GrammyError) {
    const reason = `Telegram: ${err.description}`;
    if (err.error_code === 429) return new SendError('rate_limited', reason, err.parameters.retry_after ?? 5);
    if (err.error_code === 401) return new SendError('auth', reason);
    if (err.error_code >= 500) return new SendError('retryable', reason);
    // 400 (bad chat, too long…), 403 (bot blocked by the user / kicked): retrying cannot help.
    return new SendError('permanent', reason);
  }
  if (err instanceof HttpError) return new SendError('retryable', `Telegram unreachable: ${err.message}`);
  return new SendError('retryable', err instanceof Error ? err.message : String(err));
}

export { GrammyError, HttpError };
