import type { CannedResponse } from '@switchboard/shared';
import { describe, expect, it } from 'vitest';
import { conversationLanguage, renderCanned, searchCanned } from './canned-render';

const item = (shortcut: string, text: string, language: 'ru' | 'en' | null): CannedResponse => ({
  id: shortcut + (language ?? ''),
  shortcut,
  text,
  language,
  shared: true,
  ownerUserId: null,
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('canned responses in the reply box', () => {
  it('fill the variables', () => {
    expect(
      renderCanned('Здравствуйте, {{contact.name}}! Я {{ agent.name }}, диалог №{{conversation.number}}. {{unknown}}', {
        contactName: 'Ирина',
        agentName: 'Анна',
        conversationNumber: 1042,
      }),
    ).toBe('Здравствуйте, Ирина! Я Анна, диалог №1042. {{unknown}}');
  });

  it('prefer the conversation’s language and shortcut prefixes', () => {
    const items = [
      item('hi', 'Hello', 'en'),
      item('hi', 'Привет', 'ru'),
      item('price', 'Hi, our prices', null),
      item('thanks', 'Спасибо', 'ru'),
    ];
    expect(searchCanned(items, 'hi', 'ru').map((c) => c.text)).toEqual(['Привет', 'Hello', 'Hi, our prices']);
    expect(searchCanned(items, 'hi', 'en').map((c) => c.text)).toEqual(['Hello', 'Привет', 'Hi, our prices']);
    expect(conversationLanguage('Добрый день')).toBe('ru');
    expect(conversationLanguage('Good day')).toBe('en');
  });
});
