import { AppShell, Box, Group } from '@mantine/core';
import { Suspense } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { Brand } from '../components/brand';
import { ColorSchemeToggle } from '../components/color-scheme-toggle';
import { FullScreenError, FullScreenLoader } from '../components/full-screen-state';
import { LanguageSwitcher } from '../components/language-switcher';
import { PageLoader } from '../components/page-states';
import { useHasPermission } from '../features/auth/permissions';
import { useSessionQuery } from '../features/auth/use-session';
import { ConnectionIndicator } from '../realtime/connection-indicator';
import { useRealtime } from '../realtime/use-realtime';
import { NavRail } from './nav-rail';
import { SearchBox } from '../features/search/search-box';
import { NotificationBell } from '../features/notifications/notification-bell';
import { useNotificationSignals } from '../features/notifications/use-notification-signals';

export const HEADER_HEIGHT = 48;
const RAIL_WIDTH = 76;

/** The signed-in frame: header, navigation rail and the live event stream. */
export function AppLayout() {
  const session = useSessionQuery();
  const location = useLocation();

  if (session.isPending) return <FullScreenLoader />;
  // A failed background refetch (server restarting) keeps the signed-in screen and its data.
  if (session.data) return <SignedInShell />;
  if (session.isError) return <FullScreenError error={session.error} onRetry={() => void session.refetch()} />;
  const next = `${location.pathname}${location.search}`;
  return <Navigate to={next === '/' || next === '/inbox' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
}

function SignedInShell() {
  // Everyone opens the stream: the server sends each person only what they may see (their notifications,
  // the chat; conversations to those who may read them).
  const live = useHasPermission('conversation.read');
  const connection = useRealtime(true);
  useNotificationSignals();
  return (
    <AppShell header={{ height: HEADER_HEIGHT }} navbar={{ width: RAIL_WIDTH, breakpoint: 0 }} padding={0}>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
            <Brand />
            {live && <SearchBox />}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {live && <ConnectionIndicator state={connection} />}
            <NotificationBell />
            <LanguageSwitcher />
            <ColorSchemeToggle />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar>
        <NavRail />
      </AppShell.Navbar>
      <AppShell.Main>
        <Box h={`calc(100dvh - ${HEADER_HEIGHT}px)`} style={{ overflow: 'auto' }}>
          {/* Pages load on first visit (one chunk per route). */}
          <Suspense fallback={<PageLoader />}>
            <Outlet />
          </Suspense>
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
