import { softmaxInPlace } from './classifier.softmax.js';

const MIN_TEMPERATURE = 0.05;
const MAX_TEMPERATURE = 20;

/** Mean negative log-likelihood of the targets under softmax(logits / T), and its derivative in β = 1/T. */
function nllAt(logits: Float64Array[], targets: Int32Array, beta: number): { nll: number; slope: number } {
  const p = new Float64Array(logits[0]?.length ?? 0);
  let nll = 0;
  let slope = 0;
  logits.forEach((z, i) => {
    p.set(z);
    const logSumExp = softmaxInPlace(p, 1 / beta);
    const y = targets[i]!;
    nll += logSumExp - beta * z[y]!;
    let expected = 0;
    for (let k = 0; k < z.length; k++) expected += p[k]! * z[k]!;
    slope += expected - z[y]!;
  });
  return { nll: nll / logits.length, slope: slope / logits.length };
}

/**
 * Temperature scaling (Guo et al. 2017): the T minimising held-out NLL of softmax(z / T). The NLL is convex
 * in β = 1/T, so bisection on the sign of its derivative finds the optimum; T stays within [0.05, 20]
 * (a held-out set the model never gets wrong would otherwise push T towards 0).
 */
export function fitTemperature(logits: Float64Array[], targets: Int32Array): number {
  if (logits.length === 0) return 1;
  let lo = 1 / MAX_TEMPERATURE;
  let hi = 1 / MIN_TEMPERATURE;
  if (nllAt(logits, targets, hi).slope < 0) return MIN_TEMPERATURE;
  if (nllAt(logits, targets, lo).slope > 0) return MAX_TEMPERATURE;
  for (let i = 0; i < 50; i++) {
    const mid = Math.sqrt(lo * hi);
    if (nllAt(logits, targets, mid).slope > 0) hi = mid;
    else lo = mid;
  }
  return 2 / (lo + hi);
}

/** Mean NLL of the targets at temperature T (for reports and tests). */
export function negativeLogLikelihood(logits: Float64Array[], targets: Int32Array, temperature: number): number {
  return nllAt(logits, targets, 1 / temperature).nll;
}

/**
 * Expected calibration error: predictions bucketed by confidence into equal-width bins; the mean
 * |accuracy − confidence| of the bins, weighted by their size. 0 is perfectly calibrated.
 */
export function expectedCalibrationError(predictions: Array<{ confidence: number; correct: boolean }>, bins = 15): number {
  const count = new Float64Array(bins);
  const confidence = new Float64Array(bins);
  const correct = new Float64Array(bins);
  for (const p of predictions) {
    const b = Math.min(bins - 1, Math.floor(p.confidence * bins));
    count[b]!++;
    confidence[b]! += p.confidence;
    correct[b]! += p.correct ? 1 : 0;
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(correct[b]! - confidence[b]!);
  return predictions.length ? ece / predictions.length : 0;
}
