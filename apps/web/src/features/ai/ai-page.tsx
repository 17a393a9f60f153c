import { Page } from '../../components/page';
import { Stack, Tabs } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { useHasPermission } from '../auth/permissions';
import { AiDashboard } from './ai-dashboard';
import { AiSettingsPanel } from './ai-settings-form';
import { CategoriesPanel } from './categories-panel';
import { ClassifierPanel } from './classifier-panel';
import { EvaluationPanel } from './evaluation-panel';

const TABS = ['overview', 'settings', 'categories', 'evaluation'] as const;
type Tab = (typeof TABS)[number];
const isTab = (v: string | undefined): v is Tab => (TABS as readonly (string | undefined)[]).includes(v);

/** The AI assistant: how it performs, how it behaves, and how conversations are categorised. */
export function AiPage() {
  const { t } = useTranslation();
  const { tab } = useParams();
  const navigate = useNavigate();
  const canManage = useHasPermission('ai.manage');
  if (!isTab(tab)) return <Navigate to="/ai/overview" replace />;

  return (
    <Page>
      <PageHeader title={t('ai.title')} description={t('ai.description')} />
      <Tabs value={tab} onChange={(v) => v && void navigate(`/ai/${v}`)} keepMounted={false}>
        <Tabs.List mb="md">
          {TABS.map((v) => (
            <Tabs.Tab key={v} value={v} data-testid={`ai-tab-${v}`}>
              {t(`ai.tabs.${v}`)}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <AiDashboard />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <AiSettingsPanel />
        </Tabs.Panel>
        <Tabs.Panel value="evaluation">
          <EvaluationPanel />
        </Tabs.Panel>
        <Tabs.Panel value="categories">
          <Stack gap="md">
            <CategoriesPanel canManage={canManage} />
            <ClassifierPanel canManage={canManage} />
          </Stack>
        </Tabs.Panel>
      </Tabs>
    </Page>
  );
}
