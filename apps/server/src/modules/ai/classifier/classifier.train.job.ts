import type { AppContext } from '../../../context.js';
import { transaction } from '../../../platform/db/transaction.js';
import { defineJob } from '../../../platform/queue/queue.js';
import { ThreadPool, ThreadStopped } from '../../../platform/threads.js';
import type { LabelledExample, TrainReport } from './classifier.train.js';

export interface TrainedInThread {
  model: Uint8Array;
  report: TrainReport;
}

/**
 * Training's hard limits: 100,000 examples fit in about a minute and well under 1 GB. The deadline ends the
 * thread before pg-boss gives the job up (expireInSeconds), so a stopped job never leaves a thread behind.
 */
const TRAIN_TIMEOUT_MS = 10 * 60_000;
const training = new ThreadPool<LabelledExample[], TrainedInThread>(new URL('./classifier.train.thread.ts', import.meta.url), {
  size: 1,
  queue: 4,
  maxHeapMb: 2048,
  idleMs: 1000, // a fitted thread holds nothing worth keeping
});

/** Fits a model in the training thread. @throws ThreadStopped past the deadline or the heap limit. */
export async function trainInThread(
  examples: LabelledExample[],
  timeoutMs = TRAIN_TIMEOUT_MS,
): Promise<{ model: Buffer; report: TrainReport }> {
  const { model, report } = await training.run(examples, { timeoutMs });
  return { model: Buffer.from(model.buffer, model.byteOffset, model.byteLength), report };
}

/**
 * `classifier.train`: fits a new version from the account's labelled examples (imports and operator
 * corrections), then stores it and makes it active in one transaction — the hot swap; processes pick
 * it up within seconds. A failure is recorded on the version and the previous one stays active.
 */
export const classifierTrainJob = defineJob<'classifier.train', AppContext>({
  name: 'classifier.train',
  concurrency: 1,
  options: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 900 },
  async handler({ accountId, modelId }, _meta, ctx) {
    if ((await ctx.ai.repo.modelStatus(accountId, modelId)) !== 'training') {
      ctx.log.info({ modelId }, 'classifier.train skipped: this version is not waiting for training');
      return;
    }
    const examples = await ctx.ai.repo.examples(accountId);
    let trained: { model: Buffer; report: TrainReport };
    try {
      trained = await trainInThread(examples);
    } catch (err) {
      // Stopped by a shutdown: the job fails and runs again, rather than the version being marked failed.
      if (err instanceof ThreadStopped && err.reason === 'shutdown') throw err;
      await ctx.ai.repo.failModel(accountId, modelId, err instanceof Error ? err.message : String(err));
      return;
    }
    await transaction(ctx.pool, async (tx) => {
      await ctx.ai.repo.activateModel(tx, accountId, modelId, trained.model, { ...trained.report });
      await ctx.bus.publish(tx, accountId, 'knowledge.updated', { classifier: { modelId, status: 'ready' } });
    });
    ctx.ai.forgetClassifier(accountId);
  },
});
