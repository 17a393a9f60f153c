import { Autocomplete } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../ai/use-ai';

/** Free text, suggesting the account's categories (an article may name one not created yet). */
export function CategoryInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const categories = useCategories();
  return (
    <Autocomplete
      label={t('knowledge.form.category')}
      description={t('knowledge.form.categoryHint')}
      maxLength={100}
      value={value}
      onChange={onChange}
      data={(categories.data?.items ?? []).map((c) => c.name)}
      comboboxProps={{ withinPortal: true }}
      data-testid="article-category-input"
    />
  );
}
