import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type I18n from '../i18n';
import type { ApiError as ApiErrorClass } from '../api/api-error';
import type { errorMessage as ErrorMessage } from './notify';

// The i18n module marks <html lang>; no DOM in unit tests, so a stand-in element.
(globalThis as { document?: unknown }).document ??= { documentElement: { setAttribute: () => undefined } };

let i18n: typeof I18n;
let ApiError: typeof ApiErrorClass;
let errorMessage: typeof ErrorMessage;

beforeAll(async () => {
  i18n = (await import('../i18n')).default;
  ApiError = (await import('../api/api-error')).ApiError;
  errorMessage = (await import('./notify')).errorMessage;
});

describe('error texts', () => {
  afterAll(() => i18n.changeLanguage('en'));

  it('a provider refusal reads in Russian in the Russian UI, with no English text mixed in', async () => {
    await i18n.changeLanguage('ru');
    const text = errorMessage(new ApiError(422, 'provider_rejected', 'Telegram rejected the bot token: Unauthorized'));
    expect(text).toBe('Провайдер отклонил запрос. Проверьте учётные данные и настройки канала.');
    expect(errorMessage(new ApiError(404, 'not_found', 'Conversation not found'))).toMatch(/^Не найдено/);
  });

  it('keeps the provider specifics in the English UI', async () => {
    await i18n.changeLanguage('en');
    expect(errorMessage(new ApiError(422, 'provider_rejected', 'Telegram rejected the bot token: Unauthorized'))).toBe(
      'Telegram rejected the bot token: Unauthorized',
    );
  });
});
