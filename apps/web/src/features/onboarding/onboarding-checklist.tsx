import { Anchor, Button, Group, Paper, Progress, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { onboardingSteps, type OnboardingStep, type Permission } from '@switchboard/shared';
import { IconCheck, IconCircleDashed } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCan } from '../auth/permissions';
import { useOnboarding } from './use-onboarding';

/** Where each step is done, and who may do it. */
const STEP: Record<OnboardingStep, { to: string; permission: Permission }> = {
  channel: { to: '/channels', permission: 'channel.manage' },
  knowledge: { to: '/knowledge', permission: 'knowledge.manage' },
  teammate: { to: '/team', permission: 'user.manage' },
  reply: { to: '/inbox', permission: 'conversation.reply' },
};

/** First steps of a new account, shown in the inbox until every one is done. */
export function OnboardingChecklist() {
  const { t } = useTranslation();
  const can = useCan();
  const status = useOnboarding();
  if (!status.data || status.data.done) return null;
  const steps = status.data.steps;
  const done = onboardingSteps.filter((s) => steps[s]).length;
  return (
    <Paper withBorder radius="md" p="lg" w="100%" maw={520} data-testid="onboarding-checklist">
      <Stack gap="sm">
        <Title order={2} fz="h4">
          {t('onboarding.title')}
        </Title>
        <Text fz="sm" c="dimmed">
          {t('onboarding.intro')}
        </Text>
        <Progress
          value={(done / onboardingSteps.length) * 100}
          size="sm"
          aria-label={t('onboarding.progress', { done, total: onboardingSteps.length })}
        />
        {onboardingSteps.map((step) => {
          const isDone = steps[step];
          const allowed = can(STEP[step].permission);
          return (
            <Group
              key={step}
              gap="sm"
              wrap="nowrap"
              align="flex-start"
              data-testid={`onboarding-step-${step}`}
              data-done={isDone || undefined}
            >
              <ThemeIcon radius="xl" size="md" variant={isDone ? 'filled' : 'light'} color={isDone ? 'teal' : 'gray'}>
                {isDone ? <IconCheck size={16} /> : <IconCircleDashed size={16} />}
              </ThemeIcon>
              <Stack gap={2} style={{ flex: 1 }}>
                <Text fw={500} td={isDone ? 'line-through' : undefined} c={isDone ? 'dimmed' : undefined}>
                  {t(`onboarding.steps.${step}.title`)}
                </Text>
                {!isDone && (
                  <Text fz="sm" c="dimmed">
                    {allowed ? t(`onboarding.steps.${step}.text`) : t('onboarding.askAdmin')}
                  </Text>
                )}
              </Stack>
              {!isDone && allowed && step !== 'reply' && (
                <Anchor component={Link} to={STEP[step].to} fz="sm" data-testid={`onboarding-go-${step}`}>
                  {t(`onboarding.steps.${step}.action`)}
                </Anchor>
              )}
            </Group>
          );
        })}
      </Stack>
    </Paper>
  );
}

/** The empty inbox of an account no customer has written to yet: where to start. */
export function FirstRunInbox() {
  const { t } = useTranslation();
  const can = useCan();
  return (
    <Stack align="center" gap="sm" p="lg" pt={40} data-testid="inbox-first-run">
      <Text fw={600} ta="center">
        {t('onboarding.emptyInbox.title')}
      </Text>
      <Text c="dimmed" fz="sm" ta="center" maw={300}>
        {t('onboarding.emptyInbox.text')}
      </Text>
      {can('channel.manage') ? (
        <Button component={Link} to="/channels" size="sm" data-testid="first-run-connect-channel">
          {t('onboarding.steps.channel.action')}
        </Button>
      ) : (
        <Text c="dimmed" fz="sm" ta="center">
          {t('onboarding.askAdmin')}
        </Text>
      )}
      {can('knowledge.manage') && (
        <Button component={Link} to="/knowledge" size="sm" variant="light" data-testid="first-run-knowledge">
          {t('onboarding.steps.knowledge.action')}
        </Button>
      )}
    </Stack>
  );
}
