import { Checkbox, Group, Stack, Text, Tooltip } from '@mantine/core';
import { PERMISSIONS, permissionAreas, permissionNames, type Permission, type PermissionArea } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import classes from './roles.module.css';

interface Props {
  value: ReadonlySet<Permission>;
  onChange?: (next: Set<Permission>) => void;
  /** Permissions the editor holds; the rest cannot be given (nor taken away). */
  held: (p: Permission) => boolean;
  readOnly?: boolean;
}

const READ_ONLY = { label: { color: 'var(--mantine-color-text)', cursor: 'default' }, input: { cursor: 'default' } };

const byArea = (area: PermissionArea) => permissionNames.filter((p) => PERMISSIONS[p].area === area);

/** Every permission of the catalogue grouped by area, with its description in the interface language. */
export function PermissionChecklist({ value, onChange, held, readOnly = false }: Props) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const toggle = (perms: Permission[], on: boolean) => {
    const next = new Set(value);
    for (const p of perms) {
      if (!held(p)) continue;
      if (on) next.add(p);
      else next.delete(p);
    }
    onChange?.(next);
  };

  return (
    <Stack gap="md" data-testid="permission-checklist">
      {permissionAreas.map((area) => {
        const perms = byArea(area);
        const checked = perms.filter((p) => value.has(p)).length;
        return (
          <Stack key={area} gap={6} className={classes.area}>
            <Checkbox
              label={<Text fw={600}>{t(`roles.areas.${area}`)}</Text>}
              checked={checked === perms.length}
              indeterminate={checked > 0 && checked < perms.length}
              disabled={readOnly || !perms.some(held)}
              styles={readOnly ? READ_ONLY : undefined}
              onChange={(e) => toggle(perms, e.currentTarget.checked)}
              aria-label={`${t(`roles.areas.${area}`)}: ${t('roles.selectAll')}`}
            />
            {perms.map((p) => {
              const box = (
                <Checkbox
                  key={p}
                  ml="lg"
                  checked={value.has(p)}
                  disabled={readOnly || !held(p)}
                  // A role shown read-only stays legible; only what cannot be given is greyed out.
                  styles={readOnly ? READ_ONLY : undefined}
                  onChange={(e) => toggle([p], e.currentTarget.checked)}
                  data-testid={`perm-${p}`}
                  label={
                    <Group gap={6} wrap="nowrap" align="baseline">
                      <Text fz="sm">{PERMISSIONS[p][lang]}</Text>
                      <Text fz="xs" c="dimmed" ff="monospace" visibleFrom="sm">
                        {p}
                      </Text>
                    </Group>
                  }
                />
              );
              return !readOnly && !held(p) ? (
                <Tooltip key={p} label={t('roles.notHeld')} position="top-start">
                  <div>{box}</div>
                </Tooltip>
              ) : (
                box
              );
            })}
          </Stack>
        );
      })}
    </Stack>
  );
}
