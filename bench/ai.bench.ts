/**
 * `npm run bench:ai`: the AI first line against public data (../shared/datasets; tuned on train/val
 * only, reported on test) and its answer latency. Prints a table, writes bench/results/ai.json.
 */
import { runClassificationBench } from './ai/classification.js';
import { runRetrievalBench } from './ai/retrieval.js';
import { runAnswerLatencyBench } from './ai/answer-latency.js';
import { atLeast, below, environment, info, printChecks, writeResult } from './support/report.js';

async function main() {
  const classification = await runClassificationBench();
  const retrieval = await runRetrievalBench();
  const answer = await runAnswerLatencyBench();
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
    details: { classification, retrieval, answer },
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
  ]);
  console.log(`wrote ${await writeResult('ai', result)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
