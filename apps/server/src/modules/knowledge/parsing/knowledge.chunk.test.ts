import { describe, expect, it } from 'vitest';
import { chunkDocument, sentences } from './knowledge.chunk.js';
import type { ParsedDocument } from './parse.types.js';

const sentence = (i: number) => `Предложение номер ${i} рассказывает о доставке и оплате заказа в магазине.`;
const doc = (sections: { headingPath: string[]; text: string }[]): ParsedDocument => ({
  title: 'T',
  format: 'md',
  sections,
  ocrPages: [],
  pageCount: 0,
});

describe('chunkDocument', () => {
  it('keeps chunks within the word limit, overlapping, and never across sections', () => {
    const long = Array.from({ length: 60 }, (_, i) => sentence(i)).join(' ');
    const chunks = chunkDocument(
      doc([
        { headingPath: ['A'], text: long },
        { headingPath: ['B'], text: 'Короткий раздел.' },
      ]),
      {
        targetWords: 60,
        maxWords: 100,
        overlapWords: 20,
      },
    );
    const a = chunks.filter((c) => c.headingPath[0] === 'A');
    expect(a.length).toBeGreaterThan(5);
    for (const c of chunks) expect(c.wordCount).toBeLessThanOrEqual(100);
    for (let i = 1; i < a.length; i++) {
      const firstSentence = sentences(a[i]!.text)[0]!;
      expect(a[i - 1]!.text).toContain(firstSentence); // the overlap
    }
    expect(chunks.at(-1)).toMatchObject({ headingPath: ['B'], text: 'Короткий раздел.' });
    expect(chunks.map((c) => c.ordinal)).toEqual(chunks.map((_, i) => i));
  });

  it('splits Russian and English sentences but not abbreviations', () => {
    expect(sentences('Мы работаем с 9 до 21 ч. Звоните, т.е. пишите. Hello there! How are you? Fine e.g. Good.')).toEqual([
      'Мы работаем с 9 до 21 ч.',
      'Звоните, т.е. пишите.',
      'Hello there!',
      'How are you?',
      'Fine e.g. Good.',
    ]);
  });

  it('merges a tiny trailing piece into the previous chunk', () => {
    const text = `${Array.from({ length: 12 }, (_, i) => sentence(i)).join(' ')}\n\nИтого.`;
    const chunks = chunkDocument(doc([{ headingPath: [], text }]), { targetWords: 100, maxWords: 200, overlapWords: 10 });
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.text.endsWith('Итого.')).toBe(true);
  });
});
