import { describe, expect, it } from 'vitest';
import { countTerms, DEFAULT_FEATURE_OPTIONS, FeatureSpace, normaliseText, tokenise, type FeatureOptions } from './classifier.features.js';

const OPTIONS: FeatureOptions = {
  ...DEFAULT_FEATURE_OPTIONS,
  hashBits: 20,
  wordNgrams: [1, 2],
  charNgrams: [2, 5],
  charWeight: 1,
  minDf: 1,
};

const blockNorm = (values: Float32Array, from: number, to: number) => Math.hypot(...values.subarray(from, to));

describe('text normalisation', () => {
  it('lowercases, folds ё to е and strips accents but keeps й', () => {
    expect(normaliseText('Ёлка, CAFÉ, Naïve, ЙОГУРТ, Über')).toBe('елка, cafe, naive, йогурт, uber');
  });

  it('splits words on anything but letters and digits', () => {
    expect(tokenise(normaliseText('Где мой заказ №42?! Order #42 hasn’t arrived'))).toEqual([
      'где',
      'мой',
      'заказ',
      '42',
      'order',
      '42',
      'hasn',
      't',
      'arrived',
    ]);
  });
});

describe('hashed n-gram terms', () => {
  it('are the same for the same text, also across spellings that normalise alike', () => {
    const a = countTerms('Ещё не пришёл заказ', OPTIONS);
    expect(countTerms('Ещё не пришёл заказ', OPTIONS)).toEqual(a);
    expect(countTerms('ЕЩЕ НЕ ПРИШЕЛ ЗАКАЗ', OPTIONS)).toEqual(a);
    expect(countTerms('еще не пришел товар', OPTIONS)).not.toEqual(a);
  });

  it('hash to stable buckets within 2^hashBits', () => {
    // A pinned bucket: a change of hash function would silently invalidate every stored model.
    expect([...countTerms('card', OPTIONS).word]).toEqual([[127750, 1]]);
    const small = countTerms('the card has not arrived yet, where is my card', { ...OPTIONS, hashBits: 10 });
    for (const bucket of [...small.word.keys(), ...small.char.keys()]) expect(bucket).toBeLessThan(1024);
  });

  it('count word uni/bigrams and padded char n-grams within words', () => {
    const terms = countTerms('ab', OPTIONS);
    // " ab ": 3 bigrams + 2 trigrams + 1 four-gram.
    expect([...terms.char.values()].reduce((a, b) => a + b)).toBe(6);
    expect(terms.word.size).toBe(1);
    const two = countTerms('card card', OPTIONS);
    expect([...two.word.values()].sort()).toEqual([1, 2]); // "card card" bigram once, "card" twice
  });
});

describe('feature space', () => {
  const docs = ['where is my card', 'my card was declined', 'where is my parcel', 'refund my order'].map((t) => countTerms(t, OPTIONS));
  const space = FeatureSpace.fit(docs, OPTIONS);

  it('weighs rare terms above common ones and normalises each block', () => {
    const idfOfWord = (word: string) => space.idf[space.buckets.indexOf([...countTerms(word, OPTIONS).word.keys()][0]!)]!;
    expect(idfOfWord('refund')).toBeGreaterThan(idfOfWord('my'));
    const terms = countTerms('my refund', OPTIONS);
    const row = space.vectorise(terms);
    const words = [...terms.word.keys()].filter((b) => space.buckets.includes(b)).length;
    expect(words).toBe(2); // "my", "refund"; the bigram "my refund" was never seen
    expect(blockNorm(row.values, 0, words)).toBeCloseTo(1, 5);
    expect(blockNorm(row.values, words, row.values.length)).toBeCloseTo(OPTIONS.charWeight, 5);
  });

  it('drops buckets never seen in training and drops rare ones with minDf', () => {
    expect(space.vectorise(countTerms('ZZZ QQQ', OPTIONS)).indices.length).toBe(0);
    const pruned = FeatureSpace.fit(docs, { ...OPTIONS, minDf: 2 });
    expect(pruned.columns).toBeLessThan(space.columns);
    expect(pruned.columns).toBeGreaterThan(0);
  });
});
