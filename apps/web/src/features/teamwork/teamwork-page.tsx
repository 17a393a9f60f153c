import { Page } from '../../components/page';
import { Tabs } from '@mantine/core';
import { IconMessageBolt, IconTags, IconUsersGroup } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useHasPermission } from '../auth/permissions';
import { CannedTab } from './canned-tab';
import { TagsTab } from './tags-tab';
import { TeamsTab } from './teams-tab';

const TABS = ['teams', 'tags', 'canned'] as const;
type Tab = (typeof TABS)[number];

/** Teams (members, channels, assignment), tags and canned responses: how the team shares the inbox. */
export function TeamworkPage() {
  const { t } = useTranslation();
  const { tab } = useParams();
  const navigate = useNavigate();
  const canReply = useHasPermission('conversation.reply');
  const current: Tab = (TABS as readonly string[]).includes(tab ?? '') ? (tab as Tab) : 'teams';
  return (
    <Page>
      <PageHeader title={t('teamwork.page.title')} />
      <Tabs value={current} onChange={(v) => v && void navigate(`/teams/${v}`)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="teams" leftSection={<IconUsersGroup size={16} />} data-testid="tab-teams">
            {t('teamwork.page.tabs.teams')}
          </Tabs.Tab>
          <Tabs.Tab value="tags" leftSection={<IconTags size={16} />} data-testid="tab-tags">
            {t('teamwork.page.tabs.tags')}
          </Tabs.Tab>
          {canReply && (
            <Tabs.Tab value="canned" leftSection={<IconMessageBolt size={16} />} data-testid="tab-canned">
              {t('teamwork.page.tabs.canned')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="teams" pt="md">
          <TeamsTab />
        </Tabs.Panel>
        <Tabs.Panel value="tags" pt="md">
          <TagsTab />
        </Tabs.Panel>
        <Tabs.Panel value="canned" pt="md">
          <CannedTab />
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
