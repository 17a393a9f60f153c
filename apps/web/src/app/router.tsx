import { createBrowserRouter } from 'react-router';
import { LoginPage } from '../features/auth/login-page';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/forgot-password-page';
import { AcceptInvitePage } from '../features/auth/accept-invite-page';
import { TeamPage } from '../features/team/team-page';
import { ProfilePage } from '../features/profile/profile-page';
import { AiPage } from '../features/ai/ai-page';
import { ChannelsPage } from '../features/channels/channels-page';
import { DeadLettersPage } from '../features/dead-letters/dead-letters-page';
import { InboxPage } from '../features/inbox/inbox-page';
import { KnowledgePage } from '../features/knowledge/knowledge-page';
import { TokensPage } from '../features/tokens/tokens-page';
import { WebhooksPage } from '../features/webhooks/webhooks-page';
import { BridgePage } from '../features/bridge/bridge-page';
import { AuditPage } from '../features/audit/audit-page';
import { RolesPage } from '../features/roles/roles-page';
import { PlatformPage } from '../features/platform/platform-page';
import { SignupPage } from '../features/platform/signup-page';
import { BackupsPage } from '../features/backups/backups-page';
import { AppLayout } from './app-layout';
import { HomeRedirect, RequirePermission as Need } from './require-permission';
import { NotFoundPage } from './not-found-page';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  { path: '/forgot-password', element: <ForgotPasswordPage /> },
  { path: '/reset-password', element: <ResetPasswordPage /> },
  { path: '/invite', element: <AcceptInvitePage /> },
  { path: '/signup', element: <SignupPage /> },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRedirect /> },
      {
        path: 'inbox/:conversationId?',
        element: (
          <Need permission="conversation.read">
            <InboxPage />
          </Need>
        ),
      },
      {
        path: 'knowledge',
        element: (
          <Need permission="knowledge.read">
            <KnowledgePage />
          </Need>
        ),
      },
      {
        path: 'ai/:tab?',
        element: (
          <Need permission="ai.read">
            <AiPage />
          </Need>
        ),
      },
      {
        path: 'channels',
        element: (
          <Need permission="channel.read">
            <ChannelsPage />
          </Need>
        ),
      },
      {
        path: 'dead-letters',
        element: (
          <Need permission="conversation.read">
            <DeadLettersPage />
          </Need>
        ),
      },
      {
        path: 'tokens',
        element: (
          <Need permission="token.manage">
            <TokensPage />
          </Need>
        ),
      },
      {
        path: 'team',
        element: (
          <Need permission="user.read">
            <TeamPage />
          </Need>
        ),
      },
      { path: 'profile', element: <ProfilePage /> },
      {
        path: 'webhooks',
        element: (
          <Need permission="webhook.manage">
            <WebhooksPage />
          </Need>
        ),
      },
      {
        path: 'telegram',
        element: (
          <Need permission="bridge.use">
            <BridgePage />
          </Need>
        ),
      },
      {
        path: 'roles',
        element: (
          <Need permission="role.read">
            <RolesPage />
          </Need>
        ),
      },
      {
        path: 'audit',
        element: (
          <Need permission="audit.read">
            <AuditPage />
          </Need>
        ),
      },
      { path: 'platform', element: <PlatformPage /> },
      {
        path: 'backups',
        element: (
          <Need permission="account.owners">
            <BackupsPage />
          </Need>
        ),
      },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
