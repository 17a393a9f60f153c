import { describe, expect, it } from 'vitest';
import { expectedCalibrationError } from './classifier.calibration.js';
import { seededRandom } from './classifier.softmax.js';
import { trainClassifier, type LabelledExample } from './classifier.train.js';
import { trainInThread } from './classifier.train.job.js';
import { Classifier } from './classifier.model.js';

/**
 * A synthetic intent task with real uncertainty: each class has its own keywords, texts mix them with
 * words shared by all classes, and some texts carry a keyword of another class — so a good model is
 * right only ~80% of the time and must say so in its confidence.
 */
function syntheticTask(vocabularySeed: number): (count: number, seed: number) => LabelledExample[] {
  const vocabulary = seededRandom(vocabularySeed);
  const syllables = ['ka', 'lo', 'mi', 'ru', 'te', 'so', 'ven', 'dar', 'pil', 'gos', 'na', 'vi'];
  const word = () => Array.from({ length: 3 }, () => syllables[Math.floor(vocabulary() * syllables.length)]).join('');
  const classes = Array.from({ length: 6 }, (_, c) => ({ label: `intent_${c}`, keywords: Array.from({ length: 8 }, word) }));
  const shared = Array.from({ length: 40 }, word);
  return (count, seed) => {
    const random = seededRandom(seed);
    const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
    return Array.from({ length: count }, () => {
      const own = pick(classes);
      const words = Array.from({ length: 5 }, () => pick(shared));
      words.push(pick((random() < 0.25 ? pick(classes) : own).keywords));
      if (random() < 0.5) words.push(pick((random() < 0.25 ? pick(classes) : own).keywords));
      return { text: words.sort(() => random() - 0.5).join(' '), label: own.label };
    });
  };
}

const sample = syntheticTask(42);

describe('trainClassifier', () => {
  it('rejects examples of fewer than two labels with a clear error', () => {
    expect(() => trainClassifier([])).toThrow(/at least 2 labels; got 0 label/);
    const one = [
      { text: 'где заказ', label: 'delivery' },
      { text: 'where is my order', label: 'delivery' },
      { text: '   ', label: 'returns' },
    ];
    expect(() => trainClassifier(one)).toThrow(/at least 2 labels; got 1 label/);
  });

  it('trains on a tiny set without calibration (temperature 1, no holdout accuracy, modest confidence)', () => {
    const tiny = [
      { text: 'хочу вернуть товар', label: 'returns' },
      { text: 'оформите возврат', label: 'returns' },
      { text: 'refund please', label: 'returns' },
      { text: 'когда доставка', label: 'delivery' },
      { text: 'где курьер', label: 'delivery' },
      { text: 'where is my parcel', label: 'delivery' },
    ];
    const { model, report } = trainClassifier(tiny);
    expect(report).toMatchObject({ examples: 6, labels: 2, holdoutAccuracy: null, temperature: 1 });
    expect(model.predict('хочу вернуть куртку').label).toBe('returns');
    expect(model.predict('курьер опаздывает, где доставка').label).toBe('delivery');
    // Uncalibrated, but not overconfident: an unrelated greeting stays near a coin toss.
    expect(model.predict('добрый вечер').confidence).toBeLessThan(0.7);
    expect(model.predict('курьер опаздывает, где доставка').confidence).toBeGreaterThan(0.8);
  });

  it('is deterministic: the same examples give the same bytes', () => {
    const examples = sample(300, 3);
    expect(trainClassifier(examples).model.serialise().equals(trainClassifier(examples).model.serialise())).toBe(true);
  });

  it('gives calibrated confidence on held-out data', () => {
    const { model, report } = trainClassifier(sample(1500, 1));
    const heldOut = sample(2000, 2);
    const judge = (m: typeof model) =>
      heldOut.map((e) => {
        const p = m.predict(e.text);
        return { confidence: p.confidence, correct: p.label === e.label };
      });
    const calibrated = judge(model);
    const accuracy = calibrated.filter((p) => p.correct).length / calibrated.length;
    const meanConfidence = calibrated.reduce((a, p) => a + p.confidence, 0) / calibrated.length;
    expect(report.holdoutAccuracy).toBeGreaterThan(0.6);
    expect(accuracy).toBeGreaterThan(0.6);
    expect(accuracy).toBeLessThan(0.95); // the task must leave room for miscalibration
    expect(Math.abs(meanConfidence - accuracy)).toBeLessThan(0.04);
    expect(expectedCalibrationError(calibrated)).toBeLessThan(0.05);
    // The check can fail: the same weights without the fitted temperature are clearly worse calibrated.
    expect(expectedCalibrationError(judge(model.withTemperature(1)))).toBeGreaterThan(2 * expectedCalibrationError(calibrated));
  });
});

describe('training thread', () => {
  it('fits a model in a worker thread, and is stopped at its deadline', async () => {
    const { model, report } = await trainInThread(sample(300, 1));
    expect(Classifier.deserialise(new Uint8Array(model)).labels).toHaveLength(6);
    expect(report).toBeDefined();
    // 3,000 examples take far longer than a millisecond to fit: the thread is ended, not left running.
    await expect(trainInThread(sample(3000, 2), 1)).rejects.toMatchObject({ name: 'ThreadStopped', reason: 'timeout' });
  });
});
