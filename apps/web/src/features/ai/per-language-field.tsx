import { Input, SimpleGrid, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../i18n';

type PerLanguage = Record<Language, string>;

interface Props {
  label: string;
  description?: string;
  value: PerLanguage;
  onChange: (value: PerLanguage) => void;
  disabled: boolean;
  testId: string;
}

/** One message in Russian and English: the bot answers in the customer's language. */
export function PerLanguageField({ label, description, value, onChange, disabled, testId }: Props) {
  const { t } = useTranslation();
  const field = (lng: Language) => (
    <Textarea
      aria-label={`${label} (${lng.toUpperCase()})`}
      leftSection={lng.toUpperCase()}
      leftSectionProps={{ style: { alignItems: 'flex-start', paddingTop: 8, fontSize: 11, fontWeight: 700 } }}
      autosize
      minRows={2}
      maxRows={5}
      maxLength={1000}
      value={value[lng]}
      disabled={disabled}
      onChange={(e) => onChange({ ...value, [lng]: e.currentTarget.value })}
      error={!value[lng].trim() ? t('ai.settings.messageRequired') : undefined}
      data-testid={`${testId}-${lng}`}
    />
  );
  return (
    <Input.Wrapper label={label} description={description}>
      <SimpleGrid cols={{ base: 1, md: 2 }} mt={6} spacing="sm">
        {field('ru')}
        {field('en')}
      </SimpleGrid>
    </Input.Wrapper>
  );
}
