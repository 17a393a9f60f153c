import { formatDuration, formatNumber, formatPercent } from '../../lib/format';
import type { ClassifierModel } from './ai.api';

export interface ReportSummary {
  accuracy: string;
  examples: string;
  labels: string;
  /** The label names, when the report lists them. */
  labelNames: string[];
  trainTime: string;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The training report is free-form JSON; these are the fields worth a column, read defensively. */
export function summariseReport(report: ClassifierModel['report'], locale: string): ReportSummary {
  const r = report ?? {};
  const accuracy = num(r.holdoutAccuracy);
  const examples = num(r.examples);
  const labelNames = Array.isArray(r.labels) ? r.labels.map(String) : [];
  const labelCount = Array.isArray(r.labels) ? r.labels.length : num(r.labels);
  const trainMs = num(r.trainMs);
  return {
    accuracy: accuracy === null ? '—' : formatPercent(accuracy, locale, 1),
    examples: examples === null ? '—' : formatNumber(examples, locale),
    labels: labelCount === null ? '—' : formatNumber(labelCount, locale),
    labelNames,
    trainTime: trainMs === null ? '—' : formatDuration(trainMs, locale),
  };
}
