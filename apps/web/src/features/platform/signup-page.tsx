import { Alert, Anchor, Button, PasswordInput, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconMailCheck } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../lib/notify';
import { AuthFrame } from '../auth/login-page';
import { adoptSession } from '../auth/use-session';
import { confirmSignup, requestSignup, signupKey, signupStatus } from './signup.api';

/** "Create an account" under the sign-in form, only where the installation allows self-service sign-up. */
export function SignupLink() {
  const { t } = useTranslation();
  const status = useQuery({ queryKey: signupKey, queryFn: signupStatus, staleTime: Infinity, retry: false });
  if (!status.data?.enabled) return null;
  return (
    <Anchor component={Link} to="/signup" fz="sm" ta="center" data-testid="signup-link">
      {t('signup.link')}
    </Anchor>
  );
}

/** Self-service sign-up: the form, or (with the e-mailed `token`) the confirmation that creates the account. */
export function SignupPage() {
  const [params] = useSearchParams();
  const token = params.get('token');
  return token ? <ConfirmSignup token={token} /> : <SignupForm />;
}

function SignupForm() {
  const { t } = useTranslation();
  const [form, setForm] = useState({ accountName: '', name: '', email: '', password: '' });
  const request = useMutation({ mutationFn: requestSignup, meta: { inlineErrors: true } });
  const set = (key: keyof typeof form) => (e: { currentTarget: { value: string } }) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate({ ...form, accountName: form.accountName.trim(), name: form.name.trim(), email: form.email.trim() });
  };
  return (
    <AuthFrame onSubmit={submit}>
      <div>
        <Title order={2} fz="h3">
          {t('signup.title')}
        </Title>
        <Text c="dimmed" fz="sm">
          {t('signup.text')}
        </Text>
      </div>
      {request.isSuccess ? (
        <Alert color="green" icon={<IconMailCheck size={18} />} data-testid="signup-requested">
          {t('signup.sent', { email: form.email.trim() })}
        </Alert>
      ) : (
        <>
          {request.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="signup-error">
              {errorMessage(request.error)}
            </Alert>
          )}
          <TextInput
            label={t('signup.accountName')}
            required
            maxLength={200}
            value={form.accountName}
            onChange={set('accountName')}
            autoFocus
          />
          <TextInput label={t('signup.name')} required maxLength={200} value={form.name} onChange={set('name')} autoComplete="name" />
          <TextInput
            label={t('auth.email')}
            type="email"
            required
            maxLength={320}
            value={form.email}
            onChange={set('email')}
            autoComplete="email"
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('signup.passwordHint')}
            required
            value={form.password}
            onChange={set('password')}
            autoComplete="new-password"
          />
          <Button type="submit" fullWidth loading={request.isPending} disabled={Object.values(form).some((v) => !v.trim())}>
            {t('signup.submit')}
          </Button>
        </>
      )}
      <Anchor component={Link} to="/login" fz="sm" ta="center">
        {t('signup.toLogin')}
      </Anchor>
    </AuthFrame>
  );
}

/** A button, not an automatic call: link scanners that open e-mailed links must not use up the link. */
function ConfirmSignup({ token }: { token: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const confirm = useMutation({
    mutationFn: () => confirmSignup(token),
    meta: { inlineErrors: true },
    onSuccess: (res) => {
      adoptSession(qc, res);
      void navigate('/', { replace: true });
    },
  });
  return (
    <AuthFrame>
      <div>
        <Title order={2} fz="h3">
          {t('signup.confirmTitle')}
        </Title>
        <Text c="dimmed" fz="sm">
          {t('signup.confirmText')}
        </Text>
      </div>
      {confirm.isError && (
        <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="signup-error">
          {errorMessage(confirm.error)}
        </Alert>
      )}
      <Button fullWidth loading={confirm.isPending} onClick={() => confirm.mutate()} data-testid="signup-confirm">
        {t('signup.confirm')}
      </Button>
    </AuthFrame>
  );
}
