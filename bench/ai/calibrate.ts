/**
 * Fits the retrieval-confidence model (`apps/server/src/modules/ai/ai.confidence.ts`) and checks its
 * calibration. Data: XQuAD questions in Russian and English. Positives and negatives both come from
 * the same question: once with its paragraph in the index (label: did the top passage come from the
 * right paragraph?) and once with the paragraph's whole article removed (label 0: the knowledge base
 * does not cover the question — what the bot must notice to hand over).
 * Fitted on the dev split (questions of the first 20 % of articles), evaluated on the rest.
 * Run: `npx tsx bench/ai/calibrate.ts`; paste the printed model into ai.confidence.ts.
 */
import { readFile } from 'node:fs/promises';
import { Bm25Index } from '../../apps/server/src/modules/ai/retrieval/bm25.js';
import { analyse } from '../../apps/server/src/modules/ai/text/text.tokenise.js';
import { CONFIDENCE_MODEL, retrievalConfidence, retrievalFeatures } from '../../apps/server/src/modules/ai/ai.confidence.js';

import { DATASETS } from './datasets.js';
const DEV_SHARE = 0.2;

interface Paragraph {
  article: number;
  text: string;
  questions: string[];
}
interface Sample {
  x: [number, number, number];
  y: number;
  dev: boolean;
  query: string[];
  scores: number[];
  top: string[];
  max: number;
}

async function paragraphs(lang: 'ru' | 'en'): Promise<{ list: Paragraph[]; articles: number }> {
  const squad = JSON.parse(await readFile(new URL(`xquad/xquad.${lang}.json`, DATASETS), 'utf8')) as {
    data: { paragraphs: { context: string; qas: { question: string }[] }[] }[];
  };
  const list = squad.data.flatMap((a, article) =>
    a.paragraphs.map((p) => ({ article, text: p.context, questions: p.qas.map((q) => q.question) })),
  );
  return { list, articles: squad.data.length };
}

function sample(index: Bm25Index<number>, list: Paragraph[], query: string, label: (top: number) => number, dev: boolean): Sample | null {
  const hits = index.search(query, { limit: 5 });
  const terms = analyse(query);
  const top = hits[0] ? analyse(list[hits[0].id]!.text) : [];
  const scores = hits.map((h) => h.score);
  const max = index.maxScore(query);
  const f = retrievalFeatures(terms, scores, top, max);
  if (!f || !hits[0]) return null;
  return { x: [f.coverage, f.margin, f.strength], y: label(hits[0].id), dev, query: terms, scores, top, max };
}

async function samples(lang: 'ru' | 'en'): Promise<Sample[]> {
  const { list, articles } = await paragraphs(lang);
  const devArticles = Math.round(articles * DEV_SHARE);
  const full = new Bm25Index<number>();
  list.forEach((p, i) => full.add(i, { body: p.text }));
  const out: Sample[] = [];
  for (let article = 0; article < articles; article++) {
    const without = new Bm25Index<number>();
    list.forEach((p, i) => p.article !== article && without.add(i, { body: p.text }));
    list.forEach((p, i) => {
      if (p.article !== article) return;
      for (const q of p.questions) {
        const dev = article < devArticles;
        const pos = sample(full, list, q, (top) => (top === i ? 1 : 0), dev);
        const neg = sample(without, list, q, () => 0, dev);
        if (pos) out.push(pos);
        if (neg) out.push(neg);
      }
    });
  }
  return out;
}

/** Logistic regression by gradient descent (three features: nothing fancier is needed). */
function fit(data: Sample[]) {
  let w = [0, 0, 0];
  let bias = 0;
  const rate = 0.5;
  for (let epoch = 0; epoch < 4000; epoch++) {
    const g = [0, 0, 0];
    let gb = 0;
    for (const s of data) {
      const p = 1 / (1 + Math.exp(-(bias + w[0]! * s.x[0] + w[1]! * s.x[1] + w[2]! * s.x[2])));
      const err = p - s.y;
      for (let k = 0; k < 3; k++) g[k]! += err * s.x[k]!;
      gb += err;
    }
    w = w.map((v, k) => v - (rate * g[k]!) / data.length);
    bias -= (rate * gb) / data.length;
  }
  const r = (v: number) => Math.round(v * 100) / 100;
  return { bias: r(bias), coverage: r(w[0]!), margin: r(w[1]!), strength: r(w[2]!) };
}

/** Expected calibration error over 10 equal-width bins, and accuracy of "answer when p ≥ 0.5". */
function evaluate(data: Sample[], model: typeof CONFIDENCE_MODEL) {
  const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, y: 0 }));
  let correct = 0;
  let answered = 0;
  let answeredRight = 0;
  for (const s of data) {
    const p = retrievalConfidence(s.query, s.scores, s.top, s.max, model);
    const bin = bins[Math.min(9, Math.floor(p * 10))]!;
    bin.n++;
    bin.p += p;
    bin.y += s.y;
    if ((p >= 0.5 ? 1 : 0) === s.y) correct++;
    if (p >= 0.5) {
      answered++;
      answeredRight += s.y;
    }
  }
  const ece = bins.reduce((sum, b) => sum + (b.n ? (b.n / data.length) * Math.abs(b.p / b.n - b.y / b.n) : 0), 0);
  return {
    samples: data.length,
    ece: Math.round(ece * 1000) / 1000,
    decisionAccuracy: correct / data.length,
    precisionWhenAnswering: answeredRight / answered,
  };
}

async function main() {
  const data = [...(await samples('ru')), ...(await samples('en'))];
  const dev = data.filter((s) => s.dev);
  const test = data.filter((s) => !s.dev);
  const model = fit(dev);
  console.log('fitted on dev:', JSON.stringify(model));
  console.table({ current: evaluate(test, CONFIDENCE_MODEL), fitted: evaluate(test, model) });
}

await main();
