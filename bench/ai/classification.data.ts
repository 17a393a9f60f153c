/**
 * Data and metrics of the classification benchmark: BANKING77 (CSV) and CLINC150 (JSON) from
 * ../shared/datasets, a stratified validation split, selective accuracy and the OOS threshold rule.
 */
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import type { LabelledExample } from '../../apps/server/src/modules/ai/classifier/classifier.train.js';

import { DATASETS } from './datasets.js';

/** BANKING77 `train` or `test`: quoted CSV with a header `text,category`. */
export async function loadBanking77(split: 'train' | 'test'): Promise<LabelledExample[]> {
  const csv = await readFile(new URL(`banking77/${split}.csv`, DATASETS));
  const rows = parse<{ text: string; category: string }>(csv, { columns: true, skip_empty_lines: true });
  return rows.map((r) => ({ text: r.text, label: r.category }));
}

export type Clinc150 = Record<'train' | 'val' | 'test' | 'oos_train' | 'oos_val' | 'oos_test', LabelledExample[]>;

/** CLINC150 `data_full.json`: every split is a list of `[text, label]`; out-of-scope queries are labelled `oos`. */
export async function loadClinc150(): Promise<Clinc150> {
  const raw = JSON.parse(await readFile(new URL('clinc150/data_full.json', DATASETS), 'utf8')) as Record<
    keyof Clinc150,
    [string, string][]
  >;
  const split = (name: keyof Clinc150) => raw[name].map(([text, label]) => ({ text, label }));
  return {
    train: split('train'),
    val: split('val'),
    test: split('test'),
    oos_train: split('oos_train'),
    oos_val: split('oos_val'),
    oos_test: split('oos_test'),
  };
}

/** A seeded stratified split: `fraction` of every label goes to `validation` (for tuning on train data only). */
export function validationSplit(
  examples: LabelledExample[],
  fraction: number,
  seed = 1,
): { train: LabelledExample[]; validation: LabelledExample[] } {
  let state = seed >>> 0;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const byLabel = new Map<string, LabelledExample[]>();
  for (const e of examples) byLabel.set(e.label, [...(byLabel.get(e.label) ?? []), e]); // small data: clarity over speed
  const train: LabelledExample[] = [];
  const validation: LabelledExample[] = [];
  for (const label of [...byLabel.keys()].sort()) {
    const group = byLabel
      .get(label)!
      .map((e) => ({ e, key: random() }))
      .sort((a, b) => a.key - b.key);
    const held = Math.round(group.length * fraction);
    group.forEach(({ e }, i) => (i < held ? validation : train).push(e));
  }
  return { train, validation };
}

export interface Judged {
  confidence: number;
  correct: boolean;
}

export const accuracyOf = (judged: Judged[]) => judged.filter((j) => j.correct).length / Math.max(1, judged.length);

/** Accuracy on the `coverage` share of predictions the model is most confident about. */
export function selectiveAccuracy(judged: Judged[], coverage: number): number {
  const kept = [...judged].sort((a, b) => b.confidence - a.confidence).slice(0, Math.round(judged.length * coverage));
  return accuracyOf(kept);
}

export function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
}

/** CLINC150's label of out-of-scope queries (also the class name when `oos_train` is trained as a class). */
export const OOS_LABEL = 'oos';

export interface OosJudged {
  predicted: string;
  confidence: number;
  truth: string;
}

/** Out of scope for the assistant: predicted as the OOS class, or not confident enough. */
const rejected = (j: OosJudged, threshold: number) => j.predicted === OOS_LABEL || j.confidence < threshold;

/** In-scope accuracy (a rejected in-scope query counts as wrong, as in Larson et al.) and OOS recall at a threshold. */
export function oosMetrics(inScope: OosJudged[], outOfScope: OosJudged[], threshold: number) {
  return {
    inScopeAccuracy: inScope.filter((j) => !rejected(j, threshold) && j.predicted === j.truth).length / inScope.length,
    oosRecall: outOfScope.filter((j) => rejected(j, threshold)).length / outOfScope.length,
  };
}

/**
 * The OOS threshold, chosen on validation data only: the highest OOS recall whose in-scope accuracy is at
 * most `maxAccuracyLoss` below the accuracy without a threshold.
 */
export function chooseOosThreshold(inScope: OosJudged[], outOfScope: OosJudged[], maxAccuracyLoss: number): number {
  const floor = oosMetrics(inScope, outOfScope, 0).inScopeAccuracy - maxAccuracyLoss;
  const candidates = [...new Set([...inScope, ...outOfScope].map((j) => j.confidence))].sort((a, b) => a - b);
  let best = 0;
  for (const t of candidates) {
    if (oosMetrics(inScope, outOfScope, t).inScopeAccuracy < floor) break;
    best = t;
  }
  return best;
}
