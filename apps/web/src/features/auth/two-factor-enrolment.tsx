import { Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { LoadFailed } from '../../components/page-states';
import { useTranslation } from 'react-i18next';
import { enrolmentSetup } from './auth.api';
import { TwoFactorQr } from './two-factor-qr';

/** Enrolment the account forces at sign-in: the QR code of a fresh authenticator secret for this challenge. */
export function TwoFactorEnrolment({ challenge }: { challenge: string }) {
  const { t } = useTranslation();
  const setup = useQuery({
    queryKey: ['enrolment', challenge],
    queryFn: () => enrolmentSetup(challenge),
    staleTime: Infinity,
    retry: false,
  });
  if (setup.isPending) return <Loader size="sm" />;
  if (setup.isError) return <LoadFailed title={t('people.twoFactor.setupFailed')} error={setup.error} />;
  return <TwoFactorQr uri={setup.data.uri} secret={setup.data.secret} />;
}
