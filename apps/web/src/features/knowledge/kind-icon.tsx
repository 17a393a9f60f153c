import { Tooltip } from '@mantine/core';
import { IconFileText, IconHelpCircle } from '@tabler/icons-react';
import type { Article } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';

export function KindIcon({ kind, size = 18 }: { kind: Article['kind']; size?: number }) {
  const { t } = useTranslation();
  const label = t(`knowledge.kind.${kind}`);
  const KindGlyph = kind === 'faq' ? IconHelpCircle : IconFileText;
  return (
    <Tooltip label={label}>
      <KindGlyph
        size={size}
        stroke={1.6}
        color={kind === 'faq' ? 'var(--mantine-color-blue-6)' : 'var(--mantine-color-grape-6)'}
        aria-label={label}
        role="img"
        style={{ flexShrink: 0 }}
      />
    </Tooltip>
  );
}
