import { Input, MultiSelect, SegmentedControl, Stack } from '@mantine/core';
import { channelTypes, type AiSettings, type ChannelType } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import type { SectionProps } from './settings-sections';

/** Where customers see the source of an answer, and whether the assistant learns from operators' answers. */
export function SourcesLearningSection({ form, set, readOnly }: SectionProps) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <MultiSelect
        label={t('aiLoop.settings.sourceLine')}
        description={t('aiLoop.settings.sourceLineHint')}
        placeholder={form.sourceLineChannels.length === 0 ? t('aiLoop.settings.sourceLineNowhere') : undefined}
        disabled={readOnly}
        data={channelTypes.map((c) => ({ value: c, label: t(`channels.types.${c}.name`, { defaultValue: c }) }))}
        value={form.sourceLineChannels}
        onChange={(v) => set({ sourceLineChannels: v as ChannelType[] })}
        clearable
        data-testid="ai-source-line-channels"
      />
      <Input.Wrapper label={t('aiLoop.settings.learn')} description={t('aiLoop.settings.learnHint')}>
        <SegmentedControl
          mt={6}
          disabled={readOnly}
          value={form.learnFromOperators}
          onChange={(v) => set({ learnFromOperators: v as AiSettings['learnFromOperators'] })}
          data={(['off', 'offer', 'auto'] as const).map((v) => ({ value: v, label: t(`aiLoop.settings.learnModes.${v}`) }))}
          data-testid="ai-learn-mode"
        />
      </Input.Wrapper>
    </Stack>
  );
}
