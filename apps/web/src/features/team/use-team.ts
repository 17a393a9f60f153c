import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import * as teamApi from './team.api';
import { teamKeys } from './team.api';

export const useMembers = () => useQuery({ queryKey: teamKeys.members, queryFn: ({ signal }) => teamApi.listMembers(signal) });
export const useInvitations = (enabled = true) =>
  useQuery({ queryKey: teamKeys.invitations, queryFn: ({ signal }) => teamApi.listInvitations(signal), enabled });
export const useRoles = (enabled = true) =>
  useQuery({ queryKey: teamKeys.roles, queryFn: ({ signal }) => teamApi.listRoles(signal), enabled });
export const useAccountTokens = (enabled = true) =>
  useQuery({ queryKey: teamKeys.accountTokens, queryFn: ({ signal }) => teamApi.listAccountTokens(signal), enabled });

/** A mutation that refreshes the team lists when it succeeds. */
function useTeamMutation<A, R>(fn: (arg: A) => Promise<R>, inlineErrors = false) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['team'] });
      void qc.invalidateQueries({ queryKey: ['tokens'] });
    },
    ...(inlineErrors ? { meta: { inlineErrors: true } } : {}),
  });
}

export const useInvite = () => useTeamMutation(({ email, role }: { email: string; role: string }) => teamApi.invite(email, role), true);
export const useResendInvitation = () => useTeamMutation(teamApi.resendInvitation);
export const useRevokeInvitation = () => useTeamMutation(teamApi.revokeInvitation);
export const useChangeRole = () => useTeamMutation(({ id, role }: { id: string; role: string }) => teamApi.changeRole(id, role));
export const useDeactivate = () => useTeamMutation(teamApi.deactivate);
export const useReactivate = () => useTeamMutation(teamApi.reactivate);
export const useResetTwoFactor = () => useTeamMutation(teamApi.resetTwoFactor);
export const usePasswordResetLink = () => useTeamMutation(teamApi.passwordResetLink);
