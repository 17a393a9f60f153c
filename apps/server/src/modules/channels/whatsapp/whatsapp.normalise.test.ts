import { describe, expect, it } from 'vitest';
import { GraphError, toSendError, WINDOW_CLOSED } from './whatsapp.client.js';
import { parseWebhook } from './whatsapp.normalise.js';

const change = (value: Record<string, unknown>) => ({
  object: 'whatsapp_business_account',
  entry: [
    { id: '1', changes: [{ field: 'messages', value: { messaging_product: 'whatsapp', metadata: { phone_number_id: '555' }, ...value } }] },
  ],
});

describe('parseWebhook', () => {
  it('maps a text message with the contact’s profile name', () => {
    const [c] = parseWebhook(
      change({
        contacts: [{ profile: { name: 'Анна' }, wa_id: '79001234567' }],
        messages: [{ from: '79001234567', id: 'wamid.A', timestamp: '1700000000', type: 'text', text: { body: 'Привет' } }],
      }),
    );
    expect(c!.phoneNumberId).toBe('555');
    expect(c!.messages).toEqual([
      {
        externalId: 'wamid.A',
        chatId: '79001234567',
        contact: { externalId: '79001234567', name: 'Анна', username: '+79001234567' },
        text: 'Привет',
        attachments: [],
        sentAt: new Date(1_700_000_000_000),
        edited: false,
      },
    ]);
  });

  it('keeps media ids as attachments and gives other types a readable line', () => {
    const [c] = parseWebhook(
      change({
        messages: [
          { from: '1', id: 'a', timestamp: '1', type: 'audio', audio: { id: 'm1', mime_type: 'audio/ogg; codecs=opus', voice: true } },
          {
            from: '1',
            id: 'b',
            timestamp: '1',
            type: 'document',
            document: { id: 'm2', filename: 'счёт.pdf', mime_type: 'application/pdf' },
          },
          {
            from: '1',
            id: 'c',
            timestamp: '1',
            type: 'interactive',
            interactive: { type: 'button_reply', button_reply: { id: 'y', title: 'Да' } },
          },
          { from: '1', id: 'd', timestamp: '1', type: 'reaction', reaction: { message_id: 'x', emoji: '👍' } },
          {
            from: '1',
            id: 'e',
            timestamp: '1',
            type: 'contacts',
            contacts: [{ name: { formatted_name: 'Олег' }, phones: [{ phone: '+7 900' }] }],
          },
          { from: '1', id: 'f', timestamp: '1', type: 'system', system: { body: 'changed number' } },
        ],
      }),
    );
    expect(c!.messages.map((m) => [m.text, m.attachments])).toEqual([
      [null, [{ kind: 'voice', fileId: 'm1', mimeType: 'audio/ogg; codecs=opus' }]],
      [null, [{ kind: 'document', fileId: 'm2', fileName: 'счёт.pdf', mimeType: 'application/pdf' }]],
      ['Да', []],
      ['[reaction] 👍', []],
      ['[contact] Олег +7 900', []],
    ]);
  });

  it('maps statuses, with the 24-hour window failure in plain words', () => {
    const [c] = parseWebhook(
      change({
        statuses: [
          { id: 'w1', status: 'delivered', timestamp: '1', recipient_id: '1' },
          { id: 'w2', status: 'failed', recipient_id: '1', errors: [{ code: 131047, title: 'Re-engagement message' }] },
          {
            id: 'w3',
            status: 'failed',
            recipient_id: '1',
            errors: [{ code: 131026, title: 'Message undeliverable', error_data: { details: 'Not on WhatsApp' } }],
          },
          { id: 'w4', status: 'deleted', recipient_id: '1' },
        ],
      }),
    );
    expect(c!.statuses).toEqual([
      { externalId: 'w1', status: 'delivered', reason: null },
      { externalId: 'w2', status: 'failed', reason: WINDOW_CLOSED },
      { externalId: 'w3', status: 'failed', reason: 'WhatsApp: Not on WhatsApp (#131026)' },
    ]);
  });

  it('skips other fields and bodies it cannot read', () => {
    expect(
      parseWebhook({ object: 'whatsapp_business_account', entry: [{ changes: [{ field: 'message_template_status_update', value: {} }] }] }),
    ).toEqual([]);
    expect(parseWebhook('nonsense')).toEqual([]);
    expect(parseWebhook(change({ messages: [{ id: 'no-sender' }] }))[0]!.messages).toEqual([]);
  });
});

describe('toSendError', () => {
  const graph = (status: number, code: number | undefined, message = 'm', retryAfter?: number) =>
    toSendError(new GraphError(status, code, message, undefined, retryAfter));

  it('maps Meta’s codes to what the delivery job does', () => {
    expect(graph(400, 131047)).toMatchObject({ kind: 'permanent', message: WINDOW_CLOSED });
    expect(graph(401, 190)).toMatchObject({ kind: 'auth' });
    expect(graph(400, 130429)).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 2 });
    expect(graph(400, 131056)).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 6 });
    expect(graph(400, 80007)).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 60 });
    expect(graph(429, undefined, 'slow down', 7)).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 7 });
    expect(graph(503, undefined)).toMatchObject({ kind: 'retryable' });
    expect(graph(400, 131000)).toMatchObject({ kind: 'retryable' });
    expect(graph(400, 100, '(#100) Invalid parameter')).toMatchObject({ kind: 'permanent', message: 'WhatsApp: (#100) Invalid parameter' });
    expect(toSendError(new TypeError('fetch failed'))).toMatchObject({ kind: 'retryable' });
  });
});
