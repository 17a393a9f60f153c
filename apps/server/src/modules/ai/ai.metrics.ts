import { sql } from 'drizzle-orm';
import type { AiMetrics } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

/**
 * The assistant's report card over the last `days`: how many bot conversations ended without a
 * person, why hand-overs happened, how often operators took suggestions, how often they had to
 * correct the predicted category, and LLM usage.
 */
export async function aiMetrics(db: Db, accountId: string, days: number): Promise<AiMetrics> {
  const since = sql`now() - make_interval(days => ${days})`;
  const one = async <T>(query: ReturnType<typeof sql>) => (await db.execute(query)).rows[0] as T;

  const conv = await one<{ total: number; bot: number; handed: number }>(sql`
    select count(*)::int as total,
      count(*) filter (where exists (select 1 from messages m where m.conversation_id = c.id and m.author_type = 'bot'))::int as bot,
      count(*) filter (where exists (select 1 from messages m where m.conversation_id = c.id and m.author_type = 'bot')
        and exists (select 1 from handovers h where h.conversation_id = c.id))::int as handed
    from conversations c where c.account_id = ${accountId} and c.created_at >= ${since}`);
  const reasons = (
    await db.execute(sql`select reason, count(*)::int as n from handovers
      where account_id = ${accountId} and queued_at >= ${since} group by reason`)
  ).rows as { reason: string; n: number }[];
  const sug = await one<{ total: number; sent: number; edited: number; rejected: number }>(sql`
    select count(*) filter (where status <> 'superseded')::int as total,
      count(*) filter (where status = 'sent')::int as sent,
      count(*) filter (where status = 'edited')::int as edited,
      count(*) filter (where status = 'rejected')::int as rejected
    from ai_suggestions where account_id = ${accountId} and created_at >= ${since}`);
  const cls = await one<{ reviewed: number; corrected: number }>(sql`
    select count(*)::int as reviewed, count(*) filter (where predicted_category is distinct from category)::int as corrected
    from conversations where account_id = ${accountId} and category_source = 'operator' and predicted_category is not null
      and updated_at >= ${since}`);
  const usage = await one<{ requests: number; prompt: number; completion: number; failures: number }>(sql`
    select coalesce(sum(requests), 0)::int as requests, coalesce(sum(prompt_tokens), 0)::int as prompt,
      coalesce(sum(completion_tokens), 0)::int as completion, coalesce(sum(failures), 0)::int as failures
    from ai_usage where account_id = ${accountId} and day >= to_char(${since}, 'YYYY-MM-DD')`);

  const decided = sug.sent + sug.edited + sug.rejected;
  return {
    days,
    conversations: conv.total,
    botConversations: conv.bot,
    autoResolutionRate: ratio(conv.bot - conv.handed, conv.bot),
    handoverRate: ratio(conv.handed, conv.bot),
    handoversByReason: Object.fromEntries(reasons.map((r) => [r.reason, r.n])),
    suggestions: { ...sug, acceptanceRate: ratio(sug.sent + sug.edited, decided) },
    classification: { ...cls, accuracy: cls.reviewed > 0 ? 1 - cls.corrected / cls.reviewed : null },
    usage: { requests: usage.requests, promptTokens: usage.prompt, completionTokens: usage.completion, failures: usage.failures },
  };
}
