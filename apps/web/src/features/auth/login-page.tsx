import { Alert, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { Brand } from '../../components/brand';
import { LanguageSwitcher } from '../../components/language-switcher';
import { errorMessage } from '../../lib/notify';
import { useLogin, useSessionQuery } from './use-session';

/** Only same-site paths: `?next=//evil.example` must not redirect away. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/inbox';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const session = useSessionQuery();
  const loginMutation = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  if (session.data) return <Navigate to={safeNext(params.get('next'))} replace />;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    loginMutation.mutate({ email: email.trim(), password });
  };

  return (
    <Box mih="100%" bg="var(--mantine-color-gray-light)">
      <Group justify="flex-end" p="md">
        <LanguageSwitcher />
      </Group>
      <Center pt="6vh" px="md">
        <Paper component="form" onSubmit={submit} withBorder shadow="sm" p="xl" radius="lg" w="100%" maw={400}>
          <Stack gap="md">
            <Brand size="lg" />
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
          </Stack>
        </Paper>
      </Center>
    </Box>
  );
}
