import { createBrowserRouter, Navigate } from 'react-router';
import { LoginPage } from '../features/auth/login-page';
import { AiPage } from '../features/ai/ai-page';
import { ChannelsPage } from '../features/channels/channels-page';
import { DeadLettersPage } from '../features/dead-letters/dead-letters-page';
import { InboxPage } from '../features/inbox/inbox-page';
import { KnowledgePage } from '../features/knowledge/knowledge-page';
import { TokensPage } from '../features/tokens/tokens-page';
import { WebhooksPage } from '../features/webhooks/webhooks-page';
import { BridgePage } from '../features/bridge/bridge-page';
import { AppLayout } from './app-layout';
import { NotFoundPage } from './not-found-page';

export const router = createBrowserRouter([
  { path: '/login', element: <LoginPage /> },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <Navigate to="/inbox" replace /> },
      { path: 'inbox/:conversationId?', element: <InboxPage /> },
      { path: 'knowledge', element: <KnowledgePage /> },
      { path: 'ai/:tab?', element: <AiPage /> },
      { path: 'channels', element: <ChannelsPage /> },
      { path: 'dead-letters', element: <DeadLettersPage /> },
      { path: 'tokens', element: <TokensPage /> },
      { path: 'webhooks', element: <WebhooksPage /> },
      { path: 'telegram', element: <BridgePage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
]);
