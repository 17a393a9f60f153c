import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { LoginPage } from '../features/auth/login-page';
import { ForgotPasswordPage, ResetPasswordPage } from '../features/auth/forgot-password-page';
import { AcceptInvitePage } from '../features/auth/accept-invite-page';
import { SignupPage } from '../features/platform/signup-page';
import { AppLayout } from './app-layout';
const ChatPage = lazy(() => import('../features/chat/chat-page').then((m) => ({ default: m.ChatPage })));
const NotificationsPage = lazy(() =>
  import('../features/notifications/notifications-page').then((m) => ({ default: m.NotificationsPage })),
);
import { HomeRedirect, RequirePermission as Need } from './require-permission';
import { NotFoundPage } from './not-found-page';

/** Pages load on first visit: one chunk per route (sign-in pages stay in the main chunk). */
const TeamPage = lazy(() => import('../features/team/team-page').then((m) => ({ default: m.TeamPage })));
const ProfilePage = lazy(() => import('../features/profile/profile-page').then((m) => ({ default: m.ProfilePage })));
const AiPage = lazy(() => import('../features/ai/ai-page').then((m) => ({ default: m.AiPage })));
const ChannelsPage = lazy(() => import('../features/channels/channels-page').then((m) => ({ default: m.ChannelsPage })));
const DeadLettersPage = lazy(() => import('../features/dead-letters/dead-letters-page').then((m) => ({ default: m.DeadLettersPage })));
const InboxPage = lazy(() => import('../features/inbox/inbox-page').then((m) => ({ default: m.InboxPage })));
const KnowledgePage = lazy(() => import('../features/knowledge/knowledge-page').then((m) => ({ default: m.KnowledgePage })));
const TokensPage = lazy(() => import('../features/tokens/tokens-page').then((m) => ({ default: m.TokensPage })));
const WebhooksPage = lazy(() => import('../features/webhooks/webhooks-page').then((m) => ({ default: m.WebhooksPage })));
const BridgePage = lazy(() => import('../features/bridge/bridge-page').then((m) => ({ default: m.BridgePage })));
const AuditPage = lazy(() => import('../features/audit/audit-page').then((m) => ({ default: m.AuditPage })));
const RolesPage = lazy(() => import('../features/roles/roles-page').then((m) => ({ default: m.RolesPage })));
const PlatformPage = lazy(() => import('../features/platform/platform-page').then((m) => ({ default: m.PlatformPage })));
const ReportsPage = lazy(() => import('../features/reports/reports-page').then((m) => ({ default: m.ReportsPage })));
const TeamworkPage = lazy(() => import('../features/teamwork/teamwork-page').then((m) => ({ default: m.TeamworkPage })));
const ContactsPage = lazy(() => import('../features/contacts/contacts-page').then((m) => ({ default: m.ContactsPage })));
const ContactPage = lazy(() => import('../features/contacts/contact-page').then((m) => ({ default: m.ContactPage })));
const BackupsPage = lazy(() => import('../features/backups/backups-page').then((m) => ({ default: m.BackupsPage })));

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
        path: 'contacts',
        element: (
          <Need permission="contact.read">
            <ContactsPage />
          </Need>
        ),
      },
      {
        path: 'contacts/:contactId',
        element: (
          <Need permission="contact.read">
            <ContactPage />
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
      {
        path: 'teams/:tab?',
        element: (
          <Need permission="team.read">
            <TeamworkPage />
          </Need>
        ),
      },
      { path: 'profile', element: <ProfilePage /> },
      { path: 'notifications', element: <NotificationsPage /> },
      {
        path: 'chat/:channelId?',
        element: (
          <Need permission="chat.use">
            <ChatPage />
          </Need>
        ),
      },
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
      {
        path: 'reports',
        element: (
          <Need permission="report.read">
            <ReportsPage />
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
