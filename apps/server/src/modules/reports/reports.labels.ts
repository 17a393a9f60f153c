import type { ConversationReport, ReportMetrics } from '@switchboard/shared';

export type Lang = 'ru' | 'en';

const TEXTS = {
  en: {
    title: 'Conversations report',
    period: 'Period',
    previous: 'Previous period',
    timeZone: 'Time zone',
    businessHours: 'Times are counted in business hours',
    metric: 'Metric',
    value: 'Value',
    change: 'Change',
    summary: 'Summary',
    series: 'By period',
    channels: 'By channel',
    operators: 'Operators',
    channel: 'Channel',
    operator: 'Operator',
    replies: 'Replies',
    csat: 'CSAT',
    periodCol: 'Period',
    h: 'h',
    min: 'min',
    s: 's',
    d: 'd',
    chart: 'Messages in and out',
    in: 'In',
    out: 'Out',
    none: 'No data for this period',
    metrics: {
      conversations: 'Conversations',
      resolved: 'Resolved',
      messagesIn: 'Messages in',
      messagesOut: 'Messages out',
      operatorReplies: 'Operator replies',
      botReplies: 'Bot replies',
      firstResponseMedian: 'First response, median',
      firstResponseP90: 'First response, 90th percentile',
      resolutionMedian: 'Resolution time, median',
      resolutionP90: 'Resolution time, 90th percentile',
      botConversations: 'Conversations with the bot',
      botResolved: 'Resolved by the bot',
      handedOver: 'Handed over to a person',
      botResolutionRate: 'Bot resolution rate',
      handoverRate: 'Hand-over rate',
    },
  },
  ru: {
    title: 'Отчёт по диалогам',
    period: 'Период',
    previous: 'Предыдущий период',
    timeZone: 'Часовой пояс',
    businessHours: 'Время считается в рабочих часах',
    metric: 'Показатель',
    value: 'Значение',
    change: 'Изменение',
    summary: 'Итоги',
    series: 'По периодам',
    channels: 'По каналам',
    operators: 'Операторы',
    channel: 'Канал',
    operator: 'Оператор',
    replies: 'Ответов',
    csat: 'CSAT',
    periodCol: 'Период',
    h: 'ч',
    min: 'мин',
    s: 'с',
    d: 'д',
    chart: 'Входящие и исходящие сообщения',
    in: 'Входящие',
    out: 'Исходящие',
    none: 'Нет данных за этот период',
    metrics: {
      conversations: 'Диалогов',
      resolved: 'Решено',
      messagesIn: 'Входящих сообщений',
      messagesOut: 'Исходящих сообщений',
      operatorReplies: 'Ответов операторов',
      botReplies: 'Ответов бота',
      firstResponseMedian: 'Первый ответ, медиана',
      firstResponseP90: 'Первый ответ, 90-й перцентиль',
      resolutionMedian: 'Время решения, медиана',
      resolutionP90: 'Время решения, 90-й перцентиль',
      botConversations: 'Диалогов с ботом',
      botResolved: 'Решено ботом',
      handedOver: 'Передано человеку',
      botResolutionRate: 'Доля решённых ботом',
      handoverRate: 'Доля переданных человеку',
    },
  },
} as const;

export const labels = (lang: Lang) => TEXTS[lang];

export const METRIC_KEYS = Object.keys(TEXTS.en.metrics) as (keyof ReportMetrics)[];
const DURATIONS = new Set<keyof ReportMetrics>(['firstResponseMedian', 'firstResponseP90', 'resolutionMedian', 'resolutionP90']);
const RATES = new Set<keyof ReportMetrics>(['botResolutionRate', 'handoverRate']);

/** "2 h 05 min", "45 s", "3 d 4 h"; a dash for nothing measured. */
export function formatDuration(seconds: number | null, lang: Lang): string {
  if (seconds === null) return '—';
  const t = labels(lang);
  const s = Math.round(seconds);
  if (s < 60) return `${s} ${t.s}`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} ${t.min}`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} ${t.h} ${String(m % 60).padStart(2, '0')} ${t.min}`;
  return `${Math.floor(h / 24)} ${t.d} ${h % 24} ${t.h}`;
}

export function formatMetric(key: keyof ReportMetrics, value: number | null, lang: Lang): string {
  if (DURATIONS.has(key)) return formatDuration(value, lang);
  if (RATES.has(key)) return value === null ? '—' : `${(value * 100).toFixed(1)}%`;
  return value === null ? '—' : String(value);
}

/** Change against the previous period: "+12.5%", "−3", or a dash when there is nothing to compare. */
export function formatChange(now: number | null, before: number | null): string {
  if (now === null || before === null || before === 0) return '—';
  const pct = ((now - before) / before) * 100;
  return `${pct >= 0 ? '+' : '−'}${Math.abs(pct).toFixed(1)}%`;
}

/** The summary as rows: label, value, previous, change (the same in every export format). */
export function summaryRows(report: ConversationReport, lang: Lang): [string, string, string, string][] {
  const t = labels(lang);
  return METRIC_KEYS.map((k) => [
    t.metrics[k],
    formatMetric(k, report.summary[k], lang),
    formatMetric(k, report.previous[k], lang),
    formatChange(report.summary[k], report.previous[k]),
  ]);
}
