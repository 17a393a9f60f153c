import { Page } from '../../components/page';
import { Button, Card, FileButton, Group, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import type { Profile } from '@switchboard/shared';
import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { LoadFailed, PageLoader } from '../../components/page-states';
import { UserAvatar } from '../../components/user-avatar';
import { errorMessage, notifySuccess } from '../../lib/notify';
import { MySessionsCard } from './my-sessions-card';
import { TwoFactorCard } from './two-factor-card';
import { useChangePassword, useProfile, useRemoveAvatar, useUpdateProfile, useUploadAvatar } from './use-profile';

export function Section({
  title,
  description,
  children,
  testId,
}: {
  title: string;
  description?: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card withBorder padding="lg" data-testid={testId}>
      <Stack gap="md">
        <div>
          <Title order={2} fz="h5">
            {title}
          </Title>
          {description && (
            <Text c="dimmed" fz="sm">
              {description}
            </Text>
          )}
        </div>
        {children}
      </Stack>
    </Card>
  );
}

/** My profile: what customers see, language and time, password, two-factor sign-in, sessions, tokens. */
export function ProfilePage() {
  const { t } = useTranslation();
  const profile = useProfile();
  return (
    <Page>
      <PageHeader title={t('people.profile.title')} description={t('people.profile.description')} />
      {profile.isPending && <PageLoader />}
      {profile.isError && <LoadFailed title={t('people.profile.loadFailed')} error={profile.error} />}
      {profile.isSuccess && (
        <>
          <DetailsCard profile={profile.data} />
          <PasswordCard />
          <TwoFactorCard />
          <MySessionsCard />
          <Section title={t('people.profile.tokensTitle')} description={t('people.profile.tokensText')}>
            <Group>
              <Button component={Link} to="/tokens" variant="light" leftSection={<IconKey size={16} />} data-testid="profile-tokens">
                {t('people.profile.tokensOpen')}
              </Button>
            </Group>
          </Section>
        </>
      )}
    </Page>
  );
}

function timeZones(): string[] {
  const intl = Intl as typeof Intl & { supportedValuesOf?: (key: 'timeZone') => string[] };
  return intl.supportedValuesOf ? ['UTC', ...intl.supportedValuesOf('timeZone')] : ['UTC'];
}

function DetailsCard({ profile }: { profile: Profile }) {
  const { t, i18n } = useTranslation();
  const update = useUpdateProfile();
  const upload = useUploadAvatar();
  const remove = useRemoveAvatar();
  const [name, setName] = useState(profile.name);
  const [locale, setLocale] = useState<string | null>(profile.locale);
  const [timeZone, setTimeZone] = useState<string | null>(profile.timeZone);
  const [avatarVersion, setAvatarVersion] = useState(0);
  const zones = useMemo(timeZones, []);
  useEffect(() => setName(profile.name), [profile.name]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const lang = locale === 'ru' || locale === 'en' ? locale : null;
    update.mutate(
      { name: name.trim(), locale: lang, timeZone },
      {
        onSuccess: () => {
          if (lang) void i18n.changeLanguage(lang);
          notifySuccess(t('people.profile.saved'));
        },
      },
    );
  };

  return (
    <Section title={t('people.profile.detailsTitle')} description={t('people.profile.detailsText')} testId="profile-details">
      <Group gap="md" wrap="wrap">
        <UserAvatar
          name={profile.name}
          seed={profile.id}
          size={72}
          {...(profile.hasAvatar ? { src: `/api/users/${profile.id}/avatar?v=${avatarVersion}` } : {})}
          data-testid="profile-avatar"
        />
        <Stack gap={6}>
          <Group gap="xs">
            <FileButton
              accept="image/png,image/jpeg,image/webp"
              onChange={(file) => file && upload.mutate(file, { onSuccess: () => setAvatarVersion((v) => v + 1) })}
            >
              {(props) => (
                <Button {...props} size="xs" variant="light" loading={upload.isPending} data-testid="avatar-upload">
                  {t('people.profile.avatarUpload')}
                </Button>
              )}
            </FileButton>
            {profile.hasAvatar && (
              <Button size="xs" variant="subtle" color="red" loading={remove.isPending} onClick={() => remove.mutate(undefined)}>
                {t('people.profile.avatarRemove')}
              </Button>
            )}
          </Group>
          <Text fz="xs" c="dimmed">
            {t('people.profile.avatarHint')}
          </Text>
          {upload.isError && (
            <Text fz="xs" c="red">
              {errorMessage(upload.error)}
            </Text>
          )}
        </Stack>
      </Group>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <TextInput
            label={t('people.profile.name')}
            description={t('people.profile.nameHint')}
            required
            maxLength={200}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="profile-name"
          />
          <TextInput label={t('auth.email')} value={profile.email} readOnly disabled />
          <Group grow wrap="wrap" align="flex-start">
            <Select
              label={t('people.profile.language')}
              data={[
                { value: 'ru', label: 'Русский' },
                { value: 'en', label: 'English' },
              ]}
              placeholder={t('people.profile.languageAuto')}
              clearable
              value={locale}
              onChange={setLocale}
              comboboxProps={{ withinPortal: true }}
              data-testid="profile-language"
            />
            <Select
              label={t('people.profile.timeZone')}
              data={zones}
              searchable
              clearable
              placeholder={t('people.profile.timeZoneAuto')}
              value={timeZone}
              onChange={setTimeZone}
              comboboxProps={{ withinPortal: true }}
              data-testid="profile-timezone"
            />
          </Group>
          <Group>
            <Button type="submit" loading={update.isPending} data-testid="profile-save">
              {t('people.common.save')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

function PasswordCard() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    change.mutate(
      { current, next },
      {
        onSuccess: (r) => {
          setCurrent('');
          setNext('');
          notifySuccess(t('people.profile.passwordChanged', { count: r.sessionsEnded }));
        },
      },
    );
  };
  return (
    <Section title={t('people.profile.passwordTitle')} description={t('people.profile.passwordText')} testId="profile-password">
      <form onSubmit={submit}>
        <Stack gap="sm" maw={420}>
          {change.isError && (
            <Text c="red" fz="sm" role="alert">
              {errorMessage(change.error)}
            </Text>
          )}
          <PasswordInput
            label={t('people.profile.currentPassword')}
            autoComplete="current-password"
            required
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
          />
          <PasswordInput
            label={t('people.reset.newPassword')}
            description={t('people.common.passwordHint')}
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
          />
          <Group>
            <Button type="submit" loading={change.isPending}>
              {t('people.profile.changePassword')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}
