import type { AccountToken, Invitation, InvitationSent, RoleInfo, TeamMember } from '@switchboard/shared';
import { api } from '../../api/client';

export const teamKeys = {
  members: ['team', 'members'] as const,
  invitations: ['team', 'invitations'] as const,
  roles: ['roles'] as const,
  accountTokens: ['tokens', 'all'] as const,
};

export const listMembers = (signal?: AbortSignal) => api.get<{ items: TeamMember[] }>('/api/team/members', signal ? { signal } : {});
export const listInvitations = (signal?: AbortSignal) => api.get<{ items: Invitation[] }>('/api/invitations', signal ? { signal } : {});
export const listRoles = (signal?: AbortSignal) => api.get<{ items: RoleInfo[] }>('/api/roles', signal ? { signal } : {});
export const invite = (email: string, role: string) => api.post<InvitationSent>('/api/invitations', { email, role });
export const resendInvitation = (id: string) => api.post<InvitationSent>(`/api/invitations/${id}/resend`);
export const revokeInvitation = (id: string) => api.delete(`/api/invitations/${id}`);
export const changeRole = (id: string, role: string) => api.patch(`/api/users/${id}`, { role });
export const deactivate = (id: string) => api.post<TeamMember>(`/api/users/${id}/deactivate`);
export const reactivate = (id: string) => api.post<TeamMember>(`/api/users/${id}/reactivate`);
export const resetTwoFactor = (id: string) => api.delete(`/api/users/${id}/two-factor`);
export const passwordResetLink = (id: string) => api.post<{ link: string | null; mailed: boolean }>(`/api/users/${id}/password-reset`);
export const listAccountTokens = (signal?: AbortSignal) => api.get<{ items: AccountToken[] }>('/api/tokens/all', signal ? { signal } : {});
