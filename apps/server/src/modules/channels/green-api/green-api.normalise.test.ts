import { describe, expect, it } from 'vitest';
import { GreenApiError, toSendError } from './green-api.client.js';
import { normaliseNotification, statusOfState } from './green-api.normalise.js';

const incoming = (messageData: object, chatId = '79001234567@c.us') => ({
  typeWebhook: 'incomingMessageReceived',
  instanceData: { idInstance: 1101000001 },
  timestamp: 1_700_000_000,
  idMessage: 'ABC',
  senderData: { chatId, chatName: 'Анна', sender: chatId, senderName: 'Анна' },
  messageData,
});

describe('normaliseNotification', () => {
  it('maps a text message with the chat and message as the dedup key', () => {
    expect(normaliseNotification(incoming({ typeMessage: 'textMessage', textMessageData: { textMessage: 'Привет' } }))).toEqual({
      kind: 'message',
      message: {
        externalId: '79001234567@c.us:ABC',
        chatId: '79001234567@c.us',
        contact: { externalId: '79001234567@c.us', name: 'Анна', username: '+79001234567' },
        text: 'Привет',
        attachments: [],
        sentAt: new Date(1_700_000_000_000),
        edited: false,
      },
    });
  });

  it('reads extended text, files, edits and gives other content a readable line', () => {
    const text = (data: object) => {
      const n = normaliseNotification(incoming(data));
      return n.kind === 'message' ? [n.message.text, n.message.attachments, n.message.externalId, n.message.edited] : n.kind;
    };
    expect(text({ typeMessage: 'extendedTextMessage', extendedTextMessageData: { text: 'https://x.ru' } })[0]).toBe('https://x.ru');
    expect(text({ typeMessage: 'imageMessage', fileMessageData: { downloadUrl: 'u', caption: 'чек', mimeType: 'image/jpeg' } })).toEqual([
      'чек',
      [{ kind: 'photo', fileId: '79001234567@c.us/ABC', mimeType: 'image/jpeg' }],
      '79001234567@c.us:ABC',
      false,
    ]);
    expect(text({ typeMessage: 'editedMessage', editedMessageData: { textMessage: 'исправлено', stanzaId: 'OLD' } })).toEqual([
      'исправлено',
      [],
      '79001234567@c.us:OLD',
      true,
    ]);
    expect(
      text({ typeMessage: 'locationMessage', locationMessageData: { nameLocation: 'Офис', latitude: 55.7, longitude: 37.6 } })[0],
    ).toBe('[location] Офис (55.7, 37.6)');
    expect(text({ typeMessage: 'pollMessage' })[0]).toBe('[poll message]');
    expect(text({ typeMessage: 'deletedMessage' })).toBe('ignored');
  });

  it('maps outgoing statuses and instance state changes; ignores everything else', () => {
    const status = (s: string, description?: string) =>
      normaliseNotification({ typeWebhook: 'outgoingMessageStatus', chatId: '7@c.us', idMessage: 'M', status: s, description });
    expect(status('delivered')).toEqual({ kind: 'status', report: { externalId: '7@c.us:M', status: 'delivered', reason: null } });
    expect(status('failed', 'boom')).toMatchObject({ report: { status: 'failed', reason: 'WhatsApp (Green-API): boom' } });
    expect(status('noAccount')).toMatchObject({ report: { status: 'failed', reason: 'This phone number has no WhatsApp account' } });
    expect(status('pending')).toEqual({ kind: 'ignored' });
    expect(normaliseNotification({ typeWebhook: 'stateInstanceChanged', stateInstance: 'notAuthorized' })).toEqual({
      kind: 'state',
      stateInstance: 'notAuthorized',
    });
    expect(normaliseNotification({ typeWebhook: 'incomingCall' })).toEqual({ kind: 'ignored' });
    expect(statusOfState('notAuthorized', '1').status).toBe('auth_failed');
    expect(statusOfState('authorized', '1')).toEqual({ status: 'connected', statusReason: null });
  });
});

describe('toSendError', () => {
  it('maps Green-API statuses to what the delivery job does', () => {
    expect(toSendError(new GreenApiError(401, 'Unauthorized', undefined))).toMatchObject({ kind: 'auth' });
    expect(toSendError(new GreenApiError(403, 'Forbidden', undefined))).toMatchObject({ kind: 'auth' });
    expect(toSendError(new GreenApiError(429, 'Too Many Requests', 4))).toMatchObject({ kind: 'rate_limited', retryAfterSeconds: 4 });
    expect(toSendError(new GreenApiError(466, 'quota', undefined))).toMatchObject({
      kind: 'permanent',
      message: 'Green-API quota exceeded: quota',
    });
    expect(toSendError(new GreenApiError(502, 'Bad Gateway', undefined))).toMatchObject({ kind: 'retryable' });
    expect(toSendError(new GreenApiError(400, 'Validation failed', undefined))).toMatchObject({ kind: 'permanent' });
  });
});
