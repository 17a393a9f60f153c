/**
 * Fits the abstain model (apps/server/src/modules/ai/ai.abstain.ts) on in-domain FAQ data and reports
 * honest estimates of it, cross-validated by business: each ru-support-dev business is decided (through
 * the real `decide`) with a model fitted on the other businesses only (leave-one-business-out).
 *
 * Samples per business (its FAQ alone as the knowledge base):
 *  - every answerable message: label 1 when the top match is its FAQ entry, else 0;
 *  - every must-be-human message the hand-over rules (asks for a person, angry, personal matter) let through: label 0;
 *  - every answerable message again with its own FAQ entry removed from the index: label 0 (the
 *    knowledge base does not cover it — what the bot must notice).
 * Negatives weigh NEGATIVE_WEIGHT times a positive (a wrong answer costs more than a hand-over; set
 * before looking at the results, not tuned). Logistic regression with a small L2 penalty.
 *
 * `npx tsx bench/ai/abstain.calibrate.ts [--write]`: prints the cross-validated table; --write stores
 * the model fitted on all businesses in apps/server/src/modules/ai/lexicon/abstain-model.json.
 */
import { writeFile } from 'node:fs/promises';
import { ABSTAIN_MODEL, FEATURE_NAMES, featureVector, type AbstainModel } from '../../apps/server/src/modules/ai/ai.abstain.js';
import { KnowledgeIndex, RANK_MODEL } from '../../apps/server/src/modules/ai/retrieval/knowledge.index.js';
import { personalMatter } from '../../apps/server/src/modules/ai/text/text.personal.js';
import { asksForHuman, soundsAngry } from '../../apps/server/src/modules/assistant/assistant.triggers.js';
import { curve, domainsOf, loadRuSupportDev, score, type Judged, type SupportSet } from './ru-support.data.js';
import { faqChunksOf, judgeOffline } from './ru-support.offline.js';
import { printRuSupport } from './ru-support.report.js';
import { fitRank, rankQueries, type RankQuery } from './rank.fit.js';

const NEGATIVE_WEIGHT = 1;
const L2 = 0.001;
const MODEL_FILE = new URL('../../apps/server/src/modules/ai/lexicon/abstain-model.json', import.meta.url);
const RANK_FILE = new URL('../../apps/server/src/modules/ai/lexicon/rank-model.json', import.meta.url);

interface Sample {
  domain: string;
  x: number[];
  y: number;
}

function samples(set: SupportSet, domains = domainsOf(set)): Sample[] {
  const out: Sample[] = [];
  for (const domain of domains) {
    const faq = set.faq.filter((f) => f.domain === domain);
    const full = KnowledgeIndex.build(faqChunksOf(faq));
    const without = new Map(faq.map((f) => [f.id, KnowledgeIndex.build(faqChunksOf(faq.filter((g) => g.id !== f.id)))]));
    for (const c of set.cases.filter((x) => x.domain === domain)) {
      // Messages the rules hand over before any matching never reach the model.
      if (c.faq === null && (personalMatter(c.text) || asksForHuman(c.text, []) || soundsAngry(c.text))) continue;
      const r = full.retrieve(c.text, 1, null);
      if (r.features) out.push({ domain, x: featureVector(r.features), y: c.faq !== null && r.hits[0]?.chunk.articleId === c.faq ? 1 : 0 });
      if (c.faq === null || process.env.NO_REMOVED) continue;
      const n = without.get(c.faq)!.retrieve(c.text, 1, null);
      if (n.features) out.push({ domain, x: featureVector(n.features), y: 0 });
    }
  }
  return out;
}

const DROP = new Set((process.env.ABSTAIN_DROP ?? '').split(',').filter(Boolean));

function fit(data: Sample[]): AbstainModel {
  const k = FEATURE_NAMES.length;
  data = data.map((s) => ({ ...s, x: s.x.map((v, i) => (DROP.has(FEATURE_NAMES[i]!) ? 0 : v)) }));
  let w = new Array<number>(k).fill(0);
  let bias = 0;
  const rate = 4;
  const weightOf = (s: Sample) => (s.y === 1 ? 1 : NEGATIVE_WEIGHT);
  const total = data.reduce((sum, s) => sum + weightOf(s), 0);
  for (let epoch = 0; epoch < 20000; epoch++) {
    const g = new Array<number>(k).fill(0);
    let gb = 0;
    for (const s of data) {
      let z = bias;
      for (let i = 0; i < k; i++) z += w[i]! * s.x[i]!;
      const err = (1 / (1 + Math.exp(-z)) - s.y) * weightOf(s);
      for (let i = 0; i < k; i++) g[i]! += err * s.x[i]!;
      gb += err;
    }
    w = w.map((v, i) => v - rate * (g[i]! / total + L2 * v));
    bias -= (rate * gb) / total;
  }
  const r = (v: number) => Math.round(v * 100) / 100;
  return { bias: r(bias), ...Object.fromEntries(FEATURE_NAMES.map((name, i) => [name, r(w[i]!)])) } as AbstainModel;
}

