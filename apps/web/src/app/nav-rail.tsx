import {
  IconAddressBook,
  IconBooks,
  IconBrandTelegram,
  IconMessages,
  IconInbox,
  IconKey,
  IconMailX,
  IconPlugConnected,
  IconRobot,
  type Icon,
} from '@tabler/icons-react';
import {
  IconChartBar,
  IconDatabaseExport,
  IconListDetails,
  IconShieldLock,
  IconUsers,
  IconUsersGroup,
  IconWebhook,
} from '@tabler/icons-react';
import type { Permission } from '@switchboard/shared';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink } from 'react-router';
import { useCan } from '../features/auth/permissions';
import { UserMenu } from '../features/auth/user-menu';
import { useMe } from '../features/auth/use-session';
import { DeadLettersIndicator } from '../features/dead-letters/dead-letters-indicator';
import classes from './nav-rail.module.css';
import { ChatUnreadIndicator } from '../features/chat/chat-unread-indicator';

interface NavItem {
  to: string;
  icon: Icon;
  label:
    | 'nav.inbox'
    | 'contacts.nav'
    | 'nav.knowledge'
    | 'nav.ai'
    | 'nav.channels'
    | 'nav.tokens'
    | 'deadLetters.nav'
    | 'bridge.nav'
    | 'webhooks.nav'
    | 'people.team.nav'
    | 'roles.nav'
    | 'audit.nav'
    | 'backups.nav'
    | 'reports.nav'
    | 'teamwork.nav'
    | 'chat.nav';
  testId: string;
  /** The item shows only to people holding this permission (the page needs it). */
  permission: Permission;
  /** Installation-wide pages (backups) show only to the platform admin. */
  platformOnly?: boolean;
  /** Wraps the icon, e.g. with a count badge. */
  wrap?: (props: { children: ReactNode }) => ReactNode;
}

const Bare = ({ children }: { children: ReactNode }) => children;

const ITEMS: NavItem[] = [
  { to: '/inbox', icon: IconInbox, label: 'nav.inbox', testId: 'nav-inbox', permission: 'conversation.read' },
  { to: '/contacts', icon: IconAddressBook, label: 'contacts.nav', testId: 'nav-contacts', permission: 'contact.read' },
  { to: '/knowledge', icon: IconBooks, label: 'nav.knowledge', testId: 'nav-knowledge', permission: 'knowledge.read' },
  { to: '/ai', icon: IconRobot, label: 'nav.ai', testId: 'nav-ai', permission: 'ai.read' },
  { to: '/channels', icon: IconPlugConnected, label: 'nav.channels', testId: 'nav-channels', permission: 'channel.read' },
  {
    to: '/dead-letters',
    icon: IconMailX,
    label: 'deadLetters.nav',
    testId: 'nav-dead-letters',
    permission: 'conversation.read',
    wrap: DeadLettersIndicator,
  },
  { to: '/reports', icon: IconChartBar, label: 'reports.nav', testId: 'nav-reports', permission: 'report.read' },
  { to: '/telegram', icon: IconBrandTelegram, label: 'bridge.nav', testId: 'nav-telegram', permission: 'bridge.use' },
  { to: '/teams', icon: IconUsersGroup, label: 'teamwork.nav', testId: 'nav-teams', permission: 'team.read' },
  { to: '/chat', icon: IconMessages, label: 'chat.nav', testId: 'nav-chat', permission: 'chat.use', wrap: ChatUnreadIndicator },
  { to: '/team', icon: IconUsers, label: 'people.team.nav', testId: 'nav-team', permission: 'user.read' },
  { to: '/tokens', icon: IconKey, label: 'nav.tokens', testId: 'nav-tokens', permission: 'token.manage' },
  { to: '/webhooks', icon: IconWebhook, label: 'webhooks.nav', testId: 'nav-webhooks', permission: 'webhook.manage' },
  { to: '/roles', icon: IconShieldLock, label: 'roles.nav', testId: 'nav-roles', permission: 'role.read' },
  { to: '/audit', icon: IconListDetails, label: 'audit.nav', testId: 'nav-audit', permission: 'audit.read' },
  {
    to: '/backups',
    icon: IconDatabaseExport,
    label: 'backups.nav',
    testId: 'nav-backups',
    permission: 'account.owners',
    platformOnly: true,
  },
];

/** The first page this person may open (where `/` leads), or null when none. */
export function firstAllowedPage(can: (p: Permission) => boolean): string | null {
  return ITEMS.find((i) => can(i.permission))?.to ?? null;
}

export function NavRail() {
  const { t } = useTranslation();
  const can = useCan();
  const { platformAdmin } = useMe();
  return (
    <nav className={classes.rail} aria-label={t('nav.label')}>
      {/* The pages scroll on a short screen; the person's menu stays in view below them. */}
      <div className={classes.items}>
        {ITEMS.filter((i) => can(i.permission) && (!i.platformOnly || platformAdmin)).map(
          ({ to, icon: ItemIcon, label, testId, wrap: Wrap = Bare }) => (
            <NavLink key={to} to={to} className={classes.item} data-testid={testId}>
              <Wrap>
                <ItemIcon size={22} stroke={1.6} aria-hidden />
              </Wrap>
              <span>{t(label)}</span>
            </NavLink>
          ),
        )}
      </div>
      <UserMenu />
    </nav>
  );
}
