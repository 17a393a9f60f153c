import { keepEnterInField } from '../../lib/keys';
import {
  Accordion,
  ColorInput,
  Divider,
  NumberInput,
  PasswordInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useId } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import type { FieldSection, FieldSpec, FieldValue, FormValues } from './channel-fields';
import { isVisible, type FieldErrors } from './channel-form-values';

interface Props {
  fields: FieldSpec[];
  values: FormValues;
  errors: FieldErrors;
  onChange: (key: string, value: FieldValue) => void;
  /** Editing: secrets are not required and empty means "keep the current one". */
  editing?: boolean;
}

/** The settings of one channel type, generated from its field spec and grouped in sections. */
export function ChannelConfigFields({ fields, values, errors, onChange, editing = false }: Props) {
  const { t } = useTranslation();
  const visible = fields.filter((f) => isVisible(f, values));
  const of = (section: FieldSection) => visible.filter((f) => (f.section ?? 'main') === section);
  const render = (f: FieldSpec) => (
    <ConfigField key={f.key} field={f} value={values[f.key]} error={errors[f.key]} editing={editing} onChange={(v) => onChange(f.key, v)} />
  );
  const imap = of('imap');
  const smtp = of('smtp');
  const advanced = of('advanced');
  // Open the advanced part by itself when something in it needs attention.
  const advancedHasError = advanced.some((f) => errors[f.key]);

  return (
    <Stack gap="md">
      {of('main').map(render)}
      {(imap.length > 0 || smtp.length > 0) && (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <Stack gap="sm">
            <Divider label={t('channels.sections.imap')} labelPosition="left" />
            {imap.map(render)}
          </Stack>
          <Stack gap="sm">
            <Divider label={t('channels.sections.smtp')} labelPosition="left" />
            {smtp.map(render)}
          </Stack>
        </SimpleGrid>
      )}
      {advanced.length > 0 && (
        <Accordion variant="contained" key={advancedHasError ? 'open' : 'closed'} defaultValue={advancedHasError ? 'advanced' : null}>
          <Accordion.Item value="advanced">
            <Accordion.Control data-testid="channel-advanced">{t('channels.sections.advanced')}</Accordion.Control>
            <Accordion.Panel>
              <Stack gap="sm">{advanced.map(render)}</Stack>
            </Accordion.Panel>
          </Accordion.Item>
        </Accordion>
      )}
      <Divider label={t('channels.sections.behaviour')} labelPosition="left" />
      {of('behaviour').map(render)}
    </Stack>
  );
}

interface FieldProps {
  field: FieldSpec;
  value: FieldValue | undefined;
  error: string | undefined;
  editing: boolean;
  onChange: (value: FieldValue) => void;
}

function ConfigField({ field: f, value, error, editing, onChange }: FieldProps) {
  const { t } = useTranslation();
  const labelId = useId();
  const label = t(f.label);
  const hint = f.hint ? t(f.hint) : undefined;
  const required = !editing && f.required === true;
  const common = { label, description: hint, error, required, 'data-testid': f.testId };
  const str = typeof value === 'string' ? value : '';

  switch (f.kind) {
    case 'text':
      return <TextInput {...common} placeholder={f.placeholder} value={str} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={2} maxRows={5} value={str} onChange={(e) => onChange(e.currentTarget.value)} />;
    case 'secret':
      return (
        <PasswordInput
          {...common}
          description={editing ? t('channels.form.secretKeep') : hint}
          placeholder={editing ? '••••••••' : f.placeholder}
          autoComplete="off"
          value={str}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      );
    case 'number':
      return (
        <NumberInput
          {...common}
          placeholder={f.placeholder ?? (f.required ? undefined : t('channels.form.off'))}
          min={f.min}
          max={f.max}
          allowDecimal={false}
          allowNegative={false}
          value={typeof value === 'number' ? value : ''}
          onChange={(v) => onChange(typeof v === 'number' ? v : '')}
        />
      );
    case 'switch':
      return (
        <Switch
          label={label}
          description={hint}
          error={error}
          color={f.key === 'assistant.enabled' ? 'violet' : undefined}
          checked={value === true}
          onChange={(e) => onChange(e.currentTarget.checked)}
          data-testid={f.testId}
        />
      );
    case 'select':
      return (
        <Select
          {...common}
          allowDeselect={false}
          data={(f.options ?? []).map((o) => ({ value: o.value, label: t(o.label) }))}
          value={str || null}
          onChange={(v) => onChange(v ?? '')}
          comboboxProps={{ withinPortal: true }}
        />
      );
    case 'color':
      return (
        <ColorInput {...common} placeholder={f.placeholder} format="hex" value={str} onChange={onChange} onKeyDown={keepEnterInField} />
      );
    case 'origins':
      return (
        <TagsInput
          {...common}
          placeholder={f.placeholder}
          splitChars={[',', ' ']}
          acceptValueOnBlur
          clearable
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
        />
      );
    case 'mode':
      return (
        <Stack gap={4}>
          <Text fz="sm" fw={500} id={labelId}>
            {label}
          </Text>
          <SegmentedControl
            aria-labelledby={labelId}
            value={str === 'polling' ? 'polling' : 'webhook'}
            onChange={onChange}
            data={[
              { value: 'webhook', label: t('channels.mode.webhook') },
              { value: 'polling', label: t('channels.mode.polling') },
            ]}
            data-testid={f.testId}
          />
          <Text fz="xs" c="dimmed">
            {str === 'polling' ? t('channels.fields.mode.pollingHint') : hint}
          </Text>
          {error && (
            <Text fz="xs" c="red">
              {error}
            </Text>
          )}
        </Stack>
      );
  }
}
