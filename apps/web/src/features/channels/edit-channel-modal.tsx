import { Alert, Button, Group, Modal, PasswordInput, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { Channel } from '@switchboard/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { channelSettings, type ChannelMode, type UpdateChannelInput } from './channels.api';
import { BOT_TOKEN_PATTERN, ModeField } from './channel-form-fields';
import { useUpdateChannel } from './use-channels';

/** Rename; changing the mode or the token reconnects the channel (the server checks the token again). */
export function EditChannelModal({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateChannel({ inlineErrors: true });
  const initialMode = channelSettings(channel).mode ?? 'webhook';
  const [name, setName] = useState(channel.name);
  const [mode, setMode] = useState<ChannelMode>(initialMode);
  const [botToken, setBotToken] = useState('');

  const token = botToken.trim();
  const tokenError = token && !BOT_TOKEN_PATTERN.test(token) ? t('channels.form.tokenInvalid') : undefined;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!name.trim() || tokenError) return;
    const input: UpdateChannelInput = {};
    if (name.trim() !== channel.name) input.name = name.trim();
    if (mode !== initialMode || token) input.config = { ...(mode !== initialMode ? { mode } : {}), ...(token ? { botToken: token } : {}) };
    if (!input.name && !input.config) {
      onClose();
      return;
    }
    update.mutate(
      { id: channel.id, input },
      {
        onSuccess: (saved) => {
          notifySuccess(t('channels.saved', { name: saved.name }));
          onClose();
        },
      },
    );
  };

  return (
    <Modal opened onClose={onClose} title={t('channels.editTitle', { name: channel.name })} centered>
      <form onSubmit={submit} noValidate>
        <Stack>
          {update.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
              {errorMessage(update.error)}
            </Alert>
          )}
          <TextInput
            label={t('channels.form.name')}
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={!name.trim() ? t('channels.form.nameRequired') : undefined}
            data-autofocus
          />
          <ModeField value={mode} onChange={setMode} />
          <PasswordInput
            label={t('channels.form.newBotToken')}
            description={t('channels.form.newBotTokenHint')}
            autoComplete="off"
            value={botToken}
            onChange={(e) => setBotToken(e.currentTarget.value)}
            error={tokenError}
          />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
