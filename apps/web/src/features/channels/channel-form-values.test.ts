import type { Channel } from '@switchboard/shared';
import type { TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/api-error';
import { fieldsOf } from './channel-fields';
import { validateConfig } from './channel-form-validate';
import { buildConfig, configPatch, initialValues, serverFieldErrors } from './channel-form-values';

/** Returns the key (and its options) instead of a translation, so assertions name what would be shown. */
const t = ((key: string, opts?: Record<string, unknown>) => (opts ? `${key} ${JSON.stringify(opts)}` : key)) as unknown as TFunction;

const channel = (type: Channel['type'], config: Record<string, unknown>): Channel => ({
  id: '00000000-0000-4000-8000-000000000001',
  type,
  name: 'x',
  config: { assistant: { enabled: false }, ...config },
  status: 'connected',
  statusReason: null,
  lastInboundAt: null,
  lastOutboundAt: null,
  lastPolledAt: null,
  errorCount: 0,
  lastError: null,
  lastErrorAt: null,
  createdAt: '2026-01-01T00:00:00.000Z',
});

describe('channel settings form', () => {
  it('builds a create request config: defaults, nested fields, empty optional inputs left out', () => {
    const fields = fieldsOf('widget');
    const values = { ...initialValues(fields), title: '  Shop  ', 'preChat.email': true, silenceAlertMinutes: '' };
    expect(buildConfig(fields, values)).toEqual({
      title: 'Shop',
      locale: 'auto',
      allowedOrigins: [],
      preChat: { name: false, email: true },
      assistant: { enabled: false },
    });
  });

  it('maps schema issues to fields in the user language, with the field-specific text where there is one', () => {
    const fields = fieldsOf('telegram');
    const errors = validateConfig(t, 'telegram', fields, { botToken: 'nope', mode: 'webhook', silenceAlertMinutes: 2 });
    expect(errors).toEqual({
      botToken: 'channels.fields.botToken.invalid',
      silenceAlertMinutes: 'channels.form.min {"min":5}',
    });
    expect(validateConfig(t, 'telegram', fields, { mode: 'webhook' })).toEqual({ botToken: 'channels.form.required' });
    const widget = validateConfig(t, 'widget', fieldsOf('widget'), { allowedOrigins: ['https://ok.example', 'shop.example'] });
    expect(widget.allowedOrigins).toBe('channels.fields.allowedOrigins.invalid (shop.example)');
  });

  it('an edit sends only what changed; an empty secret keeps the stored one; emptying a set value removes it', () => {
    const fields = fieldsOf('green_api');
    const c = channel('green_api', { idInstance: '1101000001', mode: 'polling', silenceAlertMinutes: 30, stateInstance: 'authorized' });
    const initial = initialValues(fields, c);
    expect(initial.apiTokenInstance).toBe('');
    expect(configPatch(fields, initial, initial)).toEqual({ patch: {}, cleared: [] });

    const changed = { ...initial, mode: 'webhook', apiTokenInstance: 'new-token-0123456789' };
    expect(configPatch(fields, initial, changed).patch).toEqual({ mode: 'webhook', apiTokenInstance: 'new-token-0123456789' });

    const emptied = { ...initial, silenceAlertMinutes: '' };
    expect(configPatch(fields, initial, emptied)).toEqual({ patch: { silenceAlertMinutes: null }, cleared: ['silenceAlertMinutes'] });
  });

  it('a nested setting is sent whole when one part changes', () => {
    const fields = fieldsOf('widget');
    const c = channel('widget', { preChat: { name: true, email: false }, locale: 'ru', allowedOrigins: [] });
    const initial = initialValues(fields, c);
    expect(configPatch(fields, initial, { ...initial, 'preChat.email': true }).patch).toEqual({ preChat: { name: true, email: true } });
  });

  it('reads field errors from a validation_failed answer', () => {
    const error = new ApiError(400, 'validation_failed', 'Invalid body', null, [
      { path: '/config/callbackUrl', message: 'Invalid URL' },
      { path: '/name', message: 'Too long' },
    ]);
    expect(serverFieldErrors(fieldsOf('api'), error)).toEqual({ callbackUrl: 'Invalid URL' });
    expect(serverFieldErrors(fieldsOf('api'), new Error('x'))).toEqual({});
  });
});
