/**
 * Fits the rank model (RANK_MODEL in apps/server/src/modules/ai/retrieval/knowledge.index.ts): a linear
 * score over per-candidate evidence, trained listwise (softmax cross-entropy: the right FAQ entry against
 * the other candidates of the re-ranked head) on the answerable ru-support-dev messages of the given
 * businesses, every reading of a message (whole and its clauses) whose head holds the right entry.
 * Small L2 penalty. `npx tsx bench/ai/rank.fit.ts [--write]` prints top-1 leave-one-business-out and,
 * with --write, stores the model fitted on all businesses in lexicon/rank-model.json.
 */
import { writeFile } from 'node:fs/promises';
import { KnowledgeIndex, RANK_FEATURES, RANK_MODEL, type RankFeature } from '../../apps/server/src/modules/ai/retrieval/knowledge.index.js';
import { domainsOf, loadRuSupportDev, type SupportSet } from './ru-support.data.js';
import { faqChunksOf } from './ru-support.offline.js';

const L2 = Number(process.env.RANK_L2 ?? 0.0001);
const MODEL_FILE = new URL('../../apps/server/src/modules/ai/lexicon/rank-model.json', import.meta.url);

export interface RankQuery {
  domain: string;
  /** Candidates' features; `right` = index of the right entry. */
  xs: number[][];
  right: number;
}

export function rankQueries(set: SupportSet): RankQuery[] {
  const out: RankQuery[] = [];
  for (const domain of domainsOf(set)) {
    const index = KnowledgeIndex.build(faqChunksOf(set.faq.filter((f) => f.domain === domain)));
    for (const c of set.cases.filter((x) => x.domain === domain && x.faq)) {
      for (const pool of index.readings(c.text)) {
        const right = pool.findIndex((h) => h.articleId === c.faq);
        if (right >= 0 && pool.length > 1) out.push({ domain, xs: pool.map((h) => h.x), right });
      }
    }
  }
  return out;
}

export function fitRank(data: RankQuery[]): Record<RankFeature, number> {
  const k = RANK_FEATURES.length;
  let w = new Array<number>(k).fill(0);
  w[0] = 10;
  const rate = 2;
  for (let epoch = 0; epoch < Number(process.env.RANK_EPOCHS ?? 3000); epoch++) {
    const g = new Array<number>(k).fill(0);
    for (const q of data) {
      const s = q.xs.map((x) => x.reduce((a, v, i) => a + v * w[i]!, 0));
      const m = Math.max(...s);
      const e = s.map((v) => Math.exp(v - m));
      const z = e.reduce((a, v) => a + v, 0);
      q.xs.forEach((x, j) => {
        const p = e[j]! / z - (j === q.right ? 1 : 0);
        for (let i = 0; i < k; i++) g[i]! += p * x[i]!;
      });
    }
    w = w.map((v, i) => v - rate * (g[i]! / data.length + L2 * v));
  }
  const r = (v: number) => Math.round(v * 100) / 100;
  return Object.fromEntries(RANK_FEATURES.map((name, i) => [name, r(w[i]!)])) as Record<RankFeature, number>;
}

/** Top-1 of the answerable messages of `domain` through `retrieve` (clauses included). */
export function top1(set: SupportSet, domain: string): number {
  const index = KnowledgeIndex.build(faqChunksOf(set.faq.filter((f) => f.domain === domain)));
  const cases = set.cases.filter((c) => c.domain === domain && c.faq);
  return cases.filter((c) => index.retrieve(c.text, 1, null).hits[0]?.chunk.articleId === c.faq).length / cases.length;
}

async function main() {
  const set = await loadRuSupportDev();
  const data = rankQueries(set);
  const shipped = { ...RANK_MODEL };
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  for (const domain of domainsOf(set)) {
    const before = top1(set, domain);
    const model = fitRank(data.filter((q) => q.domain !== domain));
    Object.assign(RANK_MODEL, model);
    console.log(domain.padEnd(16), 'top-1 shipped', pct(before), '→ LOBO', pct(top1(set, domain)), JSON.stringify(model));
    Object.assign(RANK_MODEL, shipped);
  }
  const all = fitRank(data);
  console.log('fitted on all:', JSON.stringify(all));
  if (process.argv.includes('--write')) await writeFile(MODEL_FILE, `${JSON.stringify(all, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
