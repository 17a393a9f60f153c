import { describe, expect, it } from 'vitest';
import { amounts, layoutToEnglish, layoutToRussian, repairMessengerText, transliterate } from './text.messenger.js';

/** A tiny vocabulary standing in for an account's knowledge base. */
const vocabulary = (...words: string[]) => {
  const known = new Set(words);
  return (w: string) => known.has(w);
};

describe('messenger text repair', () => {
  it('reads a keyboard left in the wrong layout, both ways', () => {
    expect(layoutToRussian('ghbdtn')).toBe('привет');
    expect(layoutToRussian('lj,hsq')).toBe('добрый');
    expect(layoutToEnglish('руддщ')).toBe('hello');
    const ru = vocabulary('доставка', 'платная');
    expect(repairMessengerText('ljcnfdrf gkfnyfz?', ru, 'cyrillic')).toBe('доставка платная');
    const en = vocabulary('refund', 'policy');
    expect(repairMessengerText('кefund зщдшсн', en, 'latin')).toBe('кefund policy'); // a word mixing scripts is left alone
    expect(repairMessengerText('куагтв зщдшсн', en, 'latin')).toBe('refund policy');
  });

  it('reads Latin transliteration of Russian', () => {
    expect(transliterate('zdravstvuyte')).toBe('здравствуйте');
    expect(transliterate('dostavka')).toBe('доставка');
    expect(transliterate('platnaya')).toBe('платная');
    expect(transliterate('zhivu')).toBe('живу');
    expect(transliterate('implantaciya')).toBe('имплантация');
    const ru = vocabulary('доставка', 'платная');
    expect(repairMessengerText('privet, a dostavka platnaya?', ru, 'cyrillic')).toBe('привет а доставка платная');
  });

  it('leaves English alone when nothing in it reads as Russian, and known Latin words in a Russian message', () => {
    const ru = vocabulary('доставка', 'zoom');
    expect(repairMessengerText('how much is shipping to Berlin?', ru, 'cyrillic')).toBe('how much is shipping to berlin?');
    expect(repairMessengerText('занятия через zoom?', ru, 'cyrillic')).toBe('занятия через zoom?');
  });

  it('fails the rewrite when neither reading is known (a keyboard rewrite must land on a known word)', () => {
    const ru = vocabulary('доставка');
    expect(repairMessengerText('скажите, qwzx доставка', ru, 'cyrillic')).toBe('скажите, qwzx доставка');
  });

  it('drops emoji and emoticons, keeps the words', () => {
    const ru = vocabulary();
    expect(repairMessengerText('доставка 🚚🙏 есть? )))', ru, 'cyrillic')).toBe('доставка есть?');
    expect(repairMessengerText('спасибо :) до встречи 👍🏻', ru, 'cyrillic')).toBe('спасибо до встречи');
  });

  it('writes amounts as numbers', () => {
    expect(amounts('диван за 42 тыщи')).toBe('диван за 42000');
    expect(amounts('тысяч на 70 привезете')).toBe('тысяч на 70 привезете');
    expect(amounts('бюджет 70к, 1,5 тыс на доставку')).toBe('бюджет 70000, 1500 на доставку');
    expect(amounts('стоит 15 600 рублей')).toBe('стоит 15600 рублей');
  });
});
