import { ActionIcon, Alert, Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconAlertCircle, IconArrowLeft, IconCircleCheck } from '@tabler/icons-react';
import type { Channel, ChannelType, CreateChannelRequest } from '@switchboard/shared';
import { useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ChannelIcon } from '../../components/channel-icon';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { ChannelConfigFields } from './channel-config-fields';
import { ChannelFacts } from './channel-facts';
import { fieldsOf, NEEDS_SETUP_STEP, type FieldValue, type FormValues } from './channel-fields';
import { buildConfig, initialValues, serverFieldErrors, type FieldErrors } from './channel-form-values';
import { validateConfig } from './channel-form-validate';
import { ChannelTypePicker } from './channel-type-picker';
import { useCreateChannel } from './use-channels';

type Step = { kind: 'type' } | { kind: 'form'; type: ChannelType } | { kind: 'done'; channel: Channel };

/** Adding a channel: pick a type, fill its settings (checked with the shared schema), then the setup facts if any. */
export function AddChannelModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>({ kind: 'type' });
  const title =
    step.kind === 'type'
      ? t('channels.add')
      : step.kind === 'form'
        ? t('channels.connectType', { type: t(`channels.types.${step.type}.name`) })
        : t('channels.addedTitle', { name: step.channel.name });

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={() => setStep({ kind: 'type' })}
      title={
        <Group gap="xs" wrap="nowrap">
          {step.kind === 'form' && (
            <ActionIcon variant="subtle" color="gray" onClick={() => setStep({ kind: 'type' })} aria-label={t('channels.backToTypes')}>
              <IconArrowLeft size={18} />
            </ActionIcon>
          )}
          {step.kind !== 'type' && <ChannelIcon type={step.kind === 'form' ? step.type : step.channel.type} size={20} />}
          <Text fw={600}>{title}</Text>
        </Group>
      }
      centered
      size={step.kind === 'form' && step.type === 'email' ? 'xl' : 'lg'}
    >
      {step.kind === 'type' && <ChannelTypePicker onPick={(type) => setStep({ kind: 'form', type })} />}
      {step.kind === 'form' && (
        <AddChannelForm
          key={step.type}
          type={step.type}
          onCancel={onClose}
          onCreated={(channel) => (NEEDS_SETUP_STEP.includes(channel.type) ? setStep({ kind: 'done', channel }) : onClose())}
        />
      )}
      {step.kind === 'done' && <SetupStep channel={step.channel} onClose={onClose} />}
    </Modal>
  );
}

function AddChannelForm({ type, onCancel, onCreated }: { type: ChannelType; onCancel: () => void; onCreated: (c: Channel) => void }) {
  const { t } = useTranslation();
  const create = useCreateChannel();
  const fields = useMemo(() => fieldsOf(type), [type]);
  const [name, setName] = useState('');
  const [values, setValues] = useState<FormValues>(() => initialValues(fields));
  const [submitted, setSubmitted] = useState(false);

  const config = buildConfig(fields, values);
  // Errors appear after the first attempt and then follow the input; the server's stay until the next attempt.
  const clientErrors: FieldErrors = submitted ? validateConfig(t, type, fields, config) : {};
  const errors: FieldErrors = { ...serverFieldErrors(fields, create.error), ...clientErrors };
  const nameError = submitted && !name.trim() ? t('channels.form.nameRequired') : undefined;

  const change = (key: string, value: FieldValue) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!name.trim() || Object.keys(validateConfig(t, type, fields, config)).length > 0) return;
    // The schema is the server's too: the config has the shape of this type's request.
    const input = { type, name: name.trim(), config } as CreateChannelRequest;
    create.mutate(input, {
      onSuccess: (channel) => {
        notifySuccess(t('channels.added', { name: channel.name }));
        onCreated(channel);
      },
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="channel-add-form" data-type={type}>
      <Stack>
        <Text fz="sm" c="dimmed">
          {t(`channels.types.${type}.setup`)}
        </Text>
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
        <ChannelConfigFields fields={fields} values={values} errors={errors} onChange={change} />
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            loading={create.isPending}
            leftSection={<ChannelIcon type={type} size={16} />}
            data-testid="channel-add-submit"
          >
            {t('channels.connect')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** What to do on the other side now: paste the webhook URL into Meta, embed the widget, call the API. */
function SetupStep({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Stack data-testid="channel-setup-step">
      <Alert color="green" variant="light" icon={<IconCircleCheck size={18} />}>
        {t(`channels.types.${channel.type}.next`)}
      </Alert>
      <ChannelFacts channel={channel} />
      <Group justify="flex-end">
        <Button onClick={onClose} data-testid="channel-add-done">
          {t('channels.done')}
        </Button>
      </Group>
    </Stack>
  );
}
