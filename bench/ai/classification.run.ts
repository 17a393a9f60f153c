/**
 * `npx tsx bench/ai/classification.run.ts`: the classifier benchmark alone (BANKING77, CLINC150), as a table.
 * Takes a few minutes on 2 cores: BANKING77 is trained twice (validation check, final), CLINC150 twice (two variants).
 */
import { runClassificationBench } from './classification.js';
import { atLeast, below, info, printChecks } from '../support/report.js';

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

async function main() {
  const { banking77: b, clinc150: c } = await runClassificationBench();
  const val = (variant: keyof typeof c.val) =>
    info(
      `CLINC150 val, ${variant}: threshold / in-scope / OOS recall`,
      `${round(c.val[variant].threshold, 3)} / ${round(c.val[variant].inScopeAccuracy)} / ${round(c.val[variant].oosRecall)}`,
    );
  printChecks('Local classifier: multinomial LR over hashed word + char n-gram TF-IDF', [
    atLeast('BANKING77 test accuracy', round(b.accuracy), 0.92),
    atLeast('BANKING77 accuracy at 80% coverage', round(b.selective80), 0.975),
    below('BANKING77 training (ms)', b.trainMs, 60_000),
    below('BANKING77 inference p99 (ms)', round(b.inferenceP99Ms, 3), 5),
    info('BANKING77 inference p50 (ms)', round(b.inferenceP50Ms, 3)),
    info('BANKING77 model bytes (77 classes)', b.modelBytes),
    info('BANKING77 feature columns', b.report.columns),
    info('BANKING77 validation accuracy (10% of train)', round(b.validationAccuracy)),
    info('BANKING77 holdout accuracy / temperature', `${round(b.report.holdoutAccuracy ?? NaN)} / ${round(b.report.temperature, 3)}`),
    info('BANKING77 test ECE (15 bins)', round(b.testEce)),
    atLeast('CLINC150 in-scope accuracy', round(c.inScopeAccuracy), 0.92),
    atLeast('CLINC150 out-of-scope recall', round(c.oosRecall), 0.5),
    info('CLINC150 in-scope accuracy without threshold', round(c.unthresholdedAccuracy)),
    info('CLINC150 variant / threshold (chosen on val)', `${c.variant} / ${round(c.threshold, 3)}`),
    val('in-scope only'),
    val('with oos class'),
    info('CLINC150 training, both variants (ms)', c.trainMs),
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
