import { Alert, Anchor, Button, PasswordInput, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle, IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../lib/notify';
import { confirmPasswordReset, requestPasswordReset } from './auth.api';
import { AuthFrame } from './login-page';

/** "Forgot password": asks for the address; the answer is the same whether or not it has an account. */
export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: requestPasswordReset, meta: { inlineErrors: true } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    request.mutate(email.trim());
  };
  return (
    <AuthFrame onSubmit={submit}>
      <div>
        <Title order={2} fz="h3">
          {t('people.reset.title')}
        </Title>
        <Text c="dimmed" fz="sm">
          {t('people.reset.text')}
        </Text>
      </div>
      {request.isSuccess ? (
        <Alert color="green" icon={<IconMailCheck size={18} />} data-testid="reset-requested">
          {t('people.reset.sent')}
        </Alert>
      ) : (
        <>
          {request.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert">
              {errorMessage(request.error)}
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
            data-testid="reset-email"
          />
          <Button type="submit" fullWidth loading={request.isPending} data-testid="reset-submit">
            {t('people.reset.send')}
          </Button>
        </>
      )}
      <Anchor component={Link} to="/login" fz="sm" ta="center">
        {t('people.reset.back')}
      </Anchor>
    </AuthFrame>
  );
}

/** The page a reset link opens: a new password (the link works once, for an hour). */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const confirm = useMutation({ mutationFn: () => confirmPasswordReset(token, password), meta: { inlineErrors: true } });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    confirm.mutate();
  };
  return (
    <AuthFrame onSubmit={submit}>
      <div>
        <Title order={2} fz="h3">
          {t('people.reset.newTitle')}
        </Title>
        <Text c="dimmed" fz="sm">
          {t('people.reset.newText')}
        </Text>
      </div>
      {confirm.isSuccess ? (
        <>
          <Alert color="green" data-testid="reset-done">
            {t('people.reset.done')}
          </Alert>
          <Button onClick={() => void navigate('/login')} data-testid="reset-to-login">
            {t('auth.submit')}
          </Button>
        </>
      ) : (
        <>
          {confirm.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="reset-error">
              {errorMessage(confirm.error)}
            </Alert>
          )}
          <PasswordInput
            label={t('people.reset.newPassword')}
            description={t('people.common.passwordHint')}
            autoComplete="new-password"
            required
            autoFocus
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="reset-password"
          />
          <Button type="submit" fullWidth loading={confirm.isPending} disabled={!token} data-testid="reset-confirm">
            {t('people.reset.save')}
          </Button>
        </>
      )}
    </AuthFrame>
  );
}
