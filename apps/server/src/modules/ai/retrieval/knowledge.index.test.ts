import { describe, expect, it } from 'vitest';
import type { SearchableChunk } from '../../knowledge/knowledge.repository.js';
import { ABSTAIN_MODEL, abstainConfidence, type MatchFeatures } from '../ai.abstain.js';
import { KnowledgeIndex, TOPIC_MISS_CAP, unknownName } from './knowledge.index.js';

const faq = (id: string, question: string, answer: string, alternatives: string[] = []): SearchableChunk => ({
  id,
  articleId: id,
  kind: 'faq',
  articleTitle: question,
  headingPath: [],
  title: [question, ...alternatives].join('\n'),
  text: answer,
  category: null,
  embedding: null,
});

const SHOP = [
  faq(
    'delivery',
    'Сколько стоит доставка?',
    'Доставка дивана, кресла или шкафа по городу стоит 500 ₽, при заказе от 30 000 ₽ — бесплатно.',
  ),
  faq('hours', 'Какой у вас график работы?', 'Магазин и сервис работают ежедневно с 10:00 до 20:00.'),
  faq(
    'address',
    'Где находится сервисный центр?',
    'Сервисный центр: ул. Ленина, 10, вход со двора. Технику на ремонт принимаем без записи.',
  ),
  faq('returns', 'Как вернуть товар?', 'Товар надлежащего качества можно вернуть в течение 14 дней с чеком и в упаковке.'),
  faq('payment', 'Как оплатить заказ?', 'Оплатить можно картой на сайте, курьеру или наличными в магазине.'),
];
const top = (index: KnowledgeIndex, q: string) => index.retrieve(q, 3, null).hits[0]?.chunk.id;

describe('KnowledgeIndex for short messenger questions', () => {
  const index = KnowledgeIndex.build(SHOP);

  it('matches through the support lexicon, colloquial spellings, typos, layout and transliteration', () => {
    expect(top(index, 'Во сколько вы открываетесь?')).toBe('hours');
    expect(top(index, 'доставка платная?')).toBe('delivery');
    expect(top(index, 'а привезти можете?')).toBe('delivery');
    expect(top(index, 'скока стоит дотавка')).toBe('delivery');
    expect(top(index, 'ljcnfdrf gkfnyfz?')).toBe('delivery');
    expect(top(index, 'dostavka platnaya?')).toBe('delivery');
    expect(top(index, 'Хочу вернуть кофемолку, не подошла')).toBe('returns');
    expect(top(index, 'можно картой?')).toBe('payment');
  });

  it('is more confident of a clear match than of a vague or foreign one', () => {
    const clear = index.retrieve('сколько стоит доставка по городу', 3, null).confidence;
    const vague = index.retrieve('а у вас есть скидки для пенсионеров на ремонт?', 3, null).confidence;
    const foreign = index.retrieve('какая погода будет завтра в Сочи', 3, null).confidence;
    expect(clear).toBeGreaterThan(ABSTAIN_THRESHOLD);
    expect(vague).toBeLessThan(clear);
    expect(foreign).toBeLessThan(ABSTAIN_THRESHOLD);
  });

  it('topic check: a product the knowledge base does not name is not answered by the entry sharing a word', () => {
    for (const q of ['Сколько стоит диван Осло?', 'сколько стоит кресло Мальмё?']) {
      const r = index.retrieve(q, 3, null);
      expect(r.features?.unknownName).toBe(1);
      expect(r.confidence).toBeLessThanOrEqual(TOPIC_MISS_CAP);
    }
    // A place after a preposition is not a product: the delivery question stands.
    const place = index.retrieve('доставка в Тюмень платная?', 3, null);
    expect(place.features?.unknownName).toBe(0);
    expect(place.hits[0]?.chunk.id).toBe('delivery');
  });

  it('unknownName looks for a capitalised unknown word right after a known one', () => {
    const knows = (w: string) => ['диван', 'стоит', 'доставка'].includes(w);
    expect(unknownName('Сколько стоит диван Осло?', knows)).toBe(true);
    expect(unknownName('Сколько стоит диван?', knows)).toBe(false);
    expect(unknownName('доставка в Тюмень', knows)).toBe(false);
    expect(unknownName('Диван Осло', (w) => w === 'осло' || w === 'диван')).toBe(false);
  });

  it("answers a wording once it is an FAQ entry's extra wording (indexed as the question)", () => {
    const question = 'можно забрать самому со склада?';
    const without = KnowledgeIndex.build(SHOP).retrieve(question, 3, null);
    const withWording = KnowledgeIndex.build([...SHOP.slice(0, 4), faq('payment', 'Как оплатить заказ?', SHOP[4]!.text, [question])]);
    const r = withWording.retrieve(question, 3, null);
    expect(r.hits[0]?.chunk.id).toBe('payment');
    expect(r.confidence).toBeGreaterThan(without.confidence);
    expect(r.confidence).toBeGreaterThan(ABSTAIN_THRESHOLD);
  });

  it("uses the account's own synonyms", () => {
    const q = 'есть ли у вас шоурум?';
    expect(KnowledgeIndex.build(SHOP).retrieve(q, 3, null).hits[0]?.chunk.id).not.toBe('address');
    const own = KnowledgeIndex.build(SHOP, { synonyms: ['шоурум, сервисный центр'] });
    expect(own.retrieve(q, 3, null).hits[0]?.chunk.id).toBe('address');
  });

  it('searches a hostile 100,000-letter word without expanding it', () => {
    const r = index.retrieve(`доставка ${'ы'.repeat(100_000)}`, 3, null);
    expect(r.hits[0]?.chunk.id).toBe('delivery');
  });
});

/** The assistant's default threshold. */
const ABSTAIN_THRESHOLD = 0.5;

describe('abstain model', () => {
  const base: MatchFeatures = {
    strength: 0.8,
    margin: 0.6,
    coverage: 1,
    titleCoverage: 0.8,
    concepts: 1,
    unknown: 0,
    trigram: 0.5,
    titleTrigram: 0.5,
    terms: 4,
    unknownName: 0,
    rankProb: 0.9,
    agreement: 1,
    idfCoverage: 0.9,
    elsewhere: 0,
  };
  it('rises with evidence and falls when the ranking is unsure', () => {
    const p = abstainConfidence(base);
    expect(p).toBeGreaterThan(ABSTAIN_THRESHOLD);
    expect(abstainConfidence({ ...base, idfCoverage: 0.2, trigram: 0.1 })).toBeLessThan(p);
    expect(abstainConfidence({ ...base, rankProb: 0.3 })).toBeLessThan(p);
  });
  it('is a probability whatever the features', () => {
    for (const v of [0, 1, 100]) {
      const f = Object.fromEntries(Object.keys(base).map((k) => [k, v])) as unknown as MatchFeatures;
      const p = abstainConfidence(f, ABSTAIN_MODEL);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });
});
