/**
 * ru-support-dev end to end: a real server (bundled, PostgreSQL, the analysis thread); for each business
 * its FAQ alone is the account's knowledge base (created through the API, the previous business's
 * entries deleted), and every message of that business goes through the assistant's decision path
 * (`POST /api/ai/test`: the same `decide` the inbound job runs, with the account's settings). Scores per
 * business and overall, and the coverage/accuracy curve per business.
 */
import { startBenchPostgres } from '../support/database.js';
import { startServer } from '../support/server.js';
import { signInOwner } from '../support/channels.js';
import { curve, domainsOf, loadRuSupportDev, score, type CurvePoint, type Judged, type Score } from './ru-support.data.js';

export interface RuSupportResult {
  overall: Score;
  /** The worst business's share of answerable messages answered right. */
  minRight: number;
  businesses: Record<string, Score & { curve: CurvePoint[] }>;
  threshold: number;
  judged: Judged[];
}

interface TestResponse {
  items: { source: { articleId: string } }[];
  decision: { action: 'answer' | 'handover'; confidence: number; reason: string | null; sources: { articleId: string }[] };
}

export async function runRuSupportBench(): Promise<RuSupportResult> {
  const set = await loadRuSupportDev();
  const cluster = await startBenchPostgres();
  const cleanups: (() => Promise<void>)[] = [() => cluster.stop()];
  try {
    const server = await startServer({
      databaseUrl: await cluster.createDatabase('sb_bench_ru_support'),
      telegramApiRoot: 'http://127.0.0.1:9',
    });
    cleanups.unshift(() => server.stop());
    const owner = await signInOwner(server.url);
    const settings = await owner.get('/api/ai/settings');
    const threshold = settings.body.confidenceThreshold as number;
    const judged: Judged[] = [];
    for (const domain of domainsOf(set)) {
      const existing = await owner.get('/api/knowledge/articles?limit=200');
      for (const a of existing.body.items as { id: string }[]) await owner.delete(`/api/knowledge/articles/${a.id}`);
      const faqOf = new Map<string, string>();
      for (const f of set.faq.filter((x) => x.domain === domain)) {
        const res = await owner.post('/api/knowledge/articles', { kind: 'faq', question: f.question, answer: f.answer, published: true });
        if (res.status !== 201) throw new Error(`FAQ not created: ${res.status} ${JSON.stringify(res.body)}`);
        faqOf.set(res.body.id as string, f.id);
      }
      for (const c of set.cases.filter((x) => x.domain === domain)) {
        const res = await owner.post<TestResponse>('/api/ai/test', { query: c.text });
        if (res.status !== 200) throw new Error(`test failed: ${res.status} ${JSON.stringify(res.body)}`);
        const d = res.body.decision;
        const answeredArticle = d.action === 'answer' ? d.sources[0]?.articleId : undefined;
        const top = res.body.items[0]?.source.articleId;
        judged.push({
          domain,
          text: c.text,
          expected: c.faq,
          why: c.why,
          answeredWith: answeredArticle ? (faqOf.get(answeredArticle) ?? null) : null,
          handedOver: d.action === 'handover',
          confidence: d.confidence,
          topFaq: top ? (faqOf.get(top) ?? null) : null,
          thresholdOnly: d.action === 'answer' ? d.sources.length > 0 : d.reason === 'low_confidence',
          reason: d.reason,
        });
      }
    }
    const businesses = Object.fromEntries(
      domainsOf(set).map((domain) => {
        const mine = judged.filter((j) => j.domain === domain);
        return [domain, { ...score(mine), curve: curve(mine) }];
      }),
    );
    return {
      overall: score(judged),
      minRight: Math.min(...Object.values(businesses).map((b) => b.right)),
      businesses,
      threshold,
      judged,
    };
  } finally {
    for (const c of cleanups) await c().catch(() => undefined);
  }
}
