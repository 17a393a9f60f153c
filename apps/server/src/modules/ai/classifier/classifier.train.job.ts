import type { AppContext } from '../../../context.js';
import { transaction } from '../../../platform/db/transaction.js';
import { defineJob } from '../../../platform/queue/queue.js';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LabelledExample, TrainReport } from './classifier.train.js';

/** Runs `classifier.train.thread` in a worker thread (from its `.ts` source through tsx when not built). */
function trainInThread(examples: LabelledExample[]): Promise<{ model: Buffer; report: TrainReport }> {
  const worker = import.meta.url.endsWith('.ts')
    ? new Worker(new URL(`data:text/javascript,${encodeURIComponent(sourceEntry())}`), { workerData: { examples } })
    : new Worker(new URL('./classifier.train.thread.js', import.meta.url), { workerData: { examples } });
  return new Promise((resolve, reject) => {
    worker.once('message', (m: { ok: true; model: Uint8Array; report: TrainReport } | { ok: false; error: string }) => {
      void worker.terminate();
      if (m.ok) resolve({ model: Buffer.from(m.model), report: m.report });
      else reject(new Error(m.error));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`training stopped unexpectedly (exit ${code})`)));
  });
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

/** Tests and `tsx` run sources: the thread registers tsx's loader itself (Node 20 workers ignore `--import`). */
function sourceEntry(): string {
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const loader = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  const thread = new URL('./classifier.train.thread.ts', import.meta.url).href;
  return `import { register } from ${JSON.stringify(loader)}; register(); await import(${JSON.stringify(thread)});`;
}
