import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AccountLimits, PlatformAccount } from '@switchboard/shared';
import { useNavigate } from 'react-router';
import { adoptSession } from '../auth/use-session';
import { sessionKey } from '../auth/auth.api';
import { createAccount, listAccounts, platformKeys, resumeAccount, suspendAccount, switchAccount, updateAccount } from './platform.api';

export function usePlatformAccounts() {
  return useQuery({ queryKey: platformKeys.accounts, queryFn: ({ signal }) => listAccounts(signal) });
}

/** Puts one changed account into the cached list. */
function useReplaceAccount() {
  const qc = useQueryClient();
  return (account: PlatformAccount) =>
    qc.setQueryData<{ items: PlatformAccount[] }>(platformKeys.accounts, (data) =>
      data ? { items: data.items.map((a) => (a.id === account.id ? account : a)) } : data,
    );
}

export function useCreateAccount() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; ownerEmail: string; limits?: AccountLimits }) => createAccount(body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: platformKeys.accounts }),
    meta: { inlineErrors: true },
  });
}

export function useUpdateLimits() {
  const replace = useReplaceAccount();
  return useMutation({
    mutationFn: ({ id, limits }: { id: string; limits: AccountLimits }) => updateAccount(id, { limits }),
    onSuccess: replace,
    meta: { inlineErrors: true },
  });
}

export function useSuspendAccount() {
  const replace = useReplaceAccount();
  return useMutation({
    mutationFn: ({ id, suspend }: { id: string; suspend: boolean }) => (suspend ? suspendAccount(id) : resumeAccount(id)),
    onSuccess: replace,
  });
}

/** Moves the session into another account of mine: everything cached for the previous one is dropped. */
export function useSwitchAccount() {
  const qc = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: (accountId: string) => switchAccount(accountId),
    onSuccess: (res) => {
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
      adoptSession(qc, res);
      void navigate('/', { replace: true });
    },
  });
}
