import type { ConversationReport, ReportMetrics, ReportOperatorRow, ReportQuery } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { wallToInstant } from './business-hours.js';
import { ReportFactsRepository } from './reports.facts.repository.js';
import {
  ReportsRepository,
  type ConversationAggregate,
  type MessageAggregate,
  type ResolutionAggregate,
  type Span,
} from './reports.repository.js';

const DAY_MS = 86_400_000;

/** Whole local days `from`..`to` of a zone as instants. */
export function spanOf(from: string, to: string, timeZone: string): Span {
  return { from: new Date(wallToInstant(Date.parse(from), timeZone)), to: new Date(wallToInstant(Date.parse(to) + DAY_MS, timeZone)) };
}

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The period of the same length that ends the day before `from`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const days = Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;
  return { from: isoDay(Date.parse(from) - days * DAY_MS), to: isoDay(Date.parse(from) - DAY_MS) };
}

const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);

function metrics(c: ConversationAggregate | undefined, r: ResolutionAggregate | undefined, m: MessageAggregate | undefined): ReportMetrics {
  const botConversations = c?.botConversations ?? 0;
  return {
    conversations: c?.conversations ?? 0,
    resolved: r?.resolved ?? 0,
    messagesIn: m?.messagesIn ?? 0,
    messagesOut: (m?.operatorOut ?? 0) + (m?.botOut ?? 0),
    operatorReplies: m?.operatorOut ?? 0,
    botReplies: m?.botOut ?? 0,
    firstResponseMedian: c?.frtMedian ?? null,
    firstResponseP90: c?.frtP90 ?? null,
    resolutionMedian: r?.median ?? null,
    resolutionP90: r?.p90 ?? null,
    botConversations,
    botResolved: c?.botResolved ?? 0,
    handedOver: c?.handedOver ?? 0,
    botResolutionRate: ratio(c?.botResolved ?? 0, botConversations),
    handoverRate: ratio(c?.handedOver ?? 0, botConversations),
  };
}

/**
 * The conversations report of an account for whole local days, with the previous period of the same
 * length for comparison, the series by day or week, and the breakdowns by channel and operator. Reads
 * only the report read model. Takes any database handle (the replica's, a bench's).
 */
export async function runConversationReport(
  db: Db,
  accountId: string,
  q: Pick<ReportQuery, 'from' | 'to'> & Partial<Pick<ReportQuery, 'granularity' | 'channelId'>>,
): Promise<ConversationReport> {
  const repo = new ReportsRepository(db);
  const working = await new ReportFactsRepository(db).workingTime(accountId);
  const granularity = q.granularity ?? 'day';
  const span = spanOf(q.from, q.to, working.timeZone);
  const prev = previousPeriod(q.from, q.to);
  const prevSpan = spanOf(prev.from, prev.to, working.timeZone);
  const by = { unit: granularity, timeZone: working.timeZone };
  // Six scans of the read model (three for the period with its series and breakdowns, three for the totals before it).
  const [c, r, m, pc, pr, pm, channelNames, people] = await Promise.all([
    repo.conversations(accountId, span, q.channelId, by),
    repo.resolutions(accountId, span, q.channelId, by),
    repo.messages(accountId, span, q.channelId, by),
    repo.conversations(accountId, prevSpan, q.channelId),
    repo.resolutions(accountId, prevSpan, q.channelId),
    repo.messages(accountId, prevSpan, q.channelId),
    repo.channelNames(accountId),
    repo.people(accountId),
  ]);
  const series = [...new Set([...m.periods.keys(), ...c.periods.keys(), ...r.periods.keys()])].sort().map((period) => ({
    period,
    messagesIn: m.periods.get(period)?.messagesIn ?? 0,
    messagesOut: m.periods.get(period)?.messagesOut ?? 0,
    conversations: c.periods.get(period) ?? 0,
    resolved: r.periods.get(period) ?? 0,
  }));
  const channelIds = new Set([...c.byChannel.keys(), ...r.byChannel.keys(), ...m.byChannel.keys()]);
  const operatorIds = new Set([...c.byOperator.keys(), ...r.byOperator.keys(), ...m.byOperator.keys()]);
  const operatorRows: ReportOperatorRow[] = [...operatorIds].map((id) => ({
    userId: id,
    name: people.get(id) ?? '—',
    conversations: c.byOperator.get(id)?.conversations ?? 0,
    replies: m.byOperator.get(id)?.operatorOut ?? 0,
    resolved: r.byOperator.get(id)?.resolved ?? 0,
    firstResponseMedian: c.byOperator.get(id)?.frtMedian ?? null,
    resolutionMedian: r.byOperator.get(id)?.median ?? null,
    csat: null,
  }));
  return {
    from: q.from,
    to: q.to,
    timeZone: working.timeZone,
    businessHours: working.week !== null,
    granularity,
    summary: metrics(c.total, r.total, m.total),
    previous: { ...metrics(pc.total, pr.total, pm.total), ...prev },
    series,
    channels: [...channelIds]
      .map((id) => ({
        channelId: id,
        channelName: channelNames.get(id)?.name ?? '—',
        channelType: channelNames.get(id)?.type ?? 'unknown',
        ...metrics(c.byChannel.get(id), r.byChannel.get(id), m.byChannel.get(id)),
      }))
      .sort((a, b) => b.conversations - a.conversations || a.channelName.localeCompare(b.channelName)),
    operators: operatorRows.sort((a, b) => b.replies - a.replies || a.name.localeCompare(b.name)),
  };
}
