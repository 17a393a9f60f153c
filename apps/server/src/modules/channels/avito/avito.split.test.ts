import { describe, expect, it } from 'vitest';
import { splitForAvito } from './avito.split.js';

describe('splitForAvito', () => {
  it('keeps a short reply whole', () => {
    expect(splitForAvito('  Добрый день!  ')).toEqual(['Добрый день!']);
    expect(splitForAvito('   ')).toEqual([]);
  });

  it('cuts at the last sentence end that fits', () => {
    const text = 'Первое предложение. Второе предложение! Третье?';
    expect(splitForAvito(text, 30)).toEqual(['Первое предложение.', 'Второе предложение! Третье?']);
    expect(splitForAvito(text, 22)).toEqual(['Первое предложение.', 'Второе предложение!', 'Третье?']);
  });

  it('keeps closing quotes with their sentence', () => {
    expect(splitForAvito('Он сказал «да.» А потом ушёл домой.', 20)).toEqual(['Он сказал «да.»', 'А потом ушёл домой.']);
  });

  it('prefers a paragraph break in the second half of the window', () => {
    const text = `${'а'.repeat(30)}. ${'б'.repeat(20)}\n\n${'в'.repeat(30)}`;
    expect(splitForAvito(text, 60)).toEqual([`${'а'.repeat(30)}. ${'б'.repeat(20)}`, 'в'.repeat(30)]);
  });

  it('falls back to words, then to a hard cut that never splits a surrogate pair', () => {
    expect(splitForAvito('один два три четыре пять', 10)).toEqual(['один два', 'три четыре', 'пять']);
    const emoji = '😀'.repeat(6); // 12 UTF-16 units
    const parts = splitForAvito(emoji, 5);
    expect(parts.join('')).toBe(emoji);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(5);
      expect(p).not.toMatch(/[\ud800-\udbff]$/);
    }
  });

  it('is deterministic and every part fits', () => {
    const text = Array.from({ length: 50 }, (_, i) => `Sentence number ${i} talks about delivery and returns.`).join(' ');
    const a = splitForAvito(text);
    expect(splitForAvito(text)).toEqual(a);
    for (const p of a) expect(p.length).toBeLessThanOrEqual(1000);
    expect(a.join(' ')).toBe(text);
  });
});
