import { Stack } from '@mantine/core';
import type { ReactNode } from 'react';

/** The one width every page's content takes (wide tables scroll inside it), so pages line up. */
export const PAGE_WIDTH = 1200;

/** A page's content column: the same padding, spacing and width on every page. */
export function Page({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <Stack p="lg" gap="lg" maw={PAGE_WIDTH} data-testid={testId ?? 'page'}>
      {children}
    </Stack>
  );
}
