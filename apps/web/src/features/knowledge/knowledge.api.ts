import type {
  Article,
  articleVersion,
  Chunk,
  OcrPage,
  CreateFaqRequest,
  faqImportResult,
  ReindexStatus,
  UpdateArticleRequest,
} from '@switchboard/shared';
import { api, type Page } from '../../api/client';
import type { Infer } from '../../api/infer';
import { uploadForm, type UploadOptions } from '../../api/upload';

export type ArticleVersion = Infer<typeof articleVersion>;
export type FaqImportResult = Infer<typeof faqImportResult>;

export const KIND_FILTERS = ['all', 'faq', 'document'] as const;
export type KindFilter = (typeof KIND_FILTERS)[number];
export const PUBLISHED_FILTERS = ['all', 'true', 'false'] as const;
export type PublishedFilter = (typeof PUBLISHED_FILTERS)[number];

export interface ArticleFilter {
  kind: KindFilter;
  published: PublishedFilter;
  q: string;
}

/** What the server accepts for documents (`POST /api/knowledge/documents`). */
export const DOCUMENT_EXTENSIONS = ['.md', '.txt', '.html', '.pdf', '.docx', '.png', '.jpg', '.jpeg', '.tif', '.tiff'] as const;
export const DOCUMENT_MAX_BYTES = 20 * 1024 * 1024;
export const IMPORT_EXTENSIONS = ['.csv', '.xlsx'] as const;
export const ARTICLES_PAGE_SIZE = 50;

export const knowledgeKeys = {
  all: ['knowledge'] as const,
  lists: () => ['knowledge', 'list'] as const,
  list: (filter: ArticleFilter) => ['knowledge', 'list', filter] as const,
  chunks: (id: string) => ['knowledge', 'chunks', id] as const,
  versions: (id: string) => ['knowledge', 'versions', id] as const,
  ocrPages: (id: string) => ['knowledge', 'ocr-pages', id] as const,
  reindex: ['knowledge', 'reindex'] as const,
};

const withSignal = (signal?: AbortSignal) => (signal ? { signal } : {});

export const listArticles = (filter: ArticleFilter, cursor: string | null, signal?: AbortSignal) =>
  api.get<Page<Article>>('/api/knowledge/articles', {
    query: { kind: filter.kind, published: filter.published, q: filter.q.trim(), cursor, limit: ARTICLES_PAGE_SIZE },
    ...withSignal(signal),
  });

export const createFaq = (input: CreateFaqRequest) => api.post<Article>('/api/knowledge/articles', input);
export const updateArticle = (id: string, patch: UpdateArticleRequest) => api.patch<Article>(`/api/knowledge/articles/${id}`, patch);
export const deleteArticle = (id: string) => api.delete(`/api/knowledge/articles/${id}`);

export const listChunks = (id: string, signal?: AbortSignal) =>
  api.get<{ items: Chunk[] }>(`/api/knowledge/articles/${id}/chunks`, withSignal(signal));
export const listVersions = (id: string, signal?: AbortSignal) =>
  api.get<{ items: ArticleVersion[] }>(`/api/knowledge/articles/${id}/versions`, withSignal(signal));
export const listOcrPages = (id: string, signal?: AbortSignal) =>
  api.get<{ items: OcrPage[] }>(`/api/knowledge/articles/${id}/ocr-pages`, withSignal(signal));

export interface DocumentUpload {
  file: File;
  published: boolean;
  category: string | null;
}

/** The plain fields go first: the server reads them before it reaches the file. */
export function uploadDocument(input: DocumentUpload, opts: UploadOptions) {
  const form = new FormData();
  form.append('published', String(input.published));
  if (input.category) form.append('category', input.category);
  form.append('file', input.file);
  return uploadForm<Article>('/api/knowledge/documents', form, opts);
}

export function importFaq(file: File) {
  const form = new FormData();
  form.append('file', file);
  return api.post<FaqImportResult>('/api/knowledge/import', form);
}

export const getReindexStatus = (signal?: AbortSignal) => api.get<ReindexStatus>('/api/knowledge/reindex', withSignal(signal));
export const startReindex = () => api.post<ReindexStatus>('/api/knowledge/reindex');

/** Lower-case extension with its dot, e.g. ".pdf". */
export function fileExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot).toLowerCase();
}
