import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApiToken } from '@switchboard/shared';
import { createToken, listTokens, revokeToken, tokenKeys, type NewToken } from './tokens.api';

export function useTokens() {
  return useQuery({ queryKey: tokenKeys.all, queryFn: ({ signal }) => listTokens(signal) });
}

export function useCreateToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NewToken) => createToken(body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: tokenKeys.all }),
    meta: { inlineErrors: true },
  });
}

export function useRevokeToken() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => revokeToken(id),
    onSuccess: (_void, id) =>
      qc.setQueryData<{ items: ApiToken[] }>(tokenKeys.all, (data) => (data ? { items: data.items.filter((t) => t.id !== id) } : data)),
  });
}
