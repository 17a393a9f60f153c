import type { LoginResponse, Me } from '@switchboard/shared';
import { api } from '../../api/client';
import { ApiError } from '../../api/api-error';

export interface Session {
  user: Me;
  csrfToken: string | null;
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

export const login = (email: string, password: string) => api.post<LoginResponse>('/api/auth/login', { email, password });
export const logout = () => api.post<void>('/api/auth/logout');
export const logoutEverywhere = () => api.post<void>('/api/auth/logout-all');
