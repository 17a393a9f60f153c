import { Badge, type BadgeProps, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatPercent } from '../../lib/format';

/** Green when the bot is sure, yellow when unsure, red when it is guessing. */
export function confidenceColor(confidence: number): string {
  if (confidence >= 0.7) return 'green';
  if (confidence >= 0.4) return 'yellow';
  return 'red';
}

export function ConfidenceBadge({ value, size = 'sm' }: { value: number; size?: BadgeProps['size'] }) {
  const { t } = useTranslation();
  return (
    <Tooltip label={t('ai.confidenceHint')} multiline maw={280}>
      <Badge size={size} variant="light" color={confidenceColor(value)} data-testid="confidence" style={{ flexShrink: 0 }}>
        {formatPercent(value, currentLanguage())}
      </Badge>
    </Tooltip>
  );
}
