/**
 * `npm run bench:ai`: the AI first line against public data (../shared/datasets; tuned on train/val
 * only, reported on test) and its answer latency. Prints a table, writes bench/results/ai.json.
 */
import { runClassificationBench } from './ai/classification.js';
import { runRetrievalBench } from './ai/retrieval.js';
import { runAnswerLatencyBench } from './ai/answer-latency.js';
import { runRuSupportBench } from './ai/ru-support.js';
import { crossValidateByBusiness, perBusiness } from './ai/abstain.calibrate.js';
import { loadRuSupportDev, score } from './ai/ru-support.data.js';
import { printRuSupport } from './ai/ru-support.report.js';
import { atLeast, below, environment, info, printChecks, writeResult, type Check } from './support/report.js';

const round3 = (v: number) => Math.round(v * 1000) / 1000;
const atMost = (metric: string, measured: number, max: number): Check => ({ metric, measured, target: `<= ${max}`, pass: measured <= max });

async function main() {
  const classification = await runClassificationBench();
  const retrieval = await runRetrievalBench();
  const answer = await runAnswerLatencyBench();
  const ruSupport = await runRuSupportBench();
  const set = await loadRuSupportDev();
  const cv = await crossValidateByBusiness(set);
  const cvBusinesses = perBusiness(set, cv.judged);
  const crossValidated = {
    overall: score(cv.judged),
    minRight: Math.min(...Object.values(cvBusinesses).map((b) => b.right)),
    businesses: cvBusinesses,
  };
  const { judged: _judged, ...ruSupportDev } = ruSupport;
  const { banking77, clinc150 } = classification;
  const result = {
    'banking77.accuracy': banking77.accuracy,
    'banking77.selective80': banking77.selective80,
    'clinc150.inScopeAccuracy': clinc150.inScopeAccuracy,
    'clinc150.oosRecall': clinc150.oosRecall,
    'xquad.ru.r1': retrieval.ru.r1,
    'xquad.ru.r5': retrieval.ru.r5,
    'xquad.en.r1': retrieval.en.r1,
    answerLatencyP99Ms: answer.latency.p99,
    'ruSupportDev.right': ruSupport.overall.right,
    'ruSupportDev.wrong': ruSupport.overall.wrong,
    'ruSupportDev.handover': ruSupport.overall.handover,
    'ruSupportDev.minRight': ruSupport.minRight,
    'ruSupportDev.crossValidated.right': crossValidated.overall.right,
    'ruSupportDev.crossValidated.wrong': crossValidated.overall.wrong,
    'ruSupportDev.crossValidated.minRight': crossValidated.minRight,
    details: { classification, retrieval, answer, ruSupportDev, ruSupportDevCrossValidated: crossValidated },
    environment: environment(),
  };
  printChecks('AI first line', [
    atLeast('BANKING77 test accuracy', banking77.accuracy, 0.92),
    atLeast('BANKING77 accuracy at 80% coverage', banking77.selective80, 0.975),
    below('BANKING77 training', banking77.trainMs, 60_000, ' ms'),
    below('BANKING77 inference p99', banking77.inferenceP99Ms, 5, ' ms'),
    atLeast('CLINC150 in-scope accuracy', clinc150.inScopeAccuracy, 0.92),
    atLeast('CLINC150 out-of-scope recall', clinc150.oosRecall, 0.5),
    atLeast('XQuAD ru R@1', retrieval.ru.r1, 0.91),
    atLeast('XQuAD ru R@5', retrieval.ru.r5, 0.98),
    atLeast('XQuAD en R@1', retrieval.en.r1, 0.93),
    below(`answer latency p99 (${answer.chunks} passages)`, answer.latency.p99, 150, ' ms'),
    info('answer latency p50 (ms)', answer.latency.p50),
    info('bot answered / handed over / missing', `${answer.answered} / ${answer.handedOver} / ${answer.missing}`),
    ...Object.entries(ruSupport.businesses).flatMap(([business, s]) => [
      atLeast(`ru-support-dev ${business}: answered right`, round3(s.right), 0.85),
      atMost(`ru-support-dev ${business}: answered wrong`, round3(s.wrong), 0.05),
      atLeast(`ru-support-dev ${business}: must-be-human handed over`, round3(s.handover), 0.8),
    ]),
    atLeast('ru-support-dev worst business answered right', round3(ruSupport.minRight), 0.85),
    info(
      'ru-support-dev leave-one-business-out right / wrong (overall)',
      `${crossValidated.overall.right.toFixed(3)} / ${crossValidated.overall.wrong.toFixed(3)}`,
    ),
  ]);
  printRuSupport(ruSupport);
  console.log('\nleave-one-business-out estimate (abstain model fitted without the business it decides):');
  printRuSupport({ ...crossValidated, threshold: ruSupport.threshold }, 'ru-support-dev, leave-one-business-out');
  console.log(`wrote ${await writeResult('ai', result)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
