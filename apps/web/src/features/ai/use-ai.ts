import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UpdateAiSettingsRequest } from '@switchboard/shared';
import {
  aiKeys,
  createCategory,
  deleteCategory,
  getClassifier,
  getMetrics,
  getSettings,
  importExamples,
  listCategories,
  testQuestion,
  trainClassifier,
  updateCategory,
  updateSettings,
  type Category,
} from './ai.api';

export function useTestQuestion() {
  return useMutation({ mutationFn: (query: string) => testQuestion(query), meta: { inlineErrors: true } });
}

export function useAiSettings() {
  return useQuery({ queryKey: aiKeys.settings, queryFn: ({ signal }) => getSettings(signal) });
}

export function useUpdateAiSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: UpdateAiSettingsRequest) => updateSettings(patch),
    onSuccess: (settings) => qc.setQueryData(aiKeys.settings, settings),
    meta: { inlineErrors: true },
  });
}

export function useCategories() {
  return useQuery({ queryKey: aiKeys.categories, queryFn: ({ signal }) => listCategories(signal), staleTime: 5 * 60_000 });
}

function useSetCategories() {
  const qc = useQueryClient();
  return (update: (items: Category[]) => Category[]) =>
    qc.setQueryData<{ items: Category[] }>(aiKeys.categories, (data) => (data ? { items: update(data.items) } : data));
}

export function useCreateCategory() {
  const set = useSetCategories();
  return useMutation({
    mutationFn: createCategory,
    onSuccess: (created) => set((items) => [...items, created].sort((a, b) => a.name.localeCompare(b.name))),
    meta: { inlineErrors: true },
  });
}

export function useUpdateCategory() {
  const set = useSetCategories();
  return useMutation({
    mutationFn: ({ id, alwaysHuman }: { id: string; alwaysHuman: boolean }) => updateCategory(id, alwaysHuman),
    onSuccess: (updated) => set((items) => items.map((c) => (c.id === updated.id ? updated : c))),
  });
}

export function useDeleteCategory() {
  const set = useSetCategories();
  return useMutation({ mutationFn: deleteCategory, onSuccess: (_void, id) => set((items) => items.filter((c) => c.id !== id)) });
}

/** Classifier versions; polled while one is training (training runs as a background job). */
export function useClassifier() {
  return useQuery({
    queryKey: aiKeys.classifier,
    queryFn: ({ signal }) => getClassifier(signal),
    refetchInterval: (q) => (q.state.data?.models.some((m) => m.status === 'training') ? 2000 : false),
  });
}

export function useImportExamples() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: importExamples,
    onSuccess: () => void qc.invalidateQueries({ queryKey: aiKeys.classifier }),
    meta: { inlineErrors: true },
  });
}

export function useTrainClassifier() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: trainClassifier, onSuccess: () => void qc.invalidateQueries({ queryKey: aiKeys.classifier }) });
}

export function useAiMetrics(days: number) {
  return useQuery({ queryKey: aiKeys.metrics(days), queryFn: ({ signal }) => getMetrics(days, signal) });
}
