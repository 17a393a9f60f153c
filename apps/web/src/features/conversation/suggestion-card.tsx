import { Button, Group, Loader, Paper, Spoiler, Stack, Text } from '@mantine/core';
import { IconPencil, IconSend, IconSparkles, IconX } from '@tabler/icons-react';
import type { Suggestion } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { ConfidenceBadge } from '../ai/confidence';
import { SourceList } from './source-list';
import { useRejectSuggestion, useSendSuggestion } from './use-suggestion';

interface Props {
  conversationId: string;
  suggestion: Suggestion;
  onEdit: (suggestion: Suggestion) => void;
}

/** The assistant's proposed reply: send it as is, edit it in the reply box, or reject it. */
export function SuggestionCard({ conversationId, suggestion: s, onEdit }: Props) {
  const { t } = useTranslation();
  const send = useSendSuggestion(conversationId);
  const reject = useRejectSuggestion(conversationId);
  const busy = send.isPending || reject.isPending;

  return (
    <Paper
      withBorder
      p="xs"
      mb={8}
      style={{
        borderColor: 'var(--mantine-color-violet-4)',
        background: 'light-dark(var(--mantine-color-violet-0), rgba(121, 80, 242, 0.08))',
      }}
      data-testid="suggestion"
      data-suggestion-id={s.id}
    >
      <Stack gap={6}>
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap={6} wrap="nowrap">
            <IconSparkles size={16} color="var(--mantine-color-violet-6)" aria-hidden />
            <Text fz="xs" fw={700} c="violet">
              {t('suggestion.title')}
            </Text>
            <ConfidenceBadge value={s.confidence} size="xs" />
          </Group>
          <Group gap={4} wrap="nowrap">
            <Button
              size="compact-xs"
              variant="subtle"
              color="red"
              leftSection={<IconX size={12} />}
              loading={reject.isPending}
              disabled={busy}
              onClick={() => reject.mutate(s.id)}
              data-testid="suggestion-reject"
            >
              {t('suggestion.reject')}
            </Button>
            <Button
              size="compact-xs"
              variant="default"
              leftSection={<IconPencil size={12} />}
              disabled={busy}
              onClick={() => onEdit(s)}
              data-testid="suggestion-edit"
            >
              {t('suggestion.edit')}
            </Button>
            <Button
              size="compact-xs"
              color="violet"
              leftSection={<IconSend size={12} />}
              loading={send.isPending}
              disabled={busy}
              onClick={() => send.mutate({ suggestionId: s.id })}
              data-testid="suggestion-send"
            >
              {t('suggestion.send')}
            </Button>
          </Group>
        </Group>
        <Spoiler maxHeight={66} showLabel={t('suggestion.more')} hideLabel={t('suggestion.less')} styles={{ control: { fontSize: 12 } }}>
          <Text fz="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="suggestion-text">
            {s.text}
          </Text>
        </Spoiler>
        <SourceList sources={s.sources} />
      </Stack>
    </Paper>
  );
}

/** A suggestion the language model is still writing: shown as it streams, actions come with the final one. */
export function SuggestionDraftCard({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <Paper
      withBorder
      p="xs"
      mb={8}
      style={{ borderStyle: 'dashed', borderColor: 'var(--mantine-color-violet-4)' }}
      data-testid="suggestion-draft"
    >
      <Group gap={6} wrap="nowrap" mb={4}>
        <Loader size={12} color="violet" />
        <Text fz="xs" fw={700} c="violet">
          {t('suggestion.writing')}
        </Text>
      </Group>
      <Text fz="sm" c="dimmed" lineClamp={4} style={{ whiteSpace: 'pre-wrap' }}>
        {text}
      </Text>
    </Paper>
  );
}
