import { NumberInput, SimpleGrid } from '@mantine/core';
import { limitNames, type AccountLimits, type LimitName } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

/** Storage is entered in megabytes and kept in bytes. */
const MB = 1024 * 1024;

export type LimitValues = Record<LimitName, number | ''>;

export function toValues(limits: AccountLimits): LimitValues {
  return Object.fromEntries(
    limitNames.map((name) => {
      const v = limits[name];
      return [name, v === null || v === undefined ? '' : name === 'storageBytes' ? Math.round(v / MB) : v];
    }),
  ) as LimitValues;
}

/** An empty field removes the limit (null), a number sets it. */
export function toLimits(values: LimitValues): AccountLimits {
  return Object.fromEntries(
    limitNames.map((name) => {
      const v = values[name];
      return [name, v === '' ? null : name === 'storageBytes' ? v * MB : v];
    }),
  );
}

export function LimitFields({ values, onChange }: { values: LimitValues; onChange: (values: LimitValues) => void }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="sm">
      {limitNames.map((name) => (
        <NumberInput
          key={name}
          label={name === 'storageBytes' ? t('platform.storageInput') : t(`platform.limits.${name}`)}
          placeholder={t('platform.unlimited')}
          min={0}
          allowDecimal={false}
          allowNegative={false}
          value={values[name]}
          onChange={(v) => onChange({ ...values, [name]: typeof v === 'number' ? v : '' })}
          data-testid={`limit-${name}`}
        />
      ))}
    </SimpleGrid>
  );
}
