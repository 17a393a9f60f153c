import { Alert, Anchor, Button, Loader, PasswordInput, Text, TextInput, Title } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useSearchParams } from 'react-router';
import { errorMessage } from '../../lib/notify';
import { roleLabel } from '../team/role-label';
import { acceptInvitation, previewInvitation } from './auth.api';
import { AuthFrame } from './login-page';
import { adoptSession, useSessionQuery } from './use-session';

/** The page an invitation link opens: the invitee chooses a name and password and is signed in. */
export function AcceptInvitePage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const qc = useQueryClient();
  const session = useSessionQuery();
  const preview = useQuery({
    queryKey: ['invitation', token],
    queryFn: () => previewInvitation(token),
    enabled: Boolean(token),
    retry: false,
  });
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const accept = useMutation({
    mutationFn: () => acceptInvitation({ token, name: name.trim(), password }),
    meta: { inlineErrors: true },
    onSuccess: (res) => adoptSession(qc, res),
  });

  if (accept.isSuccess && session.data) return <Navigate to="/inbox" replace />;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    accept.mutate();
  };

  return (
    <AuthFrame onSubmit={submit}>
      <Title order={2} fz="h3">
        {t('people.accept.title')}
      </Title>
      {preview.isPending && token && <Loader size="sm" />}
      {(preview.isError || !token) && (
        <>
          <Alert color="red" icon={<IconAlertCircle size={18} />} data-testid="invite-invalid">
            {preview.error ? errorMessage(preview.error) : t('people.accept.noToken')}
          </Alert>
          <Anchor component={Link} to="/login" fz="sm">
            {t('people.reset.back')}
          </Anchor>
        </>
      )}
      {preview.isSuccess && (
        <>
          <Text fz="sm" data-testid="invite-summary">
            {t('people.accept.text', {
              account: preview.data.accountName,
              role: roleLabel(preview.data.role, i18n.language),
              email: preview.data.email,
            })}
          </Text>
          {accept.isError && (
            <Alert color="red" icon={<IconAlertCircle size={18} />} role="alert" data-testid="invite-error">
              {errorMessage(accept.error)}
            </Alert>
          )}
          <TextInput
            label={t('people.accept.name')}
            description={t('people.accept.nameHint')}
            autoComplete="name"
            required
            autoFocus
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="invite-name"
          />
          <PasswordInput
            label={t('auth.password')}
            description={t('people.common.passwordHint')}
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            data-testid="invite-password"
          />
          <Button type="submit" fullWidth loading={accept.isPending} data-testid="invite-accept">
            {t('people.accept.submit')}
          </Button>
        </>
      )}
    </AuthFrame>
  );
}
