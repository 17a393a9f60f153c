import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateFaqRequest, UpdateArticleRequest } from '@switchboard/shared';
import { useMemo } from 'react';
import {
  createFaq,
  deleteArticle,
  getReindexStatus,
  importFaq,
  knowledgeKeys,
  listArticles,
  listChunks,
  listOcrPages,
  listVersions,
  startReindex,
  updateArticle,
  uploadDocument,
  type ArticleFilter,
  type DocumentUpload,
} from './knowledge.api';
import { removeArticle, replaceArticle } from './knowledge.cache';

export function useArticles(filter: ArticleFilter) {
  const query = useInfiniteQuery({
    queryKey: knowledgeKeys.list(filter),
    queryFn: ({ pageParam, signal }) => listArticles(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // Typing in the search box keeps the previous rows on screen until the new ones arrive.
    placeholderData: keepPreviousData,
  });
  const articles = useMemo(() => (query.data?.pages ?? []).flatMap((p) => p.items), [query.data]);
  return { ...query, articles };
}

export function useChunks(id: string) {
  return useQuery({ queryKey: knowledgeKeys.chunks(id), queryFn: ({ signal }) => listChunks(id, signal) });
}

export function useOcrPages(id: string) {
  return useQuery({ queryKey: knowledgeKeys.ocrPages(id), queryFn: ({ signal }) => listOcrPages(id, signal) });
}

export function useVersions(id: string) {
  return useQuery({ queryKey: knowledgeKeys.versions(id), queryFn: ({ signal }) => listVersions(id, signal) });
}

/** New rows sort by the server's order, so lists are refetched rather than patched. */
function useInvalidateLists() {
  const qc = useQueryClient();
  return () => void qc.invalidateQueries({ queryKey: knowledgeKeys.lists() });
}

export function useCreateFaq() {
  const refresh = useInvalidateLists();
  return useMutation({ mutationFn: (input: CreateFaqRequest) => createFaq(input), onSuccess: refresh, meta: { inlineErrors: true } });
}

export function useUpdateArticle({ inlineErrors = false } = {}) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: UpdateArticleRequest }) => updateArticle(id, patch),
    onSuccess: (article) => {
      replaceArticle(qc, article);
      void qc.invalidateQueries({ queryKey: knowledgeKeys.versions(article.id) });
    },
    meta: { inlineErrors },
  });
}

export function useDeleteArticle() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => deleteArticle(id), onSuccess: (_void, id) => removeArticle(qc, id) });
}

export function useUploadDocument(onProgress: (fraction: number) => void) {
  const refresh = useInvalidateLists();
  return useMutation({
    mutationFn: (input: DocumentUpload) => uploadDocument(input, { onProgress }),
    onSuccess: refresh,
    meta: { inlineErrors: true },
  });
}

export function useImportFaq() {
  const refresh = useInvalidateLists();
  return useMutation({ mutationFn: (file: File) => importFaq(file), onSuccess: refresh, meta: { inlineErrors: true } });
}

/** Re-index progress: polled every second while it runs (events refresh it too). */
export function useReindexStatus() {
  return useQuery({
    queryKey: knowledgeKeys.reindex,
    queryFn: ({ signal }) => getReindexStatus(signal),
    refetchInterval: (q) => (q.state.data?.running ? 1000 : false),
  });
}

export function useStartReindex() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: startReindex, onSuccess: (status) => qc.setQueryData(knowledgeKeys.reindex, status) });
}
