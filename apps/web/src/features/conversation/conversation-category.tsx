import { Anchor, Badge, Menu, Text, UnstyledButton } from '@mantine/core';
import { IconCheck, IconPencil, IconTag, IconX } from '@tabler/icons-react';
import type { Conversation } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { currentLanguage } from '../../i18n';
import { formatPercent } from '../../lib/format';
import { useCategories } from '../ai/use-ai';
import { useHasPermission } from '../auth/permissions';

interface Props {
  conversation: Conversation;
  pending: boolean;
  onChange: (category: string | null) => void;
}

/** The predicted (or corrected) category; picking another one corrects it and teaches the classifier. */
export function ConversationCategory({ conversation: c, pending, onChange }: Props) {
  const { t } = useTranslation();
  const categories = useCategories();
  const canChange = useHasPermission('conversation.assign');
  const items = categories.data?.items ?? [];
  const confidence = c.category && c.categoryConfidence !== null ? ` · ${formatPercent(c.categoryConfidence, currentLanguage())}` : '';

  return (
    <Menu position="bottom-start" withinPortal width={240}>
      <Menu.Target>
        <UnstyledButton aria-label={t('conversation.category.change')} disabled={pending || !canChange} data-testid="conversation-category">
          <Badge
            size="sm"
            variant={c.category ? 'light' : 'outline'}
            color={c.category ? 'cyan' : 'gray'}
            tt="none"
            leftSection={<IconTag size={11} aria-hidden />}
            rightSection={<IconPencil size={10} aria-hidden />}
            style={{ cursor: 'pointer', opacity: pending ? 0.6 : 1 }}
            data-category={c.category ?? ''}
          >
            {c.category ? `${c.category}${confidence}` : t('conversation.category.none')}
          </Badge>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown mah={320} style={{ overflowY: 'auto' }}>
        <Menu.Label>{t('conversation.category.label')}</Menu.Label>
        {items.length === 0 && (
          <Text fz="xs" c="dimmed" px="sm" py={4}>
            {t('conversation.category.noCategories')}{' '}
            <Anchor component={Link} to="/ai/categories" fz="xs">
              {t('conversation.category.manage')}
            </Anchor>
          </Text>
        )}
        {items.map((cat) => (
          <Menu.Item
            key={cat.id}
            onClick={() => cat.name !== c.category && onChange(cat.name)}
            rightSection={cat.name === c.category ? <IconCheck size={14} /> : undefined}
            data-testid="category-option"
          >
            {cat.name}
          </Menu.Item>
        ))}
        {c.category && (
          <>
            <Menu.Divider />
            <Menu.Item leftSection={<IconX size={14} />} color="red" onClick={() => onChange(null)} data-testid="category-clear">
              {t('conversation.category.clear')}
            </Menu.Item>
          </>
        )}
      </Menu.Dropdown>
    </Menu>
  );
}
