import { Alert, Card, Center, Loader, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../lib/notify';

/** The spinner a page shows while its list loads. */
export function PageLoader() {
  const { t } = useTranslation();
  return (
    <Center py="xl">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

/** A list that could not be loaded: the page's own title and the server's reason. */
export function LoadFailed({ title, error }: { title: string; error: unknown }) {
  return (
    <Alert color="red" title={title}>
      {errorMessage(error)}
    </Alert>
  );
}

interface EmptyStateProps {
  testId: string;
  icon: ReactNode;
  title: string;
  text: string;
  /** Width of the explanation text. */
  textWidth?: number;
  /** Actions under the text (e.g. the page's add button). */
  children?: ReactNode;
}

/** An empty list: an icon, what is missing and how to add the first item. */
export function EmptyState({ testId, icon, title, text, textWidth = 460, children }: EmptyStateProps) {
  return (
    <Card withBorder padding="xl" data-testid={testId}>
      <Stack align="center" gap="xs">
        {icon}
        <Text fw={600}>{title}</Text>
        <Text c="dimmed" fz="sm" ta="center" maw={textWidth}>
          {text}
        </Text>
        {children}
      </Stack>
    </Card>
  );
}
