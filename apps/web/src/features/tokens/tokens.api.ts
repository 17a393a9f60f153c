import type { ApiToken } from '@switchboard/shared';
import { api } from '../../api/client';

/** `POST /api/tokens` answer: the secret is in `token`, shown this one time only. */
export interface CreatedToken {
  id: string;
  name: string;
  token: string;
  prefix: string;
}

export const tokenKeys = { all: ['tokens'] as const };

export const listTokens = (signal?: AbortSignal) => api.get<{ items: ApiToken[] }>('/api/tokens', signal ? { signal } : {});
export const createToken = (name: string) => api.post<CreatedToken>('/api/tokens', { name });
export const revokeToken = (id: string) => api.delete(`/api/tokens/${id}`);
