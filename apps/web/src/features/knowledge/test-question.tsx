import { Alert, Badge, Button, Card, Group, RingProgress, Stack, Text, Textarea, Title } from '@mantine/core';
import { IconAlertCircle, IconRobot, IconUserShare } from '@tabler/icons-react';
import type { AssistantDecision } from '@switchboard/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatPercent } from '../../lib/format';
import { errorMessage } from '../../lib/notify';
import { confidenceColor } from '../ai/confidence';
import { useTestQuestion } from '../ai/use-ai';
import { PassageList } from './passage-list';

/** Asks the assistant a question as a customer would, without sending anything to anyone. */
export function TestQuestion() {
  const { t } = useTranslation();
  const test = useTestQuestion();
  const [query, setQuery] = useState('');

  const submit = (e: Pick<FormEvent, 'preventDefault'>) => {
    e.preventDefault();
    if (query.trim()) test.mutate(query.trim());
  };

  return (
    <Stack gap="md" maw={900}>
      <form onSubmit={submit} data-testid="test-question-form">
        <Stack gap="xs">
          <Textarea
            label={t('knowledge.test.label')}
            description={t('knowledge.test.hint')}
            placeholder={t('knowledge.test.placeholder')}
            autosize
            minRows={2}
            maxRows={6}
            maxLength={2000}
            value={query}
            onChange={(e) => setQuery(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) submit(e);
            }}
            data-testid="test-question-input"
          />
          <Group>
            <Button type="submit" loading={test.isPending} disabled={!query.trim()} data-testid="test-question-submit">
              {t('knowledge.test.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
      {test.isError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
          {errorMessage(test.error)}
        </Alert>
      )}
      {test.data && (
        <Stack gap="md" data-testid="test-question-result">
          <DecisionCard decision={test.data.decision} />
          <Title order={3} fz="md">
            {t('knowledge.test.passages')}
          </Title>
          <PassageList passages={test.data.items} />
        </Stack>
      )}
    </Stack>
  );
}

function DecisionCard({ decision: d }: { decision: AssistantDecision }) {
  const { t } = useTranslation();
  const answers = d.action === 'answer';
  return (
    <Card withBorder padding="md" data-testid="test-decision" data-action={d.action}>
      <Group align="flex-start" wrap="nowrap" gap="md">
        <RingProgress
          size={84}
          thickness={8}
          roundCaps
          sections={[{ value: d.confidence * 100, color: answers ? confidenceColor(d.confidence) : 'orange' }]}
          label={
            <Text ta="center" fz="sm" fw={700}>
              {formatPercent(d.confidence, currentLanguage())}
            </Text>
          }
          aria-label={t('knowledge.test.confidence')}
        />
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Group gap="xs">
            {answers ? (
              <IconRobot size={18} color="var(--mantine-color-violet-6)" />
            ) : (
              <IconUserShare size={18} color="var(--mantine-color-orange-6)" />
            )}
            <Text fw={600}>
              {answers
                ? t('knowledge.test.wouldAnswer')
                : t('knowledge.test.wouldHandOver', { reason: d.reason ? t(`ai.reasons.${d.reason}`) : t('ai.reasons.unknown') })}
            </Text>
          </Group>
          <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="test-decision-text">
            {d.text}
          </Text>
          <Group gap={6}>
            <Badge variant="outline" color="gray" size="sm">
              {t(`ai.mode.${d.mode}`)}
            </Badge>
            <Badge variant="outline" color="gray" size="sm">
              {d.language.toUpperCase()}
            </Badge>
            {d.sources.length > 0 && (
              <Text fz="xs" c="dimmed">
                {t('knowledge.test.cites', { titles: d.sources.map((s) => s.title).join(', ') })}
              </Text>
            )}
          </Group>
        </Stack>
      </Group>
    </Card>
  );
}