/** Largest share of answerable messages (pooled over the fitting businesses) answered wrong at the model's 0.5. */
const TARGET_WRONG = 0.04;

/**
 * Places the model's 0.5 where, on the businesses it was fitted on, at most TARGET_WRONG of their
 * answerable messages are answered wrong: the lowest such threshold t (on a 0.01 grid)
 * is found by deciding those businesses' messages, then the bias is shifted by logit(t).
 */
async function placeThreshold(set: SupportSet, model: AbstainModel, domains: string[]): Promise<AbstainModel> {
  Object.assign(ABSTAIN_MODEL, model);
  const judged = await judgeOffline(set, domains, 0);
  let chosen = 0.99;
  for (let t = 0.05; t < 0.99; t += 0.01) {
    const answerable = judged.filter((j) => j.expected !== null);
    const wrong = answerable.filter((j) => j.thresholdOnly && j.topFaq !== null && j.topFaq !== j.expected && j.confidence >= t).length;
    const ok = wrong / Math.max(1, answerable.length) <= TARGET_WRONG;
    if (ok) {
      chosen = t;
      break;
    }
  }
  const round = (v: number) => Math.round(v * 100) / 100;
  return { ...model, bias: round(model.bias - Math.log(chosen / (1 - chosen))) };
}

/**
 * Both models for `domains`: the rank model fitted on their answerable messages, then (with it in place)
 * the abstain model fitted on their samples and its 0.5 placed. Leaves both in place.
 */
async function fitBoth(set: SupportSet, ranking: RankQuery[], domains: string[]) {
  const rank = process.env.RANK_FIXED ? { ...RANK_MODEL } : fitRank(ranking.filter((q) => domains.includes(q.domain)));
  Object.assign(RANK_MODEL, rank);
  const abstain = await placeThreshold(set, fit(samples(set, domains)), domains);
  Object.assign(ABSTAIN_MODEL, abstain);
  return { rank, abstain };
}

/**
 * Leave-one-business-out: each business decided (through `decide`) with the rank and abstain models fitted
 * — and the abstain model's 0.5 placed — on the other businesses only. The shipped models are restored afterwards.
 */
export async function crossValidateByBusiness(
  set: SupportSet,
): Promise<{ judged: Judged[]; fittedOnAll: AbstainModel; rankOnAll: typeof RANK_MODEL }> {
  const ranking = rankQueries(set);
  const shipped = { ...ABSTAIN_MODEL };
  const shippedRank = { ...RANK_MODEL };
  const judged: Judged[] = [];
  try {
    for (const domain of domainsOf(set)) {
      await fitBoth(
        set,
        ranking,
        domainsOf(set).filter((d) => d !== domain),
      );
      judged.push(...(await judgeOffline(set, [domain])));
    }
    const all = await fitBoth(set, ranking, domainsOf(set));
    return { judged, fittedOnAll: all.abstain, rankOnAll: all.rank };
  } finally {
    Object.assign(ABSTAIN_MODEL, shipped);
    Object.assign(RANK_MODEL, shippedRank);
  }
}

export function perBusiness(set: SupportSet, judged: Judged[]) {
  return Object.fromEntries(
    domainsOf(set).map((d) => {
      const mine = judged.filter((j) => j.domain === d);
      return [d, { ...score(mine), curve: curve(mine) }];
    }),
  );
}

async function main() {
  const set = await loadRuSupportDev();
  const { judged, fittedOnAll, rankOnAll } = await crossValidateByBusiness(set);
  console.log('leave-one-business-out (each business decided by a model fitted on the other three):');
  printRuSupport(
    { overall: score(judged), businesses: perBusiness(set, judged), threshold: 0.5 },
    'ru-support-dev, leave-one-business-out',
  );
  console.log('fitted on all businesses:', JSON.stringify(fittedOnAll));
  console.log('shipped:', JSON.stringify(ABSTAIN_MODEL));
  if (process.argv.includes('--write')) {
    await writeFile(MODEL_FILE, `${JSON.stringify(fittedOnAll, null, 2)}\n`);
    await writeFile(RANK_FILE, `${JSON.stringify(rankOnAll, null, 2)}\n`);
    console.log(`wrote ${MODEL_FILE.pathname}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
