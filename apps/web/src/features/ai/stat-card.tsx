import { Card, Group, RingProgress, Stack, Text } from '@mantine/core';
import { currentLanguage } from '../../i18n';
import { formatPercent } from '../../lib/format';

interface Props {
  label: string;
  /** 0…1, or null when there was nothing to measure. */
  rate: number | null;
  caption: string;
  color: string;
  testId: string;
}

/** One headline rate as a ring, with what it was measured over. */
export function StatCard({ label, rate, caption, color, testId }: Props) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Group wrap="nowrap" gap="md">
        <RingProgress
          size={76}
          thickness={7}
          roundCaps
          sections={rate === null ? [] : [{ value: rate * 100, color }]}
          label={
            <Text ta="center" fz="sm" fw={700}>
              {formatPercent(rate, currentLanguage())}
            </Text>
          }
        />
        <Stack gap={2} miw={0}>
          <Text fz="sm" fw={600}>
            {label}
          </Text>
          <Text fz="xs" c="dimmed">
            {caption}
          </Text>
        </Stack>
      </Group>
    </Card>
  );
}
