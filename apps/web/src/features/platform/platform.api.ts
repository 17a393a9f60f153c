import type { AccountLimits, LoginResponse, PlatformAccount } from '@switchboard/shared';
import { api } from '../../api/client';

export interface CreatedAccount {
  account: PlatformAccount;
  invitation: { email: string; link: string | null; mailed: boolean };
}

export const platformKeys = { accounts: ['platform', 'accounts'] as const };

export const listAccounts = (signal?: AbortSignal) =>
  api.get<{ items: PlatformAccount[] }>('/api/platform/accounts', signal ? { signal } : {});
export const createAccount = (body: { name: string; ownerEmail: string; limits?: AccountLimits }) =>
  api.post<CreatedAccount>('/api/platform/accounts', body);
export const updateAccount = (id: string, body: { name?: string; limits?: AccountLimits }) =>
  api.patch<PlatformAccount>(`/api/platform/accounts/${id}`, body);
export const suspendAccount = (id: string) => api.post<PlatformAccount>(`/api/platform/accounts/${id}/suspend`);
export const resumeAccount = (id: string) => api.post<PlatformAccount>(`/api/platform/accounts/${id}/resume`);
export const switchAccount = (accountId: string) => api.post<LoginResponse>('/api/auth/switch-account', { accountId });
