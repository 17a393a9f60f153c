import { isSystemRole } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { useRoles } from './use-roles';

/**
 * How a role key reads to people: a system role in the interface language, a custom role by its name
 * (or "Custom role" for someone who may not list roles).
 */
export function useRoleLabel(): (key: string) => string {
  const { t } = useTranslation();
  const roles = useRoles();
  return (key) => {
    if (isSystemRole(key)) return t(`roles.system.${key}`);
    return roles.data?.items.find((r) => r.key === key)?.name ?? t('roles.customRole');
  };
}
