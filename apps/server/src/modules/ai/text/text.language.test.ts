import { describe, expect, it } from 'vitest';
import { detectLanguage, passageLanguage } from './text.language.js';

describe('detectLanguage', () => {
  it('tells Russian from English by script', () => {
    expect(detectLanguage('Где мой заказ?')).toBe('ru');
    expect(detectLanguage('Where is my order?')).toBe('en');
  });

  it('goes with the script most letters use in mixed text', () => {
    expect(detectLanguage('Не приходит SMS с кодом')).toBe('ru');
    expect(detectLanguage('Please reset my пароль, thanks a lot')).toBe('en');
  });

  it('says "other" without letters or for other scripts', () => {
    expect(detectLanguage('12345 !!! 👍')).toBe('other');
    expect(detectLanguage('')).toBe('other');
    expect(detectLanguage('我的订单在哪里')).toBe('other');
    expect(detectLanguage('Πού είναι η παραγγελία μου')).toBe('other');
  });
});

describe('passageLanguage', () => {
  it('tags a passage with its language, or "und" when it is neither Russian nor English', () => {
    expect(passageLanguage('Доставка занимает три дня')).toBe('ru');
    expect(passageLanguage('Delivery takes three days')).toBe('en');
    expect(passageLanguage('12345 !!!')).toBe('und');
  });
});
