import { Checkbox, NumberInput, Select, TextInput } from '@mantine/core';
import type { AttributeDefinition } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

type Value = string | number | boolean | null;

/** The editor of one custom field value, by its type. */
export function AttributeInput({ def, value, onChange }: { def: AttributeDefinition; value: Value; onChange: (v: Value) => void }) {
  const { t } = useTranslation();
  const common = { label: def.label, 'data-testid': `attr-${def.key}` };
  switch (def.type) {
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : null)}
          decimalSeparator=","
        />
      );
    case 'date':
      return (
        <TextInput
          {...common}
          type="date"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case 'list':
      return (
        <Select
          {...common}
          data={def.options}
          value={typeof value === 'string' ? value : null}
          onChange={(v) => onChange(v)}
          clearable
          comboboxProps={{ withinPortal: false }}
        />
      );
    case 'checkbox':
      return <Checkbox mt="sm" {...common} checked={value === true} onChange={(e) => onChange(e.currentTarget.checked)} />;
    case 'link':
      return (
        <TextInput
          {...common}
          type="url"
          placeholder="https://"
          value={typeof value === 'string' ? value : ''}
          onChange={(e) => onChange(e.currentTarget.value || null)}
        />
      );
    case 'text':
      return (
        <TextInput {...common} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.currentTarget.value || null)} />
      );
  }
  return <>{t('contacts.never')}</>;
}
