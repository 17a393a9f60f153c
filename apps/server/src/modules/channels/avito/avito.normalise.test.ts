import { describe, expect, it } from 'vitest';
import { avitoReason, retryAfterOf } from './avito.client.js';
import { toInbound, type AvitoIncoming } from './avito.normalise.js';

const chat = {
  id: 'u2i-1',
  context: { type: 'item', value: { id: 42, title: 'Диван', price_string: '25 000 ₽', url: 'https://www.avito.ru/x_42' } },
  users: [
    { id: 100, name: 'Магазин' },
    { id: 200, name: 'Ольга' },
  ],
};
const base: AvitoIncoming = {
  id: 'm1',
  chatId: 'u2i-1',
  authorId: '200',
  created: 1_700_000_000,
  type: 'text',
  content: { text: 'Привет' },
};

describe('toInbound', () => {
  it('maps a customer text with the chat as thread and the listing as context', () => {
    expect(toInbound(base, '100', chat)).toEqual({
      externalId: 'm1',
      chatId: 'u2i-1',
      threadKey: 'u2i-1',
      contact: { externalId: '200', name: 'Ольга', username: null },
      text: 'Привет',
      attachments: [],
      sentAt: new Date(1_700_000_000_000),
      edited: false,
      context: { kind: 'listing', title: 'Диван', price: '25 000 ₽', url: 'https://www.avito.ru/x_42', avitoItemId: '42' },
    });
  });

  it('drops the account’s own echoed messages and service messages', () => {
    expect(toInbound({ ...base, authorId: '100' }, '100', chat)).toBeNull();
    expect(toInbound({ ...base, authorId: '0', type: 'system' }, '100', chat)).toBeNull();
    expect(toInbound({ ...base, type: 'deleted', content: {} }, '100', chat)).toBeNull();
  });

  it('maps images, voice notes, links, listings and places', () => {
    const image = toInbound(
      { ...base, type: 'image', content: { image: { sizes: { '140x105': 's', '1280x960': 'l' } } } },
      '100',
      undefined,
    )!;
    expect(image.attachments).toEqual([{ kind: 'photo', fileId: 'image:l' }]);
    expect(image.contact.name).toBeNull();
    expect(image.context).toBeUndefined();
    const voice = toInbound({ ...base, type: 'voice', content: { voice: { voice_id: 'v1' } } }, '100', undefined)!;
    expect(voice.attachments).toEqual([{ kind: 'voice', fileId: 'voice:v1' }]);
    expect(toInbound({ ...base, type: 'link', content: { link: { text: 'см.', url: 'https://x' } } }, '100', undefined)!.text).toBe(
      'см.\nhttps://x',
    );
    const item = toInbound(
      { ...base, type: 'item', content: { item: { title: 'Стол', price_string: '5 ₽', item_url: 'https://i' } } },
      '100',
      undefined,
    );
    expect(item!.text).toBe('Стол — 5 ₽\nhttps://i');
    const place = toInbound(
      { ...base, type: 'location', content: { location: { text: 'Москва', lat: 55.7, lon: 37.6 } } },
      '100',
      undefined,
    );
    expect(place!.text).toBe('Москва (55.7, 37.6)');
  });
});

describe('Avito error details', () => {
  it('reads the reason from each error shape', () => {
    expect(avitoReason({ error: { code: 400, message: 'bad chat' } }, 400)).toBe('bad chat');
    expect(avitoReason({ error: 'invalid_client', error_description: 'wrong secret' }, 401)).toBe('wrong secret');
    expect(avitoReason({ message: 'oops' }, 500)).toBe('oops');
    expect(avitoReason(null, 502)).toBe('HTTP 502');
  });

  it('reads how long to wait from Retry-After or X-RateLimit-Reset', () => {
    const now = 1_700_000_000_000;
    expect(retryAfterOf(new Headers({ 'retry-after': '7' }), now)).toBe(7);
    expect(retryAfterOf(new Headers({ 'retry-after': new Date(now + 3_000).toUTCString() }), now)).toBe(3);
    expect(retryAfterOf(new Headers({ 'x-ratelimit-reset': String(now / 1000 + 12) }), now)).toBe(12);
    expect(retryAfterOf(new Headers({ 'x-ratelimit-reset': '4' }), now)).toBe(4);
    expect(retryAfterOf(new Headers(), now)).toBeUndefined();
  });
});
