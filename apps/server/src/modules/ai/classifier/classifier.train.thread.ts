/**
 * Trains a classifier off the main thread: fitting takes seconds to tens of seconds of pure CPU,
 * which would otherwise freeze every request and job of the process meanwhile.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { trainClassifier, type LabelledExample } from './classifier.train.js';

const { examples } = workerData as { examples: LabelledExample[] };
try {
  const { model, report } = trainClassifier(examples);
  parentPort!.postMessage({ ok: true, model: model.serialise(), report });
} catch (err) {
  parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
}
