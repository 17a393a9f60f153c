import { IconBooks, IconBrandTelegram, IconInbox, IconKey, IconMailX, IconPlugConnected, IconRobot, type Icon } from '@tabler/icons-react';
import { IconWebhook } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { UserMenu } from '../features/auth/user-menu';
import { DeadLettersIndicator } from '../features/dead-letters/dead-letters-indicator';
import classes from './nav-rail.module.css';

interface NavItem {
  to: string;
  icon: Icon;
  label: 'nav.inbox' | 'nav.knowledge' | 'nav.ai' | 'nav.channels' | 'nav.tokens' | 'deadLetters.nav' | 'bridge.nav' | 'webhooks.nav';
  testId: string;
  /** Wraps the icon, e.g. with a count badge. */
  wrap?: (props: { children: ReactNode }) => ReactNode;
}

const Bare = ({ children }: { children: ReactNode }) => children;

const ITEMS: NavItem[] = [
  { to: '/inbox', icon: IconInbox, label: 'nav.inbox', testId: 'nav-inbox' },
  { to: '/knowledge', icon: IconBooks, label: 'nav.knowledge', testId: 'nav-knowledge' },
  { to: '/ai', icon: IconRobot, label: 'nav.ai', testId: 'nav-ai' },
  { to: '/channels', icon: IconPlugConnected, label: 'nav.channels', testId: 'nav-channels' },
  { to: '/dead-letters', icon: IconMailX, label: 'deadLetters.nav', testId: 'nav-dead-letters', wrap: DeadLettersIndicator },
  { to: '/telegram', icon: IconBrandTelegram, label: 'bridge.nav', testId: 'nav-telegram' },
  { to: '/tokens', icon: IconKey, label: 'nav.tokens', testId: 'nav-tokens' },
  { to: '/webhooks', icon: IconWebhook, label: 'webhooks.nav', testId: 'nav-webhooks' },
];

export function NavRail() {
  const { t } = useTranslation();
  return (
    <nav className={classes.rail} aria-label={t('nav.label')}>
      {ITEMS.map(({ to, icon: ItemIcon, label, testId, wrap: Wrap = Bare }) => (
        <NavLink key={to} to={to} className={classes.item} data-testid={testId}>
          <Wrap>
            <ItemIcon size={22} stroke={1.6} aria-hidden />
          </Wrap>
          <span>{t(label)}</span>
        </NavLink>
      ))}
      <div className={classes.spacer} />
      <UserMenu />
    </nav>
  );
}
