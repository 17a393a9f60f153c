import { countTerms, DEFAULT_FEATURE_OPTIONS, FeatureSpace, type FeatureOptions } from './classifier.features.js';
import { Classifier, quantiseWeights } from './classifier.model.js';
import { fitSoftmax, seededRandom, shuffleInPlace, type SoftmaxOptions } from './classifier.softmax.js';
import { fitTemperature } from './classifier.calibration.js';

export interface LabelledExample {
  text: string;
  label: string;
}

export interface TrainOptions {
  features?: Partial<FeatureOptions>;
  softmax?: Partial<SoftmaxOptions>;
  /** Share of each label held out for calibration (and the reported accuracy). */
  holdoutFraction?: number;
  /** Train the final model on every example (true) or keep the one trained without the holdout. */
  refit?: boolean;
}

export interface TrainReport {
  examples: number;
  labels: number;
  /** Accuracy on held-out examples of the model(s) trained without them; null when the set is too small to hold any out. */
  holdoutAccuracy: number | null;
  /** How the temperature was fitted: one stratified holdout, 5-fold cross-fitting (smaller sets), or not at all (tiny sets). */
  calibration: 'holdout' | 'cross-fitted' | 'none';
  temperature: number;
  columns: number;
  trainMs: number;
}

/** Chosen on a 10% validation split of BANKING77's train set (see bench/ai/classification.ts). */
export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxOptions = { epochs: 20, l2: 1e-6, learningRate: 1, averageFrom: 0.5, seed: 1 };

/** Fewer held-out examples than this give a temperature that is mostly noise: keep T = 1 instead. */
const MIN_HOLDOUT = 30;
/** From this size one holdout has enough examples for a stable temperature; below it, cross-fitting. */
const SINGLE_HOLDOUT_FROM = 5000;
const FOLDS = 5;
/** L2 for sets too small to calibrate: "привет" against 2 labels × 6 examples gets ~0.6, a clear case ~0.9. */
const UNCALIBRATED_L2 = 0.01;
/** Tiny data sets get more epochs so SGD takes at least this many steps. */
const MIN_UPDATES = 3000;

/**
 * Trains a classifier from labelled texts. Models trained without part of the data give held-out logits
 * that fit the temperature (so `confidence` is a calibrated probability) and the reported accuracy; the
 * final model is then fitted on everything and given that temperature. Deterministic for the same input.
 * Throws when the examples cover fewer than two labels.
 */
export function trainClassifier(examples: LabelledExample[], options: TrainOptions = {}): { model: Classifier; report: TrainReport } {
  const started = performance.now();
  const clean = examples.map((e) => ({ text: e.text.trim(), label: e.label.trim() })).filter((e) => e.text && e.label);
  const labels = [...new Set(clean.map((e) => e.label))].sort();
  if (labels.length < 2) {
    throw new Error(
      `A classifier needs labelled examples of at least 2 labels; got ${labels.length} label(s) in ${clean.length} example(s)`,
    );
  }
  const features = { ...DEFAULT_FEATURE_OPTIONS, ...options.features };
  const softmax = { ...DEFAULT_SOFTMAX_OPTIONS, ...options.softmax };
  const held = heldOutLogits(clean, labels, features, softmax, options.holdoutFraction ?? 0.1);
  const temperature = held ? fitTemperature(held.logits, held.targets) : 1;
  const holdoutAccuracy = held ? held.logits.filter((z, i) => argmax(z) === held.targets[i]).length / held.logits.length : null;
  const kept = options.refit === false && held && 'model' in held ? held.model : undefined;
  // Too few examples to calibrate: a strong L2 prior instead, so an unfamiliar text gets a modest confidence.
  const model = kept ?? fitClassifier(clean, labels, features, held ? softmax : { ...softmax, l2: Math.max(softmax.l2, UNCALIBRATED_L2) });
  const report: TrainReport = {
    examples: clean.length,
    labels: labels.length,
    holdoutAccuracy,
    calibration: held ? held.method : 'none',
    temperature,
    columns: model.space.columns,
    trainMs: Math.round(performance.now() - started),
  };
  return { model: model.withTemperature(temperature), report };
}

/**
 * Logits of examples the model did not see, for calibration. Large sets: one stratified holdout (its model
 * is kept for `refit: false`). Smaller ones: 5-fold cross-fitting, so every example is held out once —
 * a 10% holdout of a few hundred texts gives a temperature that is mostly noise.
 */
function heldOutLogits(examples: LabelledExample[], labels: string[], features: FeatureOptions, softmax: SoftmaxOptions, fraction: number) {
  const folds = examples.length >= SINGLE_HOLDOUT_FROM ? 1 : FOLDS;
  const parts = stratifiedFolds(examples, folds === 1 ? Math.round(1 / fraction) : folds, softmax.seed).slice(0, folds);
  const heldOut = parts.flat();
  if (heldOut.length < MIN_HOLDOUT) return null;
  const models = parts.map((part) => {
    const inPart = new Set(part);
    return fitClassifier(
      examples.filter((e) => !inPart.has(e)),
      labels,
      features,
      softmax,
    );
  });
  const logits = parts.flatMap((part, i) => part.map((e) => models[i]!.logits(e.text)));
  const targets = Int32Array.from(heldOut, (e) => labels.indexOf(e.label));
  return folds === 1
    ? { logits, targets, model: models[0], method: 'holdout' as const }
    : { logits, targets, method: 'cross-fitted' as const };
}

function fitClassifier(examples: LabelledExample[], labels: string[], features: FeatureOptions, softmax: SoftmaxOptions): Classifier {
  const terms = examples.map((e) => countTerms(e.text, features));
  const space = FeatureSpace.fit(terms, features);
  const rows = terms.map((t) => space.vectorise(t));
  const index = new Map(labels.map((l, i) => [l, i]));
  const targets = Int32Array.from(examples, (e) => index.get(e.label)!);
  const epochs = Math.max(softmax.epochs, Math.ceil(MIN_UPDATES / examples.length));
  const weights = fitSoftmax(rows, targets, labels.length, space.columns, { ...softmax, epochs });
  return new Classifier(labels, space, quantiseWeights(weights));
}

/**
 * Stratified folds: per label, a seeded shuffle dealt round-robin (starting at a rotating fold so small
 * labels do not all land in fold 0). Labels with fewer than three examples are never held out, so every
 * label keeps training examples.
 */
export function stratifiedFolds<T extends { label: string }>(examples: T[], folds: number, seed: number): T[][] {
  const random = seededRandom(seed);
  const byLabel = new Map<string, T[]>();
  for (const e of examples) {
    const group = byLabel.get(e.label);
    if (group) group.push(e);
    else byLabel.set(e.label, [e]);
  }
  const parts = Array.from({ length: folds }, (): T[] => []);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    const group = byLabel.get(label)!;
    if (group.length < 3) continue;
    shuffleInPlace(group, random);
    for (const e of group) parts[next++ % folds]!.push(e);
  }
  return parts;
}

function argmax(z: Float64Array): number {
  let best = 0;
  for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
  return best;
}
