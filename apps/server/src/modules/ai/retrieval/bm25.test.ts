import { describe, expect, it } from 'vitest';
import { Bm25Index, MAX_QUERY_TERMS, topMargin } from './bm25.js';

const FAQ = {
  delivery: { title: 'Сколько идёт доставка?', body: 'Доставка по Москве занимает один-два дня, по России — до недели.' },
  payment: { title: 'Как оплатить заказ?', body: 'Оплатить можно картой на сайте или наличными курьеру.' },
  refund: { title: 'How do I get a refund?', body: 'Refunds are issued to the original card within 5 business days.' },
  hours: { title: 'Когда вы работаете?', body: 'Поддержка отвечает 24/7, склад работает с 9:00 до 18:00.' },
};

function faqIndex(opts: ConstructorParameters<typeof Bm25Index>[0] = {}) {
  const index = new Bm25Index<string>(opts);
  for (const [id, doc] of Object.entries(FAQ)) index.add(id, doc);
  return index;
}

const ids = (hits: { id: string }[]) => hits.map((h) => h.id);

describe('Bm25Index', () => {
  it('ranks the document that answers the question first, in either language', () => {
    const index = faqIndex();
    expect(index.search('когда будет доставлен мой заказ, сколько ждать доставки', { limit: 3 })[0]?.id).toBe('delivery');
    expect(index.search('можно оплатить наличными?', { limit: 3 })[0]?.id).toBe('payment');
    expect(index.search('refund to my card', { limit: 3 })[0]?.id).toBe('refund');
  });

  it('returns hits sorted by score, at most `limit`, and nothing for unknown words', () => {
    const hits = faqIndex().search('доставка оплата заказ refund', { limit: 2 });
    expect(hits).toHaveLength(2);
    expect(hits[0]!.score).toBeGreaterThanOrEqual(hits[1]!.score);
    expect(faqIndex().search('абракадабра', { limit: 5 })).toEqual([]);
    expect(new Bm25Index<number>().search('доставка', { limit: 5 })).toEqual([]);
  });

  it('lets a rare term outweigh a frequent one (IDF)', () => {
    const index = new Bm25Index<string>();
    for (let i = 0; i < 10; i++) index.add(`common${i}`, `заказ номер ${i} оформлен на сайте`);
    index.add('twice', 'заказ заказ оформлен на сайте');
    index.add('rare', 'возврат оформлен на сайте');
    // Without IDF "twice" would win: two matches of "заказ" against one of "возврат".
    expect(index.search('заказ возврат', { limit: 3 })[0]?.id).toBe('rare');
  });

  it('saturates term frequency: repeating a word 50 times does not dominate', () => {
    const index = new Bm25Index<string>({ b: 0 });
    index.add('spam', Array(50).fill('доставка').join(' '));
    index.add('once', 'доставка');
    index.add('both', 'доставка оплата');
    index.add('other', 'возврат');
    const hits = index.search('доставка', { limit: 4 });
    const score = (id: string) => hits.find((h) => h.id === id)!.score;
    expect(hits[0]?.id).toBe('spam');
    expect(score('spam') / score('once')).toBeLessThan(1.2 + 1); // bounded by k1 + 1, not by 50
    expect(index.search('доставка оплата', { limit: 4 })[0]?.id).toBe('both');
  });

  it('weights title terms above body terms', () => {
    const index = new Bm25Index<string>();
    // Same terms, same lengths; the body-only document is added first so that a tie would rank it first.
    index.add('body', { title: 'Заявка на товар', body: 'Напишите нам про возврат.' });
    index.add('title', { title: 'Возврат товара', body: 'Напишите нам про заявку.' });
    expect(ids(index.search('возврат', { limit: 2 }))).toEqual(['title', 'body']);
  });

  it('finds a document through a one-letter typo, below an exact match', () => {
    const index = faqIndex();
    expect(index.search('достафка', { limit: 1 })[0]?.id).toBe('delivery');
    expect(index.search('refnud', { limit: 1 })[0]?.id).toBe('refund');
    expect(faqIndex({ typoWeight: 0 }).search('достафка', { limit: 1 })).toEqual([]);
    expect(index.search('достафка', { limit: 1 })[0]!.score).toBeLessThan(index.search('доставка', { limit: 1 })[0]!.score);
  });

  it('forgets removed documents and scores as if they were never added', () => {
    const index = faqIndex();
    index.remove('delivery');
    index.remove('no-such-id');
    expect(index.size).toBe(3);
    expect(index.has('delivery')).toBe(false);
    expect(ids(index.search('доставка', { limit: 5 }))).toEqual([]);

    const fresh = new Bm25Index<string>();
    for (const [id, doc] of Object.entries(FAQ)) if (id !== 'delivery') fresh.add(id, doc);
    expect(index.search('оплатить заказ картой', { limit: 5 })).toEqual(fresh.search('оплатить заказ картой', { limit: 5 }));

    index.add('delivery', FAQ.delivery); // re-adding reuses the freed slot
    expect(index.search('доставка', { limit: 1 })[0]?.id).toBe('delivery');
  });

  it('replaces a document added twice under one id', () => {
    const index = faqIndex();
    index.add('payment', 'Самовывоз из пункта выдачи');
    expect(index.size).toBe(4);
    expect(ids(index.search('наличными', { limit: 5 }))).toEqual([]);
    expect(index.search('самовывоз', { limit: 1 })[0]?.id).toBe('payment');
  });

  it('multiplies scores by a document boost', () => {
    const index = new Bm25Index<string>().build([
      { id: 'plain', doc: 'доставка курьером' },
      { id: 'boosted', doc: 'доставка курьером', boost: 2 },
    ]);
    const [first, second] = index.search('доставка', { limit: 2 });
    expect(first?.id).toBe('boosted');
    expect(first!.score).toBeCloseTo(2 * second!.score);
  });

  it('gives scale-free confidence signals: margin and strength in 0…1', () => {
    const index = faqIndex();
    const clear = index.search('оплатить картой или наличными', { limit: 5 });
    const vague = index.search('заказ', { limit: 5 });
    expect(topMargin(clear)).toBeGreaterThan(0.5);
    expect(topMargin([])).toBe(0);
    expect(topMargin([{ score: 2 }, { score: 2 }])).toBe(0);
    expect(clear[0]!.score).toBeLessThanOrEqual(index.maxScore('оплатить картой или наличными'));
    expect(vague[0]!.score / index.maxScore('заказ')).toBeLessThan(1);
  });

  it('answers a query over 5,000 chunks of ~120 words in well under 5 ms', () => {
    // Letter-only synthetic words; squaring the uniform draw skews frequencies like a real text's.
    const vocabulary = Array.from({ length: 20_000 }, (_, i) => `w${i.toString(36).replace(/\d/g, (d) => 'qrstuvwxyz'[Number(d)]!)}`);
    let seed = 7;
    const pick = () => vocabulary[Math.floor(((seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647) ** 2 * vocabulary.length)]!;
    const index = new Bm25Index<number>();
    for (let i = 0; i < 5000; i++) index.add(i, Array.from({ length: 120 }, pick).join(' '));
    const queries = Array.from({ length: 200 }, () => Array.from({ length: 8 }, pick).join(' '));
    queries.slice(0, 20).forEach((q) => index.search(q, { limit: 10 }));
    const times = queries.map((q) => {
      const started = performance.now();
      index.search(q, { limit: 10 });
      return performance.now() - started;
    });
    times.sort((a, b) => a - b);
    expect(times[Math.floor(times.length / 2)]).toBeLessThan(2);
  });

  it('matches a hostile 100,000-letter word exactly but never expands it into typo neighbours', () => {
    const huge = 'z'.repeat(100_000);
    const analysed: number[] = [];
    const index = new Bm25Index<string>({ analyser: (text) => (analysed.push(text.length), text.split(' ')) });
    index.add('junk', `${huge} refund`);
    index.add('other', 'refund policy');
    expect(index.search(huge, { limit: 5 }).map((h) => h.id)).toEqual(['junk']);
    // One letter off: a short term would match through its typo neighbours; this one finds nothing.
    expect(index.search(`${huge.slice(1)}y`, { limit: 5 })).toEqual([]);
    expect(index.search(`${huge}y`, { limit: 5 })).toEqual([]);
  });

  it(`reads at most ${MAX_QUERY_TERMS} terms of a query`, () => {
    const index = faqIndex();
    const filler = Array.from({ length: MAX_QUERY_TERMS }, (_, i) => `filler${String.fromCharCode(97 + (i % 26))}${i}`).join(' ');
    expect(ids(index.search(`refund ${filler}`, { limit: 1 }))).toEqual(['refund']);
    expect(index.search(`${filler} refund`, { limit: 1 })).toEqual([]);
    expect(index.maxScore(`${filler} refund`)).toBe(0);
  });
});
