import type { EvaluationCase, EvaluationResult, LearningMetrics, WordingOffer } from '@switchboard/shared';
import { api } from '../../api/client';

export const evaluationKeys = {
  cases: ['ai', 'evaluation', 'cases'] as const,
  learning: (days: number) => ['ai', 'learning', days] as const,
};

export const listEvaluationCases = (signal?: AbortSignal) =>
  api.get<{ items: EvaluationCase[]; total: number }>('/api/ai/evaluation/cases', signal ? { signal } : {});
export const addEvaluationCase = (input: { question: string; expectedArticleId: string | null }) =>
  api.post<EvaluationCase>('/api/ai/evaluation/cases', input);
export const deleteEvaluationCase = (id: string) => api.delete(`/api/ai/evaluation/cases/${id}`);
export const clearEvaluationCases = () => api.delete('/api/ai/evaluation/cases');
export function importEvaluationCases(file: File) {
  const form = new FormData();
  form.append('file', file);
  return api.post<{ created: number; skipped: number }>('/api/ai/evaluation/cases/import', form);
}
export const collectEvaluationCases = () => api.post<{ created: number; skipped: number }>('/api/ai/evaluation/cases/collect');
export const runEvaluation = () => api.post<EvaluationResult>('/api/ai/evaluation/run', {});

export const getLearning = (days: number, signal?: AbortSignal) =>
  api.get<{ metrics: LearningMetrics; recent: WordingOffer[] }>('/api/ai/learning', { query: { days }, ...(signal ? { signal } : {}) });

/** FAQ entries to choose the expected answer from (title and id only). */
export const listFaqEntries = (signal?: AbortSignal) =>
  api.get<{ items: { id: string; title: string }[] }>('/api/knowledge/articles', {
    query: { kind: 'faq', limit: 200 },
    ...(signal ? { signal } : {}),
  });
