import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RoleRequest } from '@switchboard/shared';
import { useHasPermission } from '../auth/permissions';
import { createRole, deleteRole, listRoles, roleKeys, updateRole } from './roles.api';

/** System and custom roles (only fetched for people who may read roles). */
export function useRoles() {
  const allowed = useHasPermission('role.read');
  return useQuery({ queryKey: roleKeys.all, queryFn: ({ signal }) => listRoles(signal), enabled: allowed, staleTime: 30_000 });
}

export function useSaveRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ key, body }: { key: string | null; body: RoleRequest }) => (key ? updateRole(key, body) : createRole(body)),
    onSuccess: () => void qc.invalidateQueries({ queryKey: roleKeys.all }),
    meta: { inlineErrors: true },
  });
}

export function useDeleteRole() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (key: string) => deleteRole(key),
    onSuccess: () => void qc.invalidateQueries({ queryKey: roleKeys.all }),
  });
}
