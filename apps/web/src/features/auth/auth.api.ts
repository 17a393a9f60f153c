import type {
  AccountMembership,
  InvitationPreview,
  LoginResponse,
  Me,
  Permission,
  TwoFactorChallenge,
  TwoFactorSetup,
} from '@switchboard/shared';
import { api } from '../../api/client';
import { ApiError } from '../../api/api-error';

export interface Session {
  user: Me;
  csrfToken: string | null;
  /** What the person may do in the active account (the server's answer; absent from older servers). */
  permissions?: Permission[];
  /** Every account the person belongs to (the account switcher); `user.accountId` is the active one. */
  accounts?: AccountMembership[];
}

export const sessionKey = ['session'] as const;

/** The signed-in user, or null when there is no (valid) session. */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await api.get<Session>('/api/auth/session');
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return null;
    throw err;
  }
}

/** A sign-in answers the session, or asks for the second step (`twoFactorRequired`). */
export const login = (email: string, password: string) =>
  api.post<LoginResponse | TwoFactorChallenge>('/api/auth/login', { email, password });
export type SecondStep = { challenge: string; code?: string; recoveryCode?: string; rememberDevice: boolean };
export const loginSecondStep = (body: SecondStep) => api.post<LoginResponse & { recoveryCodes?: string[] }>('/api/auth/login/2fa', body);
export const enrolmentSetup = (challenge: string) => api.post<TwoFactorSetup>('/api/auth/login/2fa/enrol', { challenge });
export const logout = () => api.post<void>('/api/auth/logout');
export const logoutEverywhere = (includeTokens = false) => api.post<void>('/api/auth/logout-all', { includeTokens });
export const requestPasswordReset = (email: string) => api.post<{ accepted: true }>('/api/auth/password-reset', { email });
export const confirmPasswordReset = (token: string, password: string) =>
  api.post<{ ok: true }>('/api/auth/password-reset/confirm', { token, password });
export const previewInvitation = (token: string) => api.post<InvitationPreview>('/api/invitations/preview', { token });
export const acceptInvitation = (body: { token: string; name: string; password: string }) =>
  api.post<LoginResponse>('/api/invitations/accept', body);
