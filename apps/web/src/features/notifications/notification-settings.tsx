import { Alert, Button, Card, Checkbox, Group, NumberInput, Select, Stack, Switch, Table, Text, TextInput, Title } from '@mantine/core';
import { NOTIFICATION_KINDS, type KindMedia, type NotificationKind, type NotificationSettings } from '@switchboard/shared';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifyError, notifySuccess } from '../../lib/notify';
import { disablePush, enablePush, pushState, type PushState } from './push';
import { usePreferences, useSavePreferences } from './use-notifications';

const MEDIA = ['inApp', 'push', 'email', 'telegram'] as const;
/** Managers' and the not-yet-available kinds are shown to those they concern. */
const MANAGER_ONLY: NotificationKind[] = ['waiting_escalated'];

/** What reaches me by which medium, quiet hours, waiting thresholds, sound and title count. */
export function NotificationSettingsCard() {
  const { t } = useTranslation();
  const prefs = usePreferences();
  const save = useSavePreferences();
  const [draft, setDraft] = useState<NotificationSettings | null>(null);
  const [push, setPush] = useState<PushState>('off');

  useEffect(() => {
    if (prefs.data && !draft) setDraft(prefs.data.settings);
  }, [prefs.data, draft]);
  useEffect(() => {
    void pushState().then(setPush, () => setPush('unsupported'));
  }, []);

  if (!prefs.data || !draft) return null;
  const { media, manager } = prefs.data;
  const kinds = NOTIFICATION_KINDS.filter((k) => manager || !MANAGER_ONLY.includes(k));
  const setKind = (kind: NotificationKind, medium: keyof KindMedia, on: boolean) =>
    setDraft({ ...draft, events: { ...draft.events, [kind]: { ...draft.events[kind], [medium]: on } } });
  const dirty = JSON.stringify(draft) !== JSON.stringify(prefs.data.settings);

  const togglePush = async () => {
    try {
      setPush(push === 'subscribed' ? await disablePush() : await enablePush(media.push.publicKey));
    } catch (err) {
      notifyError(err);
    }
  };
  const submit = () =>
    save.mutate(draft, {
      onSuccess: (saved) => {
        setDraft(saved.settings);
        notifySuccess(t('notifications.settings.saved'));
      },
      onError: (err) => notifyError(err),
    });

  return (
    <Card withBorder padding="md" data-testid="notification-settings">
      <Title order={2} fz="h5" mb={4}>
        {t('notifications.settings.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('notifications.settings.description')}
      </Text>
      <Stack gap="md">
        <Group gap="sm">
          <Button
            size="xs"
            variant={push === 'subscribed' ? 'default' : 'filled'}
            disabled={push === 'unsupported' || push === 'denied'}
            onClick={() => void togglePush()}
            data-testid="push-toggle"
          >
            {push === 'subscribed' ? t('notifications.push.disable') : t('notifications.push.enable')}
          </Button>
          <Text size="xs" c="dimmed">
            {t(`notifications.push.state.${push}`)}
          </Text>
        </Group>
        {!media.email.available && (
          <Alert color="gray" p="xs">
            {t('notifications.settings.noEmail')}
          </Alert>
        )}
        {!media.telegram.linked && (
          <Alert color="gray" p="xs">
            {t('notifications.settings.noTelegram')}
          </Alert>
        )}
        <Table.ScrollContainer minWidth={340}>
          <Table verticalSpacing={6} horizontalSpacing={6} fz="sm" data-testid="notification-matrix">
            <Table.Thead>
              <Table.Tr>
                <Table.Th />
                {MEDIA.map((m) => (
                  <Table.Th key={m} ta="center" fz="xs">
                    {t(`notifications.media.${m}`)}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {kinds.map((kind) => (
                <Table.Tr key={kind}>
                  <Table.Td>{t(`notifications.kinds.${kind}`)}</Table.Td>
                  {MEDIA.map((m) => (
                    <Table.Td key={m}>
                      <Checkbox
                        mx="auto"
                        w="fit-content"
                        checked={draft.events[kind][m]}
                        onChange={(e) => setKind(kind, m, e.currentTarget.checked)}
                        aria-label={`${t(`notifications.kinds.${kind}`)}: ${t(`notifications.media.${m}`)}`}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <Switch
          label={t('notifications.settings.quiet')}
          description={t('notifications.settings.quietHint')}
          checked={draft.quietHours.enabled}
          onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, enabled: e.currentTarget.checked } })}
        />
        {draft.quietHours.enabled && (
          <Group gap="sm" align="flex-end" wrap="wrap">
            <TextInput
              type="time"
              w={120}
              label={t('notifications.settings.from')}
              value={draft.quietHours.from}
              onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, from: e.currentTarget.value } })}
            />
            <TextInput
              type="time"
              w={120}
              label={t('notifications.settings.to')}
              value={draft.quietHours.to}
              onChange={(e) => setDraft({ ...draft, quietHours: { ...draft.quietHours, to: e.currentTarget.value } })}
            />
            <Select
              w={220}
              searchable
              label={t('notifications.settings.zone')}
              placeholder={prefs.data.timeZone ?? 'UTC'}
              data={zones()}
              value={draft.quietHours.timeZone}
              onChange={(v) => setDraft({ ...draft, quietHours: { ...draft.quietHours, timeZone: v } })}
              clearable
            />
          </Group>
        )}
        <Group gap="md" wrap="wrap">
          <NumberInput
            w={220}
            min={1}
            max={1440}
            label={t('notifications.settings.waiting')}
            value={draft.waitingMinutes}
            onChange={(v) => setDraft({ ...draft, waitingMinutes: Number(v) || 1 })}
          />
          {manager && (
            <NumberInput
              w={220}
              min={5}
              max={10080}
              label={t('notifications.settings.escalation')}
              value={draft.escalationMinutes}
              onChange={(v) => setDraft({ ...draft, escalationMinutes: Number(v) || 5 })}
            />
          )}
        </Group>
        <Group gap="lg">
          <Switch
            label={t('notifications.settings.sound')}
            checked={draft.sound}
            onChange={(e) => setDraft({ ...draft, sound: e.currentTarget.checked })}
            data-testid="sound-switch"
          />
          <Switch
            label={t('notifications.settings.titleCount')}
            checked={draft.titleCount}
            onChange={(e) => setDraft({ ...draft, titleCount: e.currentTarget.checked })}
          />
        </Group>
        <Group>
          <Button disabled={!dirty} loading={save.isPending} onClick={submit} data-testid="notification-settings-save">
            {t('notifications.settings.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}

function zones(): string[] {
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  return intl.supportedValuesOf?.('timeZone') ?? ['UTC', 'Europe/Moscow'];
}
