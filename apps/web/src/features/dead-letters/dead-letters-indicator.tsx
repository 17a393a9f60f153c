import { Indicator } from '@mantine/core';
import type { ReactNode } from 'react';
import { useDeadLetterTotal } from './use-dead-letters';

/** The navigation icon with the number of undelivered replies, when there are any. */
export function DeadLettersIndicator({ children }: { children: ReactNode }) {
  const total = useDeadLetterTotal().data ?? 0;
  return (
    <Indicator
      label={total > 99 ? '99+' : total}
      size={16}
      color="red"
      offset={2}
      disabled={total === 0}
      data-testid="dead-letters-badge"
      data-count={total}
      styles={{ indicator: { fontSize: 10, fontWeight: 700 } }}
    >
      {children}
    </Indicator>
  );
}
