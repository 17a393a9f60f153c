import { describe, expect, it } from 'vitest';
import { analyse, stem, words } from './text.tokenise.js';

describe('words', () => {
  it('splits on punctuation and hyphens, normalised', () => {
    expect(words('Нью-Йорк, E-mail; «Доставка»!')).toEqual(['нью', 'йорк', 'e', 'mail', 'доставка']);
  });

  it('keeps numbers whole and writes them one way', () => {
    expect(words('Работаем 24/7, скидка 3.5% или 3,5%, с 10:30; 1,000 items')).toEqual([
      'работаем',
      '24/7',
      'скидка',
      '3.5',
      'или',
      '3.5',
      'с',
      '10:30',
      '1000',
      'items',
    ]);
  });

  it('keeps inner apostrophes', () => {
    expect(words("Tesla's order didn't ship")).toEqual(["tesla's", 'order', "didn't", 'ship']);
  });
});

describe('stem', () => {
  it('gives Russian word forms one stem', () => {
    expect(stem('доставки')).toBe(stem('доставка'));
    expect(stem('доставку')).toBe(stem('доставка'));
    expect(stem('оператора')).toBe(stem('операторы'));
    expect(stem('доставка')).not.toBe(stem('оплата'));
  });

  it('gives English word forms one stem', () => {
    expect(stem('refunds')).toBe(stem('refund'));
    expect(stem('refunded')).toBe(stem('refund'));
    expect(stem("tesla's")).toBe(stem('tesla'));
    expect(stem('refund')).not.toBe(stem('return'));
  });

  it('reads a Cyrillic word typed with Latin look-alikes as Cyrillic', () => {
    expect(stem('дoставки')).toBe(stem('доставка')); // Latin "o"
  });

  it('leaves numbers and codes alone', () => {
    expect(stem('24/7')).toBe('24/7');
    expect(stem('12345')).toBe('12345');
  });
});

describe('analyse', () => {
  it('stems each word by its own script, so mixed text works', () => {
    expect(analyse('Возврат refunds доставки')).toEqual([stem('возврат'), 'refund', stem('доставка')]);
  });

  it('drops function words but keeps negations', () => {
    expect(analyse('Где мой заказ? Он не пришёл')).toEqual([stem('заказ'), 'не', stem('пришел')]);
    expect(analyse('What is the refund policy? I do not agree')).toEqual(['refund', stem('policy'), 'not', stem('agree')]);
  });

  it('keeps function words on request (phrase matching)', () => {
    expect(analyse('позовите мне оператора', { keepStopWords: true })).toEqual([stem('позовите'), 'мне', stem('оператора')]);
  });

  it('returns nothing for text without words', () => {
    expect(analyse(' — !!! ')).toEqual([]);
  });
});
