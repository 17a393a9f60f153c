import { Badge } from '@mantine/core';
import type { MessageAi } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { ConfidenceBadge } from '../ai/confidence';

const KIND_COLORS: Record<Exclude<MessageAi['kind'], 'answer'>, string> = { handover: 'orange', waiting: 'gray', greeting: 'teal' };

/** Next to the author: what kind of automatic turn this was and how sure the bot was. */
export function BotTurnTags({ ai }: { ai: MessageAi }) {
  const { t } = useTranslation();
  return (
    <>
      {ai.kind !== 'answer' && (
        <Badge size="xs" variant="light" color={KIND_COLORS[ai.kind]} data-testid="bot-turn-kind" data-kind={ai.kind}>
          {t(`conversation.botTurn.${ai.kind}`)}
        </Badge>
      )}
      {ai.confidence !== null && <ConfidenceBadge value={ai.confidence} size="xs" />}
      {ai.mode === 'llm' && (
        <Badge size="xs" variant="outline" color="gray">
          LLM
        </Badge>
      )}
    </>
  );
}
