import { Badge, Checkbox, Group, Input, NumberInput, PasswordInput, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SectionProps } from './settings-sections';

/** What happens to the stored API key on save. */
export interface ApiKeyChange {
  value: string;
  clear: boolean;
}

interface Props extends SectionProps {
  keySet: boolean;
  apiKey: ApiKeyChange;
  onApiKey: (change: ApiKeyChange) => void;
}

export function isValidUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, a gateway); the key is write-only. */
export function LlmSection({ form, set, readOnly, keySet, apiKey, onApiKey }: Props) {
  const { t } = useTranslation();
  const llm = form.llm;
  const setLlm = (patch: Partial<typeof llm>) => set({ llm: { ...llm, ...patch } });
  const baseUrl = llm.baseUrl?.trim() ?? '';
  return (
    <Stack gap="md">
      <TextInput
        label={t('ai.settings.baseUrl')}
        description={t('ai.settings.baseUrlHint')}
        placeholder="https://api.openai.com/v1"
        disabled={readOnly}
        value={llm.baseUrl ?? ''}
        onChange={(e) => setLlm({ baseUrl: e.currentTarget.value })}
        error={baseUrl && !isValidUrl(baseUrl) ? t('ai.settings.baseUrlInvalid') : undefined}
        data-testid="ai-llm-base-url"
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} style={{ alignItems: 'end' }}>
        <TextInput
          label={t('ai.settings.chatModel')}
          placeholder="gpt-4o-mini"
          maxLength={200}
          disabled={readOnly}
          value={llm.chatModel ?? ''}
          onChange={(e) => setLlm({ chatModel: e.currentTarget.value })}
        />
        <TextInput
          label={t('ai.settings.embeddingModel')}
          description={t('ai.settings.embeddingModelHint')}
          placeholder="text-embedding-3-small"
          maxLength={200}
          disabled={readOnly}
          value={llm.embeddingModel ?? ''}
          onChange={(e) => setLlm({ embeddingModel: e.currentTarget.value })}
        />
      </SimpleGrid>
      <NumberInput
        label={t('ai.settings.timeout')}
        w={260}
        min={1}
        max={120}
        allowDecimal={false}
        disabled={readOnly}
        value={Math.round(llm.timeoutMs / 1000)}
        onChange={(v) => typeof v === 'number' && setLlm({ timeoutMs: v * 1000 })}
        suffix={` ${t('ai.settings.seconds')}`}
      />
      <Input.Wrapper
        label={
          <Group gap={6} component="span">
            {t('ai.settings.apiKey')}
            <Badge size="sm" variant="light" color={keySet ? 'teal' : 'gray'} data-testid="ai-api-key-state">
              {keySet ? t('ai.settings.apiKeySet') : t('ai.settings.apiKeyNotSet')}
            </Badge>
          </Group>
        }
        description={t('ai.settings.apiKeyHint')}
      >
        <Stack gap="xs" mt={6}>
          <PasswordInput
            aria-label={t('ai.settings.apiKeyNew')}
            placeholder={keySet ? t('ai.settings.apiKeyReplace') : t('ai.settings.apiKeyNew')}
            autoComplete="off"
            maxLength={500}
            disabled={readOnly || apiKey.clear}
            value={apiKey.value}
            onChange={(e) => onApiKey({ value: e.currentTarget.value, clear: false })}
            data-testid="ai-api-key"
          />
          {keySet && (
            <Checkbox
              label={t('ai.settings.apiKeyClear')}
              disabled={readOnly}
              checked={apiKey.clear}
              onChange={(e) => onApiKey({ value: '', clear: e.currentTarget.checked })}
              data-testid="ai-api-key-clear"
            />
          )}
        </Stack>
      </Input.Wrapper>
    </Stack>
  );
}
