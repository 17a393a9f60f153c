import { Badge, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconShieldCheck } from '@tabler/icons-react';
import type { TwoFactorSetup } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageLoader } from '../../components/page-states';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { RecoveryCodes } from '../auth/recovery-codes';
import { TwoFactorQr } from '../auth/two-factor-qr';
import { Section } from './profile-page';
import { useNewRecoveryCodes, useTwoFactorConfirm, useTwoFactorDisable, useTwoFactorSetup, useTwoFactorStatus } from './use-profile';

/** Two-factor sign-in: set up an authenticator (QR), see recovery codes once, renew them, turn it off. */
export function TwoFactorCard() {
  const { t } = useTranslation();
  const status = useTwoFactorStatus();
  const setup = useTwoFactorSetup();
  const confirm = useTwoFactorConfirm();
  const disable = useTwoFactorDisable();
  const renew = useNewRecoveryCodes();
  const [pending, setPending] = useState<TwoFactorSetup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState('');
  const [mode, setMode] = useState<'disable' | 'renew' | null>(null);
  const error = setup.error ?? confirm.error ?? disable.error ?? renew.error;

  const on = status.data?.enabled ?? false;
  return (
    <Section title={t('people.twoFactor.title')} description={t('people.twoFactor.text')} testId="profile-two-factor">
      {status.isPending && <PageLoader />}
      {status.isSuccess && (
        <Group gap="xs">
          {on ? (
            <Badge color="teal" leftSection={<IconShieldCheck size={12} />} data-testid="two-factor-on">
              {t('people.team.on')}
            </Badge>
          ) : (
            <Badge color="gray" data-testid="two-factor-off">
              {t('people.team.off')}
            </Badge>
          )}
          {on && (
            <Text fz="sm" c="dimmed">
              {t('people.twoFactor.codesLeft', { count: status.data.recoveryCodesLeft })}
            </Text>
          )}
          {status.data.required && (
            <Text fz="sm" c="orange">
              {t('people.twoFactor.requiredByAccount')}
            </Text>
          )}
        </Group>
      )}
      {error && (
        <Text c="red" fz="sm" role="alert">
          {errorMessage(error)}
        </Text>
      )}
      {codes && (
        <>
          <RecoveryCodes codes={codes} />
          <Group>
            <Button variant="default" onClick={() => setCodes(null)} data-testid="recovery-codes-done">
              {t('people.twoFactor.savedContinue')}
            </Button>
          </Group>
        </>
      )}
      {!codes && status.isSuccess && !on && !pending && (
        <Group>
          <Button
            onClick={() => setup.mutate(undefined, { onSuccess: setPending })}
            loading={setup.isPending}
            data-testid="two-factor-setup"
          >
            {t('people.twoFactor.turnOn')}
          </Button>
        </Group>
      )}
      {!codes && pending && (
        <Stack gap="sm">
          <TwoFactorQr uri={pending.uri} secret={pending.secret} />
          <Group align="flex-end">
            <TextInput
              label={t('people.twoFactor.code')}
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={7}
              value={code}
              onChange={(e) => setCode(e.currentTarget.value)}
              data-testid="two-factor-confirm-code"
            />
            <Button
              loading={confirm.isPending}
              onClick={() =>
                confirm.mutate(code.replace(/\s/g, ''), {
                  onSuccess: (r) => {
                    setPending(null);
                    setCode('');
                    setCodes(r.recoveryCodes);
                  },
                })
              }
              data-testid="two-factor-confirm"
            >
              {t('people.twoFactor.verify')}
            </Button>
          </Group>
        </Stack>
      )}
      {!codes && on && (
        <Stack gap="sm">
          {mode ? (
            <Group align="flex-end">
              <TextInput
                label={t('people.twoFactor.code')}
                inputMode="numeric"
                maxLength={7}
                value={code}
                onChange={(e) => setCode(e.currentTarget.value)}
                data-testid="two-factor-action-code"
              />
              <Button
                color={mode === 'disable' ? 'red' : undefined}
                loading={disable.isPending || renew.isPending}
                onClick={() => {
                  const c = code.replace(/\s/g, '');
                  const done = () => {
                    setMode(null);
                    setCode('');
                  };
                  if (mode === 'disable')
                    disable.mutate(c, {
                      onSuccess: () => {
                        done();
                        notifySuccess(t('people.twoFactor.turnedOff'));
                      },
                    });
                  else
                    renew.mutate(c, {
                      onSuccess: (r) => {
                        done();
                        setCodes(r.recoveryCodes);
                      },
                    });
                }}
              >
                {mode === 'disable' ? t('people.twoFactor.turnOff') : t('people.twoFactor.renewCodes')}
              </Button>
              <Button variant="default" onClick={() => setMode(null)}>
                {t('common.cancel')}
              </Button>
            </Group>
          ) : (
            <Group>
              <Button variant="light" onClick={() => setMode('renew')}>
                {t('people.twoFactor.renewCodes')}
              </Button>
              {!status.data?.required && (
                <Button variant="subtle" color="red" onClick={() => setMode('disable')} data-testid="two-factor-disable">
                  {t('people.twoFactor.turnOff')}
                </Button>
              )}
            </Group>
          )}
        </Stack>
      )}
    </Section>
  );
}
