import { Alert, Button, Checkbox, Group, Modal, Stack, TextInput } from '@mantine/core';
import { IconAlertCircle, IconInfoCircle } from '@tabler/icons-react';
import { webhookEventTypes, type WebhookEndpoint, type WebhookEventType } from '@switchboard/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../lib/notify';
import { EndpointSecret } from './endpoint-secret';
import { eventLabel } from './webhook-labels';
import { useCreateEndpoint, useUpdateEndpoint } from './use-webhooks';

interface Props {
  opened: boolean;
  onClose: () => void;
  /** Edit this endpoint; absent = add a new one (its secret is shown once after saving). */
  endpoint?: WebhookEndpoint | null;
}

const isEventType = (e: string): e is WebhookEventType => (webhookEventTypes as readonly string[]).includes(e);

export function EndpointFormModal({ opened, onClose, endpoint }: Props) {
  const { t } = useTranslation();
  const create = useCreateEndpoint();
  const update = useUpdateEndpoint({ inlineErrors: true });
  const editing = Boolean(endpoint);
  const channelManaged = Boolean(endpoint?.channelId);
  const [url, setUrl] = useState(endpoint?.url ?? '');
  const [description, setDescription] = useState(endpoint?.description ?? '');
  const [events, setEvents] = useState<string[]>(endpoint?.events.filter(isEventType) ?? ['message.created']);
  const created = create.data;
  const mutation = editing ? update : create;

  const clear = () => {
    create.reset();
    update.reset();
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const chosen = events.filter(isEventType);
    if (endpoint) {
      const patch = channelManaged
        ? { description: description.trim() || null }
        : { url: url.trim(), description: description.trim() || null, events: chosen };
      update.mutate({ id: endpoint.id, patch }, { onSuccess: onClose });
    } else {
      create.mutate({ url: url.trim(), events: chosen, ...(description.trim() ? { description: description.trim() } : {}) });
    }
  };

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      onExitTransitionEnd={clear}
      title={created ? t('webhooks.secret.createdTitle') : editing ? t('webhooks.form.editTitle') : t('webhooks.form.createTitle')}
      centered
      size="lg"
      closeOnClickOutside={!created}
    >
      {created ? (
        <EndpointSecret endpoint={created} onDone={onClose} />
      ) : (
        <form onSubmit={submit} noValidate>
          <Stack>
            {mutation.isError && (
              <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
                {errorMessage(mutation.error)}
              </Alert>
            )}
            {channelManaged && (
              <Alert color="blue" icon={<IconInfoCircle size={18} />}>
                {t('webhooks.form.channelManaged')}
              </Alert>
            )}
            <TextInput
              label={t('webhooks.form.url')}
              description={t('webhooks.form.urlHint')}
              placeholder="https://example.com/switchboard/webhook"
              required
              type="url"
              maxLength={2000}
              value={url}
              disabled={channelManaged}
              onChange={(e) => setUrl(e.currentTarget.value)}
              data-autofocus
              data-testid="webhook-url-input"
            />
            <TextInput
              label={t('webhooks.form.description')}
              placeholder={t('webhooks.form.descriptionPlaceholder')}
              maxLength={200}
              value={description}
              onChange={(e) => setDescription(e.currentTarget.value)}
            />
            {!channelManaged && (
              <Checkbox.Group
                label={t('webhooks.form.events')}
                description={t('webhooks.form.eventsHint')}
                value={events}
                onChange={setEvents}
                required
              >
                <Stack gap={6} mt="xs">
                  {webhookEventTypes.map((type) => (
                    <Checkbox
                      key={type}
                      value={type}
                      label={eventLabel(t, type)}
                      description={type}
                      data-testid={`webhook-event-${type}`}
                    />
                  ))}
                </Stack>
              </Checkbox.Group>
            )}
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button
                type="submit"
                loading={mutation.isPending}
                disabled={!url.trim() || (!channelManaged && events.length === 0)}
                data-testid="webhook-submit"
              >
                {editing ? t('common.save') : t('webhooks.form.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
