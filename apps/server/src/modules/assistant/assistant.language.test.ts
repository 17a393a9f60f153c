import { describe, expect, it } from 'vitest';
import { conversationLanguage } from './assistant.language.js';

describe('conversationLanguage', () => {
  it('keeps a Russian conversation Russian when a message is mostly a code, a name or a short English word', () => {
    expect(conversationLanguage('Order #A-1234, ok?', 'Здравствуйте, где мой заказ?')).toBe('ru');
    expect(conversationLanguage('iPhone 15 Pro', 'Есть в наличии?')).toBe('ru');
    expect(conversationLanguage('ok thanks', 'Спасибо, жду')).toBe('ru');
  });

  it('switches when the customer clearly writes in the other language', () => {
    expect(conversationLanguage('Do you deliver on Sundays?', 'Здравствуйте')).toBe('en');
    expect(conversationLanguage('А можно по-русски, пожалуйста?', 'Hello there')).toBe('ru');
  });

  it('a mixed message does not switch', () => {
    expect(conversationLanguage('my order номер 5 where is it', 'Где заказ?')).toBe('ru');
  });

  it('with nothing said before, the message decides (Russian unless clearly English)', () => {
    expect(conversationLanguage('Order #A-1234, ok?', '')).toBe('en');
    expect(conversationLanguage('12345', '')).toBe('ru');
  });
});
