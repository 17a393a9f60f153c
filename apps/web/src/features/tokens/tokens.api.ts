import type { ApiToken, TokenScopes } from '@switchboard/shared';
import { api } from '../../api/client';

/** `POST /api/tokens` answer: the secret is in `token`, shown this one time only. */
export interface CreatedToken {
  id: string;
  name: string;
  token: string;
  prefix: string;
  scopes?: TokenScopes;
  expiresAt?: string | null;
}

export interface NewToken {
  name: string;
  scopes: TokenScopes;
  expiresAt: string | null;
}

export const tokenKeys = { all: ['tokens'] as const };

export const listTokens = (signal?: AbortSignal) => api.get<{ items: ApiToken[] }>('/api/tokens', signal ? { signal } : {});
export const createToken = (body: NewToken) => api.post<CreatedToken>('/api/tokens', body);
export const revokeToken = (id: string) => api.delete(`/api/tokens/${id}`);
