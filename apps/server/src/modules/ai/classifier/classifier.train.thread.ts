/**
 * Trains a classifier off the main thread: fitting takes seconds to tens of seconds of pure CPU,
 * which would otherwise freeze every request and job of the process meanwhile.
 */
import { serveThread } from '../../../platform/threads.js';
import { trainClassifier, type LabelledExample } from './classifier.train.js';
import type { TrainedInThread } from './classifier.train.job.js';

serveThread((examples: LabelledExample[]): TrainedInThread => {
  const { model, report } = trainClassifier(examples);
  return { model: model.serialise(), report };
});
