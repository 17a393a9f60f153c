/**
 * `npx tsx bench/ai/retrieval.run.ts`: the XQuAD retrieval benchmark alone, as a table
 * (all questions against the targets; dev and the rest for information).
 */
import { runRetrievalBench } from './retrieval.js';
import { atLeast, below, info, printChecks } from '../support/report.js';

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

async function main() {
  const r = await runRetrievalBench();
  const split = (lang: 'ru' | 'en', part: 'dev' | 'rest') =>
    info(`XQuAD ${lang} R@1 / R@5, ${part} (${r[lang][part].queries} q.)`, `${round(r[lang][part].r1)} / ${round(r[lang][part].r5)}`);
  printChecks('XQuAD question → paragraph retrieval (BM25, 240 paragraphs)', [
    atLeast(`XQuAD ru R@1 (${r.ru.queries} q.)`, round(r.ru.r1), 0.91),
    atLeast('XQuAD ru R@5', round(r.ru.r5), 0.98),
    atLeast(`XQuAD en R@1 (${r.en.queries} q.)`, round(r.en.r1), 0.93),
    info('XQuAD en R@5', round(r.en.r5)),
    split('ru', 'dev'),
    split('ru', 'rest'),
    split('en', 'dev'),
    split('en', 'rest'),
    below('search p99, 240 paragraphs (ms)', round(r.searchP99Ms, 3), 5),
    below(`search p99, ${r.synthetic.chunks} chunks (ms)`, round(r.synthetic.searchP99Ms, 3), 5),
    info(`search p50, ${r.synthetic.chunks} chunks (ms)`, round(r.synthetic.searchP50Ms, 3)),
    info(`index build, ${r.synthetic.chunks} chunks (ms)`, Math.round(r.synthetic.buildMs)),
  ]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
