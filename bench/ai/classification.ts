/**
 * The local conversation classifier on public intent data (../shared/datasets).
 *
 * BANKING77 has no validation split: every hyperparameter was chosen on a stratified 10% of `train`
 * (`validationAccuracy` re-measures that choice); the final model is trained on all of `train` and `test`
 * is scored once. CLINC150: the classifier is trained on in-scope `train` (and, as a variant, with
 * `oos_train` as a class of its own); the variant and the out-of-scope confidence threshold are chosen on
 * `val` + `oos_val` only, then `test` + `oos_test` are scored once.
 */
import { performance } from 'node:perf_hooks';
import type { Classifier } from '../../apps/server/src/modules/ai/classifier/classifier.model.js';
import { expectedCalibrationError } from '../../apps/server/src/modules/ai/classifier/classifier.calibration.js';
import { trainClassifier, type LabelledExample, type TrainReport } from '../../apps/server/src/modules/ai/classifier/classifier.train.js';
import {
  accuracyOf,
  chooseOosThreshold,
  loadBanking77,
  loadClinc150,
  oosMetrics,
  OOS_LABEL,
  percentile,
  selectiveAccuracy,
  validationSplit,
  type OosJudged,
} from './classification.data.js';

/** Rejecting OOS may cost at most this much in-scope accuracy on `val` (chosen on val: see the report). */
const MAX_IN_SCOPE_LOSS = 0.01;
const WARMUP_PREDICTIONS = 200;

export interface ClassificationBenchResult {
  banking77: {
    accuracy: number;
    selective80: number;
    trainMs: number;
    inferenceP99Ms: number;
    inferenceP50Ms: number;
    modelBytes: number;
    testEce: number;
    validationAccuracy: number;
    report: TrainReport;
  };
  clinc150: {
    inScopeAccuracy: number;
    oosRecall: number;
    threshold: number;
    variant: 'in-scope only' | 'with oos class';
    unthresholdedAccuracy: number;
    val: Record<'in-scope only' | 'with oos class', { threshold: number; inScopeAccuracy: number; oosRecall: number }>;
    trainMs: number;
  };
}

function judge(model: Classifier, examples: LabelledExample[]) {
  return examples.map((e) => {
    const p = model.predict(e.text);
    return { predicted: p.label, confidence: p.confidence, truth: e.label, correct: p.label === e.label };
  });
}

/** Wall time of one `predict` per text, after a warm-up (JIT), in ms. */
function predictionLatencies(model: Classifier, texts: string[]): number[] {
  for (const text of texts.slice(0, WARMUP_PREDICTIONS)) model.predict(text);
  return texts.map((text) => {
    const started = performance.now();
    model.predict(text);
    return performance.now() - started;
  });
}

async function banking77Bench(): Promise<ClassificationBenchResult['banking77']> {
  const [train, test] = await Promise.all([loadBanking77('train'), loadBanking77('test')]);
  const { train: tuneTrain, validation } = validationSplit(train, 0.1);
  const validationAccuracy = accuracyOf(judge(trainClassifier(tuneTrain, { refit: false }).model, validation));

  const started = performance.now();
  const { model, report } = trainClassifier(train);
  const trainMs = performance.now() - started;
  const judged = judge(model, test);
  const latencies = predictionLatencies(
    model,
    test.map((e) => e.text),
  );
  return {
    accuracy: accuracyOf(judged),
    selective80: selectiveAccuracy(judged, 0.8),
    trainMs: Math.round(trainMs),
    inferenceP99Ms: percentile(latencies, 0.99),
    inferenceP50Ms: percentile(latencies, 0.5),
    modelBytes: model.serialise().length,
    testEce: expectedCalibrationError(judged),
    validationAccuracy,
    report,
  };
}

async function clinc150Bench(): Promise<ClassificationBenchResult['clinc150']> {
  const data = await loadClinc150();
  const started = performance.now();
  const variants = {
    'in-scope only': trainClassifier(data.train).model,
    'with oos class': trainClassifier([...data.train, ...data.oos_train.map((e) => ({ ...e, label: OOS_LABEL }))]).model,
  };
  const trainMs = performance.now() - started;
  const onVal = (model: Classifier) => {
    const inScope: OosJudged[] = judge(model, data.val);
    const outOfScope: OosJudged[] = judge(model, data.oos_val);
    const threshold = chooseOosThreshold(inScope, outOfScope, MAX_IN_SCOPE_LOSS);
    return { threshold, ...oosMetrics(inScope, outOfScope, threshold) };
  };
  const val = { 'in-scope only': onVal(variants['in-scope only']), 'with oos class': onVal(variants['with oos class']) };
  // One number per variant, both halves of the task weighted alike; ties keep the simpler model.
  const score = (v: { inScopeAccuracy: number; oosRecall: number }) => v.inScopeAccuracy + v.oosRecall;
  const variant = score(val['with oos class']) > score(val['in-scope only']) ? 'with oos class' : 'in-scope only';
  const model = variants[variant];
  const { threshold } = val[variant];
  const [inScope, outOfScope] = [judge(model, data.test), judge(model, data.oos_test)];
  return {
    ...oosMetrics(inScope, outOfScope, threshold),
    threshold,
    variant,
    unthresholdedAccuracy: oosMetrics(inScope, outOfScope, 0).inScopeAccuracy,
    val,
    trainMs: Math.round(trainMs),
  };
}

/** BANKING77 accuracy / selective accuracy / training and inference cost, and CLINC150 with out-of-scope rejection. */
export async function runClassificationBench(): Promise<ClassificationBenchResult> {
  const banking77 = await banking77Bench();
  const clinc150 = await clinc150Bench();
  return { banking77, clinc150 };
}
