import { Badge, Group, Input, NumberInput, SegmentedControl, Slider, Stack, Switch, TagsInput, Text, Textarea } from '@mantine/core';
import type { AiSettings } from '@switchboard/shared';
import { useTranslation } from 'react-i18next';
import { currentLanguage } from '../../i18n';
import { formatPercent } from '../../lib/format';
import { PerLanguageField } from './per-language-field';

export interface SectionProps {
  form: AiSettings;
  set: (patch: Partial<AiSettings>) => void;
  readOnly: boolean;
}

const percent = (v: number) => formatPercent(v, currentLanguage());

/** How the bot answers: mode, how sure it must be, suggestions for operators. */
export function AnsweringSection({ form, set, readOnly }: SectionProps) {
  const { t } = useTranslation();
  const modes = (['local', 'llm'] as const).map((m) => ({ value: m, label: t(`ai.mode.${m}`) }));
  return (
    <Stack gap="lg">
      <Input.Wrapper label={t('ai.settings.answerMode')} description={t('ai.settings.answerModeHint')}>
        <SegmentedControl
          mt={6}
          disabled={readOnly}
          value={form.answerMode}
          onChange={(v) => set({ answerMode: v === 'llm' ? 'llm' : 'local' })}
          data={modes}
          data-testid="ai-answer-mode"
        />
      </Input.Wrapper>
      <Input.Wrapper
        label={t('ai.settings.threshold', { value: percent(form.confidenceThreshold) })}
        description={t('ai.settings.thresholdHint')}
      >
        <Slider
          mt="xs"
          mb="lg"
          min={0}
          max={1}
          step={0.01}
          disabled={readOnly}
          value={form.confidenceThreshold}
          onChange={(v) => set({ confidenceThreshold: v })}
          label={percent}
          marks={[0, 0.25, 0.5, 0.75, 1].map((v) => ({ value: v, label: percent(v) }))}
          data-testid="ai-threshold"
        />
      </Input.Wrapper>
      <Input.Wrapper
        label={t('ai.settings.margin', { value: percent(form.lowConfidenceMargin) })}
        description={t('ai.settings.marginHint')}
      >
        <Slider
          mt="xs"
          mb="lg"
          min={0}
          max={0.5}
          step={0.01}
          disabled={readOnly}
          value={form.lowConfidenceMargin}
          onChange={(v) => set({ lowConfidenceMargin: v })}
          label={percent}
          marks={[0, 0.25, 0.5].map((v) => ({ value: v, label: percent(v) }))}
        />
      </Input.Wrapper>
      <Input.Wrapper label={t('ai.settings.classificationMode')} description={t('ai.settings.classificationModeHint')}>
        <SegmentedControl
          mt={6}
          disabled={readOnly}
          value={form.classificationMode}
          onChange={(v) => set({ classificationMode: v === 'llm' ? 'llm' : 'local' })}
          data={modes}
        />
      </Input.Wrapper>
      <Switch
        label={t('ai.settings.suggestions')}
        description={t('ai.settings.suggestionsHint')}
        disabled={readOnly}
        checked={form.suggestionsEnabled}
        onChange={(e) => set({ suggestionsEnabled: e.currentTarget.checked })}
      />
      <Textarea
        label={t('ai.settings.synonyms')}
        description={t('ai.settings.synonymsHint')}
        placeholder={t('ai.settings.synonymsPlaceholder')}
        disabled={readOnly}
        autosize
        minRows={3}
        maxRows={12}
        value={form.synonyms.join('\n')}
        onChange={(e) =>
          set({
            synonyms: e.currentTarget.value
              .split('\n')
              .map((line) => line.slice(0, 500))
              .slice(0, 500),
          })
        }
        onBlur={() => set({ synonyms: form.synonyms.map((line) => line.trim()).filter(Boolean) })}
        data-testid="ai-synonyms"
      />
    </Stack>
  );
}

/** When the bot gives up, and what the customer hears meanwhile. */
export function HandoverSection({ form, set, readOnly, builtInKeywords }: SectionProps & { builtInKeywords: string[] }) {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <TagsInput
        label={t('ai.settings.keywords')}
        description={t('ai.settings.keywordsHint')}
        disabled={readOnly}
        value={form.handoverKeywords}
        onChange={(v) => set({ handoverKeywords: v })}
        maxTags={100}
        clearable
        data-testid="ai-keywords"
      />
      <Input.Wrapper label={t('aiLoop.settings.builtInKeywords')} description={t('aiLoop.settings.builtInKeywordsHint')} mt={-8}>
        <Group gap={4} mt={6} data-testid="ai-builtin-keywords">
          {builtInKeywords.map((k) => (
            <Badge key={k} variant="light" color="gray" tt="none" data-testid="ai-builtin-keyword">
              {k}
            </Badge>
          ))}
        </Group>
      </Input.Wrapper>
      <PerLanguageField
        label={t('ai.settings.handoverMessage')}
        description={t('ai.settings.handoverMessageHint')}
        value={form.handoverMessage}
        onChange={(v) => set({ handoverMessage: v })}
        disabled={readOnly}
        testId="ai-handover-message"
      />
      <PerLanguageField
        label={t('ai.settings.waitingMessage')}
        description={t('ai.settings.waitingMessageHint')}
        value={form.waitingMessage}
        onChange={(v) => set({ waitingMessage: v })}
        disabled={readOnly}
        testId="ai-waiting-message"
      />
      <PerLanguageField
        label={t('aiLoop.settings.takenMessage')}
        description={t('aiLoop.settings.takenMessageHint')}
        value={form.takenMessage}
        onChange={(v) => set({ takenMessage: v })}
        disabled={readOnly}
        testId="ai-taken-message"
      />
      <NumberInput
        label={t('ai.settings.waitingInterval')}
        description={t('ai.settings.waitingIntervalHint')}
        w={260}
        min={1}
        max={1440}
        allowDecimal={false}
        disabled={readOnly}
        value={form.waitingIntervalMinutes}
        onChange={(v) => typeof v === 'number' && set({ waitingIntervalMinutes: v })}
        suffix={` ${t('ai.settings.minutes')}`}
      />
      <Switch
        label={t('ai.settings.greeting')}
        description={t('ai.settings.greetingHint')}
        disabled={readOnly}
        checked={form.greetingEnabled}
        onChange={(e) => set({ greetingEnabled: e.currentTarget.checked })}
      />
      {form.greetingEnabled && (
        <PerLanguageField
          label={t('ai.settings.greetingTemplate')}
          value={form.greetingTemplate}
          onChange={(v) => set({ greetingTemplate: v })}
          disabled={readOnly}
          testId="ai-greeting"
        />
      )}
      {form.greetingEnabled && (
        <Text fz="xs" c="dimmed" mt={-12}>
          {t('ai.settings.greetingPlaceholder')}
        </Text>
      )}
    </Stack>
  );
}
