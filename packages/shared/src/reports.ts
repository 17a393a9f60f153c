import { z } from 'zod';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM');

/** One weekday's opening hours (local time of the account's zone). */
export const businessDay = z
  .object({ open: z.boolean(), start: hhmm, end: hhmm })
  .refine((d) => !d.open || d.start < d.end, { message: 'start must be before end', path: ['end'] });
export type BusinessDay = z.infer<typeof businessDay>;

const timeZone = z
  .string()
  .min(1)
  .max(64)
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown time zone');

/** Business hours and the weekly e-mail: what the reports count in. */
export const reportSettings = z.object({
  timeZone,
  /** Count response and resolution times in business hours only. */
  businessHoursEnabled: z.boolean(),
  /** Monday first. */
  week: z.array(businessDay).length(7),
  /** E-mail the weekly report to the managers on Monday morning. */
  weeklyReport: z.boolean(),
});
export type ReportSettings = z.infer<typeof reportSettings>;

export const reportGranularity = z.enum(['day', 'week']);
export type ReportGranularity = z.infer<typeof reportGranularity>;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');

/** A report's period: whole days `from`..`to` (inclusive) in the account's time zone. */
export const reportQuery = z
  .object({
    from: day,
    to: day,
    granularity: reportGranularity.default('day'),
    channelId: z.uuid().optional(),
  })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['to'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 366, { message: 'at most a year', path: ['to'] });
export type ReportQuery = z.infer<typeof reportQuery>;

export const reportExportQuery = reportQuery.and(
  z.object({ format: z.enum(['csv', 'xlsx', 'pdf']), lang: z.enum(['ru', 'en']).default('en') }),
);

/** Seconds; null when nothing was measured. */
const seconds = z.number().nullable();

export const reportMetrics = z.object({
  conversations: z.number().int(),
  resolved: z.number().int(),
  messagesIn: z.number().int(),
  messagesOut: z.number().int(),
  operatorReplies: z.number().int(),
  botReplies: z.number().int(),
  firstResponseMedian: seconds,
  firstResponseP90: seconds,
  resolutionMedian: seconds,
  resolutionP90: seconds,
  /** Conversations the bot took part in, of them resolved by the bot alone, and handed to a person. */
  botConversations: z.number().int(),
  botResolved: z.number().int(),
  handedOver: z.number().int(),
  /** Shares of `botConversations` (0..1); null when the bot took no part. */
  botResolutionRate: z.number().nullable(),
  handoverRate: z.number().nullable(),
});
export type ReportMetrics = z.infer<typeof reportMetrics>;

export const reportPoint = z.object({
  /** First day of the bucket, YYYY-MM-DD. */
  period: z.string(),
  messagesIn: z.number().int(),
  messagesOut: z.number().int(),
  conversations: z.number().int(),
  resolved: z.number().int(),
});
export type ReportPoint = z.infer<typeof reportPoint>;

export const reportChannelRow = reportMetrics.extend({ channelId: z.uuid(), channelName: z.string(), channelType: z.string() });
export type ReportChannelRow = z.infer<typeof reportChannelRow>;

export const reportOperatorRow = z.object({
  userId: z.uuid(),
  name: z.string(),
  conversations: z.number().int(),
  replies: z.number().int(),
  resolved: z.number().int(),
  firstResponseMedian: seconds,
  resolutionMedian: seconds,
  /** Customer satisfaction (0..5), when surveys exist; null until then. */
  csat: z.number().nullable(),
});
export type ReportOperatorRow = z.infer<typeof reportOperatorRow>;

export const conversationReport = z.object({
  from: day,
  to: day,
  timeZone: z.string(),
  businessHours: z.boolean(),
  granularity: reportGranularity,
  summary: reportMetrics,
  /** The same length of time just before `from`. */
  previous: reportMetrics.extend({ from: day, to: day }),
  series: z.array(reportPoint),
  channels: z.array(reportChannelRow),
  operators: z.array(reportOperatorRow),
});
export type ConversationReport = z.infer<typeof conversationReport>;
