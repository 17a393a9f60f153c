import { Table, Text } from '@mantine/core';
import { IconArrowsHorizontal } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * A table wider than a phone: it scrolls sideways inside its box with a scrollbar that is always
 * shown, and on narrow screens a line says so (no columns silently hidden off-screen).
 */
export function WideTable({ minWidth, children }: { minWidth: number; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <>
      <Text hiddenFrom="md" fz="xs" c="dimmed" px="md" pt="xs" data-testid="wide-table-hint">
        <IconArrowsHorizontal size={12} style={{ verticalAlign: 'middle', marginRight: 4 }} aria-hidden />
        {t('common.scrollTable')}
      </Text>
      <Table.ScrollContainer minWidth={minWidth} type="scrollarea" scrollAreaProps={{ type: 'always', offsetScrollbars: 'x' }}>
        {children}
      </Table.ScrollContainer>
    </>
  );
}
