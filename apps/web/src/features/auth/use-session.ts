import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { Me } from '@switchboard/shared';
import { setCsrfToken } from '../../api/client';
import { fetchSession, login, logout, logoutEverywhere, sessionKey, type Session } from './auth.api';

export function useSessionQuery() {
  return useQuery({
    queryKey: sessionKey,
    queryFn: async () => {
      const session = await fetchSession();
      setCsrfToken(session?.csrfToken ?? null);
      return session;
    },
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** The signed-in user; only for components rendered inside the signed-in layout. */
export function useMe(): Me {
  const { data } = useSessionQuery();
  if (!data) throw new Error('useMe() outside the signed-in layout');
  return data.user;
}

/** Forgets everything cached for the previous user and shows the login screen. */
export function signOutLocally(qc: QueryClient): void {
  setCsrfToken(null);
  qc.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
  qc.setQueryData<Session | null>(sessionKey, null);
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) => login(email, password),
    meta: { inlineErrors: true },
    onSuccess: (res) => {
      setCsrfToken(res.csrfToken);
      const session: Session = { user: res.user, csrfToken: res.csrfToken };
      qc.setQueryData<Session | null>(sessionKey, session);
    },
  });
}

export function useLogout(everywhere = false) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: everywhere ? logoutEverywhere : logout,
    onSuccess: () => signOutLocally(qc),
  });
}
