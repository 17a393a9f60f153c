import { ActionIcon, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';

export function CopyIcon({ value, size = 'sm' }: { value: string; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const icon = size === 'xs' ? 12 : 14;
  return (
    <CopyButton value={value}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? t('common.copied') : t('common.copy')}>
          <ActionIcon
            size={size}
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            onClick={copy}
            aria-label={t('common.copy')}
            data-testid="copy"
          >
            {copied ? <IconCheck size={icon} /> : <IconCopy size={icon} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** A one-line value (URL, token, id) in monospace, truncated, with a copy button. */
export function CopyValue({ value, maw = 320, size = 'xs' }: { value: string; maw?: number | string; size?: 'xs' | 'sm' }) {
  return (
    <Group gap={2} wrap="nowrap" maw={maw} miw={0}>
      <Text fz={size} ff="monospace" truncate title={value} style={{ minWidth: 0 }}>
        {value}
      </Text>
      <CopyIcon value={value} size="xs" />
    </Group>
  );
}

/** A snippet to paste somewhere (the widget's embed code), wrapped, with a copy button. */
export function CopySnippet({ value }: { value: string }) {
  return (
    <Group gap={4} wrap="nowrap" align="flex-start">
      <Code block fz="xs" style={{ flex: 1, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
        {value}
      </Code>
      <CopyIcon value={value} />
    </Group>
  );
}
