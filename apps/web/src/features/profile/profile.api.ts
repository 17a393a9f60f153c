import type { MySession, Profile, TwoFactorSetup, TwoFactorStatus } from '@switchboard/shared';
import { api } from '../../api/client';

export const profileKeys = {
  profile: ['profile'] as const,
  sessions: ['profile', 'sessions'] as const,
  twoFactor: ['profile', 'two-factor'] as const,
};

export interface ProfilePatch {
  name?: string;
  locale?: 'ru' | 'en' | null;
  timeZone?: string | null;
}

export const getProfile = (signal?: AbortSignal) => api.get<Profile>('/api/profile', signal ? { signal } : {});
export const updateProfile = (patch: ProfilePatch) => api.patch<Profile>('/api/profile', patch);
export const changePassword = (currentPassword: string, newPassword: string) =>
  api.post<{ sessionsEnded: number }>('/api/profile/password', { currentPassword, newPassword });
export const uploadAvatar = (file: File) => {
  const form = new FormData();
  form.append('file', file);
  return api.post<void>('/api/profile/avatar', form);
};
export const removeAvatar = () => api.delete('/api/profile/avatar');
export const listSessions = (signal?: AbortSignal) => api.get<{ items: MySession[] }>('/api/profile/sessions', signal ? { signal } : {});
export const revokeSession = (id: string) => api.delete(`/api/profile/sessions/${id}`);
export const twoFactorStatus = (signal?: AbortSignal) => api.get<TwoFactorStatus>('/api/profile/two-factor', signal ? { signal } : {});
export const twoFactorSetup = () => api.post<TwoFactorSetup>('/api/profile/two-factor/setup');
export const twoFactorConfirm = (code: string) => api.post<{ recoveryCodes: string[] }>('/api/profile/two-factor/confirm', { code });
export const twoFactorDisable = (code: string) => api.post<void>('/api/profile/two-factor/disable', { code });
export const newRecoveryCodes = (code: string) => api.post<{ recoveryCodes: string[] }>('/api/profile/two-factor/recovery-codes', { code });
