import { Alert, Button, Group, Modal, PasswordInput, Stack, Switch, TextInput } from '@mantine/core';
import { IconAlertCircle, IconBrandTelegram } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../lib/notify';
import type { ChannelMode } from './channels.api';
import { BOT_TOKEN_PATTERN, ModeField } from './channel-form-fields';
import { useCreateChannel } from './use-channels';

export function AddChannelModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const create = useCreateChannel();
  const [name, setName] = useState('');
  const [botToken, setBotToken] = useState('');
  const [mode, setMode] = useState<ChannelMode>('webhook');
  const [assistant, setAssistant] = useState(false);
  const [touched, setTouched] = useState(false);

  const tokenValid = BOT_TOKEN_PATTERN.test(botToken.trim());
  const nameError = touched && !name.trim() ? t('channels.form.nameRequired') : undefined;
  const tokenError = touched && !tokenValid ? t('channels.form.tokenInvalid') : undefined;

  const clear = () => {
    create.reset();
    setName('');
    setBotToken('');
    setMode('webhook');
    setAssistant(false);
    setTouched(false);
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!name.trim() || !tokenValid) return;
    create.mutate(
      { type: 'telegram', name: name.trim(), config: { botToken: botToken.trim(), mode, assistant: { enabled: assistant } } },
      {
        onSuccess: (channel) => {
          notifySuccess(t('channels.added', { name: channel.name }));
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={onClose} onExitTransitionEnd={clear} title={t('channels.addTelegram')} centered size="md">
      <form onSubmit={submit} noValidate data-testid="channel-add-form">
        <Stack>
          {create.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="channel-add-error">
              {errorMessage(create.error)}
            </Alert>
          )}
          <TextInput
            label={t('channels.form.name')}
            description={t('channels.form.nameHint')}
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={nameError}
            data-autofocus
            data-testid="channel-name-input"
          />
          <PasswordInput
            label={t('channels.form.botToken')}
            description={t('channels.form.botTokenHint')}
            required
            autoComplete="off"
            value={botToken}
            onChange={(e) => setBotToken(e.currentTarget.value)}
            error={tokenError}
            data-testid="channel-token-input"
          />
          <ModeField value={mode} onChange={setMode} />
          <Switch
            color="violet"
            label={t('channels.form.assistant')}
            description={t('channels.form.assistantHint')}
            checked={assistant}
            onChange={(e) => setAssistant(e.currentTarget.checked)}
            data-testid="channel-assistant-input"
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} leftSection={<IconBrandTelegram size={16} />} data-testid="channel-add-submit">
              {t('channels.connect')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
