import type { RoleInfo, RoleRequest } from '@switchboard/shared';
import { api } from '../../api/client';

export const roleKeys = { all: ['roles'] as const };

export const listRoles = (signal?: AbortSignal) => api.get<{ items: RoleInfo[] }>('/api/roles', signal ? { signal } : {});
export const createRole = (body: RoleRequest) => api.post<RoleInfo>('/api/roles', body);
export const updateRole = (key: string, body: RoleRequest) => api.put<RoleInfo>(`/api/roles/${key}`, body);
export const deleteRole = (key: string) => api.delete(`/api/roles/${key}`);
