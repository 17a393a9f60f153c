import { Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { Channel } from '@switchboard/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ChannelIcon } from '../../components/channel-icon';
import { errorMessage, notifySuccess } from '../../lib/notify';
import type { UpdateChannelInput } from './channels.api';
import { ChannelConfigFields } from './channel-config-fields';
import { fieldsOf, type FieldValue, type FormValues } from './channel-fields';
import { configPatch, initialValues, serverFieldErrors, type FieldErrors } from './channel-form-values';
import { validateConfig } from './channel-form-validate';
import { useUpdateChannel } from './use-channels';

/**
 * Any channel type: the non-secret settings prefilled, secrets empty (= keep). Only what changed is
 * sent; the server reconnects when credentials or connection settings change.
 */
export function EditChannelModal({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const { t } = useTranslation();
  const update = useUpdateChannel({ inlineErrors: true });
  const fields = useMemo(() => fieldsOf(channel.type), [channel.type]);
  // Frozen when the dialog opens: a live update of the channel must not move the baseline under the user.
  const [initial] = useState<FormValues>(() => initialValues(fields, channel));
  const [name, setName] = useState(channel.name);
  const [values, setValues] = useState<FormValues>(initial);
  const [submitted, setSubmitted] = useState(false);

  const { patch } = configPatch(fields, initial, values);
  // Removals (null) need no checking; what is set is checked against the type's schema.
  const fieldErrors = (): FieldErrors =>
    validateConfig(t, channel.type, fields, Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== null)), true);
  const errors: FieldErrors = { ...serverFieldErrors(fields, update.error), ...(submitted ? fieldErrors() : {}) };
  const change = (key: string, value: FieldValue) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim() || Object.keys(fieldErrors()).length > 0) return;
    const input: UpdateChannelInput = {};
    if (name.trim() !== channel.name) input.name = name.trim();
    if (Object.keys(patch).length > 0) input.config = patch;
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
    <Modal
      opened
      onClose={onClose}
      title={
        <Group gap="xs" wrap="nowrap">
          <ChannelIcon type={channel.type} size={20} />
          <Text fw={600}>{t('channels.editTitle', { name: channel.name })}</Text>
        </Group>
      }
      centered
      size={channel.type === 'email' ? 'xl' : 'lg'}
    >
      <form onSubmit={submit} noValidate data-testid="channel-edit-form">
        <Stack>
          <Text fz="sm" c="dimmed">
            {t('channels.form.editHint')}
          </Text>
          {update.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="channel-edit-error">
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
            data-testid="channel-name-input"
          />
          <ChannelConfigFields fields={fields} values={values} errors={errors} onChange={change} editing />
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={update.isPending} data-testid="channel-edit-submit">
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
