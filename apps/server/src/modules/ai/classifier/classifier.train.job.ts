import type { AppContext } from '../../../context.js';
import { transaction } from '../../../platform/db/transaction.js';
import { defineJob } from '../../../platform/queue/queue.js';
import { trainClassifier } from './classifier.train.js';

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
    let trained: ReturnType<typeof trainClassifier>;
    try {
      trained = trainClassifier(examples);
    } catch (err) {
      await ctx.ai.repo.failModel(accountId, modelId, err instanceof Error ? err.message : String(err));
      return;
    }
    await transaction(ctx.pool, async (tx) => {
      await ctx.ai.repo.activateModel(tx, accountId, modelId, trained.model.serialise(), { ...trained.report });
      await ctx.bus.publish(tx, accountId, 'knowledge.updated', { classifier: { modelId, status: 'ready' } });
    });
    ctx.ai.forgetClassifier(accountId);
  },
});
