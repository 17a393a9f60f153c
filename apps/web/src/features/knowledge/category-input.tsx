import { Autocomplete } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client';
import { keepEnterInField } from '../../lib/keys';

/** Sections the knowledge base already uses, most used first in the suggestions. */
function useSections() {
  return useQuery({
    queryKey: ['knowledge', 'sections'],
    queryFn: () => api.get<{ items: { name: string; articles: number }[] }>('/api/knowledge/sections'),
    staleTime: 30_000,
  });
}

/** The entry's section: free text, suggesting the sections the knowledge base already has. */
export function CategoryInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const { t } = useTranslation();
  const sections = useSections();
  return (
    <Autocomplete
      label={t('knowledge.form.category')}
      description={t('knowledge.form.categoryHint')}
      maxLength={100}
      value={value}
      onChange={onChange}
      onKeyDown={keepEnterInField}
      data={[...(sections.data?.items ?? [])].sort((a, b) => b.articles - a.articles).map((s) => s.name)}
      comboboxProps={{ withinPortal: true }}
      data-testid="article-category-input"
    />
  );
}
