/**
 * ru-support-dev in process, for tuning: the same `decide` and the same `KnowledgeIndex` the server runs,
 * without PostgreSQL and the analysis thread (each business's FAQ is indexed directly). The numbers match
 * the end-to-end run (`ru-support.ts`) as long as the server passes the FAQ through unchanged.
 * `npx tsx bench/ai/ru-support.offline.ts [--misses]`
 */
import { aiSettings } from '@switchboard/shared';
import { decide } from '../../apps/server/src/modules/assistant/assistant.decide.js';
import type { AiRuntime } from '../../apps/server/src/modules/ai/ai.runtime.js';
import { KnowledgeIndex } from '../../apps/server/src/modules/ai/retrieval/knowledge.index.js';
import type { SearchableChunk } from '../../apps/server/src/modules/knowledge/knowledge.repository.js';
import { curve, domainsOf, score, type Judged, type SupportFaq, type SupportSet } from './ru-support.data.js';

export function faqChunksOf(faq: SupportFaq[]): SearchableChunk[] {
  return faq.map((f) => ({
    id: f.id,
    articleId: f.id,
    kind: 'faq',
    articleTitle: f.question,
    headingPath: [],
    title: f.question,
    text: f.answer,
    category: null,
    embedding: null,
  }));
}

/** Every case of `domains` decided against its own business's FAQ (the index built once per business). */
export async function judgeOffline(set: SupportSet, domains = domainsOf(set), threshold?: number): Promise<Judged[]> {
  const settings = aiSettings.parse(threshold === undefined ? {} : { confidenceThreshold: threshold });
  const judged: Judged[] = [];
  for (const domain of domains) {
    const index = KnowledgeIndex.build(faqChunksOf(set.faq.filter((f) => f.domain === domain)));
    const ai = {
      retrieve: (_a: string, q: string, limit: number) => Promise.resolve(index.retrieve(q, limit, null)),
    } as unknown as AiRuntime;
    for (const c of set.cases.filter((x) => x.domain === domain)) {
      const d = await decide(ai, { accountId: 'bench', text: c.text, settings, llm: null, alwaysHuman: false });
      const top = d.retrieval?.hits[0]?.chunk.articleId ?? null;
      judged.push({
        domain,
        text: c.text,
        expected: c.faq,
        why: c.why,
        answeredWith: d.action === 'answer' ? (d.sources[0]?.articleId ?? null) : null,
        handedOver: d.action === 'handover',
        confidence: d.confidence,
        topFaq: top,
        thresholdOnly: d.action === 'answer' ? d.sources.length > 0 : d.reason === 'low_confidence',
        reason: d.reason,
      });
    }
  }
  return judged;
}

export function summary(judged: Judged[], set: SupportSet) {
  const businesses = Object.fromEntries(
    domainsOf(set).map((domain) => {
      const mine = judged.filter((j) => j.domain === domain);
      return [domain, { ...score(mine), curve: curve(mine) }];
    }),
  );
  return { overall: score(judged), businesses };
}
