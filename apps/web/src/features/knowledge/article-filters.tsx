import { CloseButton, Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { KIND_FILTERS, PUBLISHED_FILTERS, type ArticleFilter, type KindFilter, type PublishedFilter } from './knowledge.api';

interface Props {
  filter: ArticleFilter;
  onChange: (patch: Partial<ArticleFilter>) => void;
}

export function ArticleFilters({ filter, onChange }: Props) {
  const { t } = useTranslation();
  return (
    <Group gap="sm" wrap="wrap">
      <TextInput
        flex="1 1 240px"
        maw={420}
        leftSection={<IconSearch size={16} />}
        placeholder={t('knowledge.filters.search')}
        aria-label={t('knowledge.filters.search')}
        value={filter.q}
        maxLength={200}
        onChange={(e) => onChange({ q: e.currentTarget.value })}
        rightSection={filter.q ? <CloseButton size="sm" aria-label={t('common.clear')} onClick={() => onChange({ q: '' })} /> : null}
        data-testid="knowledge-search"
      />
      <SegmentedControl
        aria-label={t('knowledge.filters.kind')}
        value={filter.kind}
        onChange={(v) => onChange({ kind: v as KindFilter })}
        data={KIND_FILTERS.map((k) => ({ value: k, label: t(`knowledge.kindFilter.${k}`) }))}
        data-testid="knowledge-kind-filter"
      />
      <Select
        w={190}
        aria-label={t('knowledge.filters.published')}
        allowDeselect={false}
        value={filter.published}
        onChange={(v) => v && onChange({ published: v as PublishedFilter })}
        data={PUBLISHED_FILTERS.map((p) => ({ value: p, label: t(`knowledge.publishedFilter.${p}`) }))}
        data-testid="knowledge-published-filter"
      />
    </Group>
  );
}
