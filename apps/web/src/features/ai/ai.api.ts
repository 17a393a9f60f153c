import type {
  AiMetrics,
  aiSettingsResponse,
  aiTestResponse,
  category,
  classifierModel,
  classifierStatus,
  UpdateAiSettingsRequest,
} from '@switchboard/shared';
import { api } from '../../api/client';
import type { Infer } from '../../api/infer';

export type AiSettingsResponse = Infer<typeof aiSettingsResponse>;
export type AiTestResponse = Infer<typeof aiTestResponse>;
export type Category = Infer<typeof category>;
export type ClassifierModel = Infer<typeof classifierModel>;
export type ClassifierStatus = Infer<typeof classifierStatus>;

export const aiKeys = {
  settings: ['ai', 'settings'] as const,
  categories: ['ai', 'categories'] as const,
  classifier: ['ai', 'classifier'] as const,
  metrics: (days: number) => ['ai', 'metrics', days] as const,
};

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const testQuestion = (query: string) => api.post<AiTestResponse>('/api/ai/test', { query });

export const getSettings = (signal?: AbortSignal) => api.get<AiSettingsResponse>('/api/ai/settings', withSignal(signal));
export const updateSettings = (patch: UpdateAiSettingsRequest) => api.put<AiSettingsResponse>('/api/ai/settings', patch);

export const listCategories = (signal?: AbortSignal) => api.get<{ items: Category[] }>('/api/ai/categories', withSignal(signal));
export const createCategory = (input: { name: string; alwaysHuman: boolean }) => api.post<Category>('/api/ai/categories', input);
export const updateCategory = (id: string, alwaysHuman: boolean) => api.patch<Category>(`/api/ai/categories/${id}`, { alwaysHuman });
export const deleteCategory = (id: string) => api.delete(`/api/ai/categories/${id}`);

export const getClassifier = (signal?: AbortSignal) => api.get<ClassifierStatus>('/api/ai/classifier', withSignal(signal));
export function importExamples(file: File) {
  const form = new FormData();
  form.append('file', file);
  return api.post<{ imported: number }>('/api/ai/classifier/examples', form);
}
export const trainClassifier = () => api.post<ClassifierModel>('/api/ai/classifier/train');

export const getMetrics = (days: number, signal?: AbortSignal) =>
  api.get<AiMetrics>('/api/ai/metrics', { query: { days }, ...withSignal(signal) });
