import { isSystemRole, SYSTEM_ROLE_NAMES, type RoleInfo } from '@switchboard/shared';

/** A role's name in the UI language: a system role's from the catalogue, a custom role's own name. */
export function roleLabel(key: string, language: string, roles?: RoleInfo[]): string {
  if (isSystemRole(key)) return SYSTEM_ROLE_NAMES[key][language.startsWith('ru') ? 'ru' : 'en'];
  return roles?.find((r) => r.key === key)?.name ?? key;
}
