import type { DeadLetter, DeadLetterActionRequest } from '@switchboard/shared';
import { api } from '../../api/client';

export interface DeadLetterPage {
  items: DeadLetter[];
  nextCursor: string | null;
  total: number;
  /** Of `total`, replies the customer may already have (a send interrupted after reaching the channel). */
  uncertain: number;
}

export const deadLetterKeys = {
  all: ['dead-letters'] as const,
  list: (channelId: string | null) => ['dead-letters', 'list', channelId] as const,
  total: ['dead-letters', 'total'] as const,
};

const PAGE = 50;

export const listDeadLetters = (channelId: string | null, cursor: string | null, signal?: AbortSignal, limit = PAGE) =>
  api.get<DeadLetterPage>('/api/dead-letters', { query: { channelId, cursor, limit }, ...(signal ? { signal } : {}) });

export const retryDeadLetters = (req: DeadLetterActionRequest) => api.post<{ affected: number }>('/api/dead-letters/retry', req);
export const discardDeadLetters = (req: DeadLetterActionRequest) => api.post<{ affected: number }>('/api/dead-letters/discard', req);
