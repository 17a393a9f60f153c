import { describe, expect, it } from 'vitest';
import { Classifier } from './classifier.model.js';
import { trainClassifier } from './classifier.train.js';

/** A small separable set mixing Russian and English, as an account's imported examples would. */
const TOY: Array<[string, string]> = [
  ['хочу вернуть товар, не подошёл размер', 'returns'],
  ['как оформить возврат денег', 'returns'],
  ['верните деньги за бракованный заказ', 'returns'],
  ['можно ли сдать обратно куртку', 'returns'],
  ['I want to return these shoes and get a refund', 'returns'],
  ['how do I send the item back for a refund', 'returns'],
  ['refund my money please, the product is broken', 'returns'],
  ['when will my order be delivered', 'delivery'],
  ['где курьер, жду доставку', 'delivery'],
  ['сколько идёт доставка в казань', 'delivery'],
  ['трек номер посылки не обновляется', 'delivery'],
  ['my parcel is late, where is the courier', 'delivery'],
  ['tracking number shows no delivery updates', 'delivery'],
  ['the package has not arrived yet', 'delivery'],
  ['не могу войти в личный кабинет', 'account'],
  ['забыл пароль от аккаунта', 'account'],
  ['как сменить пароль', 'account'],
  ['I forgot my password and cannot log in', 'account'],
  ['reset the password of my account', 'account'],
  ['login page says my account is locked', 'account'],
  ['вход в аккаунт не работает', 'account'],
];
const toy = TOY.map(([text, label]) => ({ text, label }));

describe('Classifier', () => {
  const { model } = trainClassifier(toy);

  it('learns a small Russian and English set and generalises to new phrasings', () => {
    expect(model.predict('хочу вернуть куртку и получить деньги').label).toBe('returns');
    expect(model.predict('Где моя посылка? Курьер так и не приехал').label).toBe('delivery');
    expect(model.predict('не помню пароль, не могу войти').label).toBe('account');
    expect(model.predict('I need a refund for the broken item').label).toBe('returns');
    expect(model.predict('when does the courier deliver my parcel').label).toBe('delivery');
    expect(model.predict('cannot log in, password rejected').label).toBe('account');
    for (const e of toy) expect(model.predict(e.text).label).toBe(e.label);
  });

  it('returns the top-k labels as probabilities, best first', () => {
    const p = model.predict('верните деньги', 3);
    expect(p.scores.map((s) => s.label).sort()).toEqual(['account', 'delivery', 'returns']);
    expect(p.scores[0]).toEqual({ label: p.label, p: p.confidence });
    expect(p.scores[0]!.p).toBeGreaterThanOrEqual(p.scores[1]!.p);
    expect(p.scores.reduce((a, s) => a + s.p, 0)).toBeCloseTo(1, 6);
    expect(model.predict('верните деньги', 1).scores).toHaveLength(1);
  });

  it('reads back from its bytes with identical predictions', () => {
    const bytes = model.serialise();
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('SBCL');
    const copy = Classifier.deserialise(new Uint8Array(bytes));
    expect(copy.labels).toEqual(model.labels);
    expect(copy.temperature).toBe(model.temperature);
    for (const text of [...toy.map((e) => e.text), 'совсем другой текст', '', 'Ünïcödé ёжик']) {
      expect(copy.probabilities(text)).toEqual(model.probabilities(text));
      expect(copy.predict(text)).toEqual(model.predict(text));
    }
    expect(copy.serialise().equals(bytes)).toBe(true);
  });

  it('refuses bytes that are not a model, of another format version, or truncated', () => {
    const bytes = model.serialise();
    expect(() => Classifier.deserialise(Buffer.from('not a model'))).toThrow(/Not a classifier model/);
    const future = Buffer.from(bytes);
    future[4] = 99;
    expect(() => Classifier.deserialise(future)).toThrow(/Unsupported classifier model format 99/);
    expect(() => Classifier.deserialise(bytes.subarray(0, bytes.length - 10))).toThrow(/Truncated/);
  });
});
