import { Alert, Button, Card, Center, Group, Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { AiSettings, UpdateAiSettingsRequest } from '@switchboard/shared';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import type { AiSettingsResponse } from './ai.api';
import { AnsweringSection, HandoverSection } from './settings-sections';
import { SourcesLearningSection } from './settings-learning';
import { isValidUrl, LlmSection, type ApiKeyChange } from './settings-llm';
import { useAiSettings, useUpdateAiSettings } from './use-ai';

export function AiSettingsPanel() {
  const { t } = useTranslation();
  const settings = useAiSettings();
  if (settings.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={t('common.loading')} />
      </Center>
    );
  }
  if (settings.isError) {
    return (
      <Alert color="red" title={t('ai.settings.loadFailed')}>
        {errorMessage(settings.error)}
      </Alert>
    );
  }
  return <AiSettingsForm saved={settings.data} />;
}

function toForm({ llmApiKeySet: _set, builtInHandoverKeywords: _builtIn, ...settings }: AiSettingsResponse): AiSettings {
  return settings;
}

const blankToNull = (v: string | null) => v?.trim() || null;
const NO_KEY_CHANGE: ApiKeyChange = { value: '', clear: false };

function AiSettingsForm({ saved }: { saved: AiSettingsResponse }) {
  const { t } = useTranslation();
  const readOnly = !useHasPermission('ai.manage');
  const update = useUpdateAiSettings();
  const [form, setForm] = useState<AiSettings>(() => toForm(saved));
  const [apiKey, setApiKey] = useState<ApiKeyChange>(NO_KEY_CHANGE);
  const set = (patch: Partial<AiSettings>) => setForm((f) => ({ ...f, ...patch }));
  const dirty = JSON.stringify(form) !== JSON.stringify(toForm(saved)) || apiKey.clear || apiKey.value.trim() !== '';
  const messages = [form.handoverMessage, form.waitingMessage, form.takenMessage, form.greetingTemplate];
  const baseUrl = blankToNull(form.llm.baseUrl);
  const invalid = messages.some((m) => !m.ru.trim() || !m.en.trim()) || (baseUrl !== null && !isValidUrl(baseUrl));

  const reset = () => {
    setForm(toForm(saved));
    setApiKey(NO_KEY_CHANGE);
    update.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (invalid || readOnly) return;
    const { llm } = form;
    const patch: UpdateAiSettingsRequest = {
      ...form,
      llm: { ...llm, baseUrl, chatModel: blankToNull(llm.chatModel), embeddingModel: blankToNull(llm.embeddingModel) },
      ...(apiKey.clear ? { llmApiKey: null } : apiKey.value.trim() ? { llmApiKey: apiKey.value.trim() } : {}),
    };
    update.mutate(patch, {
      onSuccess: (next) => {
        setForm(toForm(next));
        setApiKey(NO_KEY_CHANGE);
        notifySuccess(t('ai.settings.saved'));
      },
    });
  };

  const sectionProps = { form, set, readOnly };
  return (
    <form onSubmit={submit} noValidate data-testid="ai-settings-form">
      <Stack gap="md" maw={900}>
        {readOnly && <Alert color="gray">{t('ai.settings.readOnly')}</Alert>}
        <Section title={t('ai.settings.answering')}>
          <AnsweringSection {...sectionProps} />
        </Section>
        <Section title={t('ai.settings.handover')}>
          <HandoverSection {...sectionProps} builtInKeywords={saved.builtInHandoverKeywords} />
        </Section>
        <Section title={t('aiLoop.settings.section')}>
          <SourcesLearningSection {...sectionProps} />
        </Section>
        <Section title={t('ai.settings.llm')} description={t('ai.settings.llmHint')}>
          <LlmSection {...sectionProps} keySet={saved.llmApiKeySet} apiKey={apiKey} onApiKey={setApiKey} />
        </Section>
        {update.isError && (
          <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="ai-settings-error">
            {errorMessage(update.error)}
          </Alert>
        )}
        {!readOnly && (
          // Sticks to the bottom of the screen only while there is something to save.
          <Paper
            withBorder
            p="sm"
            shadow={dirty ? 'md' : undefined}
            style={dirty ? { position: 'sticky', bottom: 12, zIndex: 2 } : undefined}
          >
            <Group justify="space-between">
              <Text fz="sm" c={dirty ? undefined : 'dimmed'}>
                {dirty ? t('ai.settings.unsaved') : t('ai.settings.upToDate')}
              </Text>
              <Group gap="xs">
                <Button variant="default" onClick={reset} disabled={!dirty || update.isPending}>
                  {t('ai.settings.reset')}
                </Button>
                <Button type="submit" loading={update.isPending} disabled={!dirty || invalid} data-testid="ai-settings-save">
                  {t('common.save')}
                </Button>
              </Group>
            </Group>
          </Paper>
        )}
      </Stack>
    </form>
  );
}

function Section({ title, description, children }: { title: string; description?: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg">
      <Title order={2} fz="lg" mb={description ? 2 : 'md'}>
        {title}
      </Title>
      {description && (
        <Text fz="sm" c="dimmed" mb="md">
          {description}
        </Text>
      )}
      {children}
    </Card>
  );
}
