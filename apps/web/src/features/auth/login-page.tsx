import { Alert, Anchor, Box, Button, Center, Checkbox, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import type { LoginResponse, TwoFactorChallenge } from '@switchboard/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { Brand } from '../../components/brand';
import { LanguageSwitcher } from '../../components/language-switcher';
import { errorMessage } from '../../lib/notify';
import { RecoveryCodes } from './recovery-codes';
import { TwoFactorEnrolment } from './two-factor-enrolment';
import { adoptSession, useLogin, useLoginSecondStep, useSessionQuery } from './use-session';
import { SignupLink } from '../platform/signup-page';

/** Only same-site paths: `?next=//evil.example` must not redirect away. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The frame every signed-out page shares: language switcher, brand, a card. */
export function AuthFrame({ children, onSubmit }: { children: ReactNode; onSubmit?: (e: FormEvent) => void }) {
  return (
    <Box mih="100%" bg="var(--mantine-color-gray-light)">
      <Group justify="flex-end" p="md">
        <LanguageSwitcher />
      </Group>
      <Center pt="6vh" px="md" pb="xl">
        <Paper component={onSubmit ? 'form' : 'div'} onSubmit={onSubmit} withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={420}>
          <Stack gap="md">
            <Brand size="lg" />
            {children}
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const session = useSessionQuery();
  const loginMutation = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<TwoFactorChallenge | null>(null);

  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;
  if (challenge) return <SecondStep challenge={challenge} onRestart={() => setChallenge(null)} />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    loginMutation.mutate({ email: email.trim(), password }, { onSuccess: (res) => 'twoFactorRequired' in res && setChallenge(res) });
  };

  return (
    <AuthFrame onSubmit={submit}>
      <div>
        <Title order={2} fz="h3">
          {t('auth.title')}
        </Title>
        <Text c="dimmed" fz="sm">
          {t('auth.subtitle')}
        </Text>
      </div>
      {loginMutation.isError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="login-error">
          {errorMessage(loginMutation.error)}
        </Alert>
      )}
      <TextInput
        label={t('auth.email')}
        type="email"
        autoComplete="username"
        required
        autoFocus
        value={email}
        onChange={(e) => setEmail(e.currentTarget.value)}
        data-testid="login-email"
      />
      <PasswordInput
        label={t('auth.password')}
        autoComplete="current-password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
        data-testid="login-password"
      />
      <Button type="submit" fullWidth loading={loginMutation.isPending} data-testid="login-submit">
        {t('auth.submit')}
      </Button>
      <Anchor component={Link} to="/forgot-password" fz="sm" ta="center" data-testid="forgot-password-link">
        {t('people.reset.forgot')}
      </Anchor>
      <SignupLink />
    </AuthFrame>
  );
}

/** The second step: a code from the authenticator (or a recovery code), or enrolment when the account requires it. */
function SecondStep({ challenge, onRestart }: { challenge: TwoFactorChallenge; onRestart: () => void }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const step = useLoginSecondStep();
  const [code, setCode] = useState('');
  const [useRecovery, setUseRecovery] = useState(false);
  const [remember, setRemember] = useState(false);
  const [issued, setIssued] = useState<{ codes: string[]; session: LoginResponse } | null>(null);

  if (issued) {
    return (
      <AuthFrame>
        <RecoveryCodes codes={issued.codes} />
        <Button onClick={() => adoptSession(qc, issued.session)} data-testid="recovery-codes-continue">
          {t('people.twoFactor.savedContinue')}
        </Button>
      </AuthFrame>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const body = useRecovery
      ? { challenge: challenge.challenge, recoveryCode: code.trim(), rememberDevice: remember }
      : { challenge: challenge.challenge, code: code.replace(/\s/g, ''), rememberDevice: remember };
    step.mutate(body, {
      onSuccess: (res) => {
        if (res.recoveryCodes?.length) setIssued({ codes: res.recoveryCodes, session: res });
        else adoptSession(qc, res);
      },
    });
  };
  const expired = step.error && 'code' in step.error && step.error.code === 'two_factor_challenge_invalid';

  return (
    <AuthFrame onSubmit={submit}>
      <div>
        <Title order={2} fz="h3">
          {challenge.enrolmentRequired ? t('people.twoFactor.enrolTitle') : t('people.twoFactor.stepTitle')}
        </Title>
        <Text c="dimmed" fz="sm">
          {challenge.enrolmentRequired
            ? t('people.twoFactor.enrolText')
            : useRecovery
              ? t('people.twoFactor.recoveryText')
              : t('people.twoFactor.stepText')}
        </Text>
      </div>
      {challenge.enrolmentRequired && <TwoFactorEnrolment challenge={challenge.challenge} />}
      {step.isError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="two-factor-error">
          {errorMessage(step.error)}
        </Alert>
      )}
      {useRecovery ? (
        <TextInput
          label={t('people.twoFactor.recoveryCode')}
          autoComplete="off"
          required
          autoFocus
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="two-factor-recovery"
        />
      ) : (
        <TextInput
          label={t('people.twoFactor.code')}
          inputMode="numeric"
          autoComplete="one-time-code"
          maxLength={7}
          required
          autoFocus
          value={code}
          onChange={(e) => setCode(e.currentTarget.value)}
          data-testid="two-factor-code"
        />
      )}
      <Checkbox
        label={t('people.twoFactor.remember')}
        checked={remember}
        onChange={(e) => setRemember(e.currentTarget.checked)}
        data-testid="two-factor-remember"
      />
      <Button type="submit" fullWidth loading={step.isPending} data-testid="two-factor-submit">
        {t('people.twoFactor.verify')}
      </Button>
      <Group justify="space-between">
        {!challenge.enrolmentRequired && (
          <Anchor
            component="button"
            type="button"
            fz="sm"
            onClick={() => {
              setUseRecovery(!useRecovery);
              setCode('');
            }}
            data-testid="two-factor-toggle-recovery"
          >
            {useRecovery ? t('people.twoFactor.useApp') : t('people.twoFactor.useRecovery')}
          </Anchor>
        )}
        {expired && (
          <Anchor component="button" type="button" fz="sm" onClick={onRestart}>
            {t('people.twoFactor.restart')}
          </Anchor>
        )}
      </Group>
    </AuthFrame>
  );
}
