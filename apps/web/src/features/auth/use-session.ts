import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { LoginResponse, Me } from '@switchboard/shared';
import { setCsrfToken } from '../../api/client';
import { fetchSession, login, loginSecondStep, logout, logoutEverywhere, sessionKey, type SecondStep, type Session } from './auth.api';

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

/** Makes a sign-in answer the current session (sign-in, its second step, an accepted invitation). */
export function adoptSession(qc: QueryClient, res: LoginResponse): void {
  setCsrfToken(res.csrfToken);
  const session: Session = {
    user: res.user,
    csrfToken: res.csrfToken,
    ...(res.permissions ? { permissions: res.permissions } : {}),
    ...(res.accounts ? { accounts: res.accounts } : {}),
  };
  qc.setQueryData<Session | null>(sessionKey, session);
}

/** The password step: signs in, or answers the two-factor challenge the page then asks a code for. */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ email, password }: { email: string; password: string }) => login(email, password),
    meta: { inlineErrors: true },
    onSuccess: (res) => {
      if (!('twoFactorRequired' in res)) adoptSession(qc, res);
    },
  });
}

/** The second step. Recovery codes issued by a forced enrolment are shown before the session is adopted. */
export function useLoginSecondStep() {
  return useMutation({ mutationFn: (body: SecondStep) => loginSecondStep(body), meta: { inlineErrors: true } });
}

export function useLogout(everywhere = false) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (opts?: { includeTokens?: boolean }) => (everywhere ? logoutEverywhere(opts?.includeTokens ?? false) : logout()),
    onSuccess: () => signOutLocally(qc),
  });
}
