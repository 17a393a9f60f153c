import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  addEvaluationCase,
  clearEvaluationCases,
  collectEvaluationCases,
  deleteEvaluationCase,
  evaluationKeys,
  getLearning,
  importEvaluationCases,
  listEvaluationCases,
  runEvaluation,
} from './evaluation.api';

export function useEvaluationCases() {
  return useQuery({ queryKey: evaluationKeys.cases, queryFn: ({ signal }) => listEvaluationCases(signal) });
}

/** Every change to the set refetches it; the last score is kept until the next run. */
function useSetMutation<A, R>(fn: (arg: A) => Promise<R>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void qc.invalidateQueries({ queryKey: evaluationKeys.cases }),
    meta: { inlineErrors: true },
  });
}

export const useAddEvaluationCase = () => useSetMutation(addEvaluationCase);
export const useDeleteEvaluationCase = () => useSetMutation(deleteEvaluationCase);
export const useClearEvaluationCases = () => useSetMutation(clearEvaluationCases);
export const useImportEvaluationCases = () => useSetMutation(importEvaluationCases);
export const useCollectEvaluationCases = () => useSetMutation(collectEvaluationCases);

export function useRunEvaluation() {
  return useMutation({ mutationFn: runEvaluation, meta: { inlineErrors: true } });
}

export function useLearning(days: number) {
  return useQuery({ queryKey: evaluationKeys.learning(days), queryFn: ({ signal }) => getLearning(days, signal) });
}
