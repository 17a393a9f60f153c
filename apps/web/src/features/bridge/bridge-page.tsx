import { Page } from '../../components/page';
import { Alert, Anchor } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import type { LinkTokenResponse } from '@switchboard/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { LoadFailed, PageLoader } from '../../components/page-states';
import {} from '../../lib/notify';
import { useHasPermission } from '../auth/permissions';
import { MyLinkCard } from './my-link-card';
import { TeamLinksTable } from './team-links-table';
import { useBridge } from './use-bridge';

/** Telegram: link one's own Telegram to the operator bot; managers see everyone's links and what each receives. */
export function BridgePage() {
  const { t } = useTranslation();
  const canManageChannels = useHasPermission('channel.manage');
  const [token, setToken] = useState<LinkTokenResponse | null>(null);
  const bridge = useBridge(token !== null);
  const overview = bridge.data;
  // Once linked (the user pressed Start in Telegram) the waiting link is done.
  const pending = overview?.link ? null : token;

  return (
    <Page>
      <PageHeader title={t('bridge.title')} description={t('bridge.description')} />
      {bridge.isPending && <PageLoader />}
      {bridge.isError && <LoadFailed title={t('bridge.loadFailed')} error={bridge.error} />}
      {overview && !overview.bot && (
        <Alert color="blue" icon={<IconInfoCircle size={18} />} title={t('bridge.noBotTitle')} data-testid="bridge-no-bot">
          {canManageChannels ? (
            <>
              {t('bridge.noBotManager')}{' '}
              <Anchor component={Link} to="/channels">
                {t('bridge.goToChannels')}
              </Anchor>
            </>
          ) : (
            t('bridge.noBot')
          )}
        </Alert>
      )}
      {overview?.bot && <MyLinkCard overview={overview} pending={pending} onPending={setToken} />}
      {overview?.bot && overview.links && <TeamLinksTable links={overview.links} groupChatId={overview.bot.groupChatId} />}
    </Page>
  );
}
