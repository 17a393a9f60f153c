import type { LoginResponse } from '@switchboard/shared';
import { api } from '../../api/client';

export const signupKey = ['signup'] as const;
export const signupStatus = () => api.get<{ enabled: boolean }>('/api/signup');
export const requestSignup = (body: { accountName: string; name: string; email: string; password: string }) =>
  api.post<{ accepted: true }>('/api/signup', body);
export const confirmSignup = (token: string) => api.post<LoginResponse>('/api/signup/confirm', { token });
