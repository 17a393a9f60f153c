/**
 * ru-support-dev (../shared/datasets/ru-support-dev): messenger-style customer messages for four
 * businesses, each with its own FAQ. A case is answerable (`faq` = the FAQ entry that answers it) or
 * must be handed to a person (`faq` = null, `why` says why). Scoring per business and overall, and the
 * coverage/accuracy curve (share answered vs share wrong as the confidence threshold moves).
 */
import { readFile } from 'node:fs/promises';

import { DATASETS } from './datasets.js';

export interface SupportFaq {
  id: string;
  domain: string;
  category: string;
  question: string;
  answer: string;
}
export interface SupportCase {
  domain: string;
  text: string;
  faq: string | null;
  why?: string;
}
export interface SupportSet {
  faq: SupportFaq[];
  cases: SupportCase[];
}

export async function loadRuSupportDev(): Promise<SupportSet> {
  return JSON.parse(await readFile(new URL('ru-support-dev/ru-support-dev.json', DATASETS), 'utf8')) as SupportSet;
}

export const domainsOf = (set: SupportSet) => [...new Set(set.faq.map((f) => f.domain))];

/**
 * What the assistant did with one case: the FAQ it answered with (null: handed over or answered without
 * an FAQ), and for the curve the decision's confidence, the top-ranked FAQ and whether only the
 * confidence threshold stood between the message and an answer (a hand-over for another reason — the
 * customer asked for a person, is angry, a personal matter — never turns into an answer).
 */
export interface Judged {
  domain: string;
  text: string;
  expected: string | null;
  why?: string | undefined;
  answeredWith: string | null;
  handedOver: boolean;
  confidence: number;
  topFaq: string | null;
  thresholdOnly: boolean;
  reason: string | null;
}

export interface Score {
  answerable: number;
  human: number;
  /** Answerable messages answered with the right FAQ / with a wrong one (shares of answerable). */
  right: number;
  wrong: number;
  /** Must-be-human messages handed over without an FAQ answer (share of must-be-human). */
  handover: number;
}

export function score(judged: Judged[]): Score {
  const answerable = judged.filter((j) => j.expected !== null);
  const human = judged.filter((j) => j.expected === null);
  const share = (n: number, d: number) => (d === 0 ? 0 : n / d);
  return {
    answerable: answerable.length,
    human: human.length,
    right: share(answerable.filter((j) => j.answeredWith === j.expected).length, answerable.length),
    wrong: share(answerable.filter((j) => j.answeredWith !== null && j.answeredWith !== j.expected).length, answerable.length),
    handover: share(human.filter((j) => j.handedOver && j.answeredWith === null).length, human.length),
  };
}

export interface CurvePoint {
  threshold: number;
  /** Share of answerable messages answered (right or wrong), share answered wrong, share of must-be-human answered. */
  answered: number;
  right: number;
  wrong: number;
  humanAnswered: number;
}

/** The decisions re-read at other thresholds: answered when only the threshold decided and confidence ≥ t. */
export function curve(judged: Judged[], thresholds = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9]): CurvePoint[] {
  const answerable = judged.filter((j) => j.expected !== null);
  const human = judged.filter((j) => j.expected === null);
  const round = (v: number) => Math.round(v * 1000) / 1000;
  return thresholds.map((threshold) => {
    const at = (j: Judged) => j.thresholdOnly && j.topFaq !== null && j.confidence >= threshold;
    const answered = answerable.filter(at);
    return {
      threshold,
      answered: round(answered.length / Math.max(1, answerable.length)),
      right: round(answered.filter((j) => j.topFaq === j.expected).length / Math.max(1, answerable.length)),
      wrong: round(answered.filter((j) => j.topFaq !== j.expected).length / Math.max(1, answerable.length)),
      humanAnswered: round(human.filter(at).length / Math.max(1, human.length)),
    };
  });
}
