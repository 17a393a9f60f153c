import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as profileApi from './profile.api';
import { profileKeys } from './profile.api';
import { sessionKey } from '../auth/auth.api';

export const useProfile = () => useQuery({ queryKey: profileKeys.profile, queryFn: ({ signal }) => profileApi.getProfile(signal) });
export const useMySessions = () => useQuery({ queryKey: profileKeys.sessions, queryFn: ({ signal }) => profileApi.listSessions(signal) });
export const useTwoFactorStatus = () =>
  useQuery({ queryKey: profileKeys.twoFactor, queryFn: ({ signal }) => profileApi.twoFactorStatus(signal) });

function useProfileMutation<A, R>(fn: (arg: A) => Promise<R>, inlineErrors = false) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['profile'] });
      // The display name shows in the user menu too.
      void qc.invalidateQueries({ queryKey: sessionKey });
      void qc.invalidateQueries({ queryKey: ['team'] });
    },
    ...(inlineErrors ? { meta: { inlineErrors: true } } : {}),
  });
}

export const useUpdateProfile = () => useProfileMutation(profileApi.updateProfile);
export const useChangePassword = () =>
  useProfileMutation(({ current, next }: { current: string; next: string }) => profileApi.changePassword(current, next), true);
export const useUploadAvatar = () => useProfileMutation(profileApi.uploadAvatar);
export const useRemoveAvatar = () => useProfileMutation(() => profileApi.removeAvatar());
export const useRevokeSession = () => useProfileMutation(profileApi.revokeSession);
export const useTwoFactorSetup = () => useProfileMutation(() => profileApi.twoFactorSetup(), true);
export const useTwoFactorConfirm = () => useProfileMutation(profileApi.twoFactorConfirm, true);
export const useTwoFactorDisable = () => useProfileMutation(profileApi.twoFactorDisable, true);
export const useNewRecoveryCodes = () => useProfileMutation(profileApi.newRecoveryCodes, true);
