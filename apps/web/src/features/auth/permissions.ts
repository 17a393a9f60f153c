import type { Permission } from '@switchboard/shared';
import { useSessionQuery } from './use-session';

/**
 * Whether the signed-in person holds a permission in the active account, from the session's list
 * (the server is the judge; this only hides what it would refuse).
 */
export function useCan(): (permission: Permission) => boolean {
  const { data } = useSessionQuery();
  const held = new Set<string>(data?.permissions ?? []);
  return (permission) => held.has(permission);
}

/** Whether the signed-in person holds one permission (for a single check in a component). */
export function useHasPermission(permission: Permission): boolean {
  return useCan()(permission);
}
