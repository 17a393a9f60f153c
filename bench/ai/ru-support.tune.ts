/** Ranking accuracy (top-1 FAQ of answerable messages) per business over a small grid of MATCH_TUNING. */
import { KnowledgeIndex, MATCH_TUNING } from '../../apps/server/src/modules/ai/retrieval/knowledge.index.js';
import { domainsOf, loadRuSupportDev } from './ru-support.data.js';
import { faqChunksOf } from './ru-support.offline.js';

const set = await loadRuSupportDev();
function top1() {
  const out: Record<string, number> = {};
  let all = 0;
  let n = 0;
  for (const d of domainsOf(set)) {
    const index = KnowledgeIndex.build(faqChunksOf(set.faq.filter((f) => f.domain === d)));
    const cases = set.cases.filter((c) => c.domain === d && c.faq);
    const ok = cases.filter((c) => index.retrieve(c.text, 1, null).hits[0]?.chunk.articleId === c.faq).length;
    out[d] = Math.round((ok / cases.length) * 1000) / 1000;
    all += ok;
    n += cases.length;
  }
  return { ...out, all: Math.round((all / n) * 1000) / 1000 };
}
const grid = JSON.parse(process.argv[2] ?? '{}') as Record<string, number[]>;
const keys = Object.keys(grid) as (keyof typeof MATCH_TUNING)[];
function* combos(i: number): Generator<Record<string, number>> {
  if (i === keys.length) return yield {};
  for (const v of grid[keys[i]!]!) for (const rest of combos(i + 1)) yield { [keys[i]!]: v, ...rest };
}
for (const c of combos(0)) {
  Object.assign(MATCH_TUNING, c);
  console.log(JSON.stringify(c), JSON.stringify(top1()));
}
