import type { Notification, NotificationKind, NotificationSettings, Permission } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import type { Tx } from '../../platform/db/transaction.js';
import { rolePermissions } from '../access/access.resolve.js';
import { quietUntil } from './notifications.quiet.js';
import { NotificationsRepository, type Medium, type NotificationRow, type Person } from './notifications.repository.js';
import { langOf, titleOf, type TitleFacts } from './notifications.texts.js';

/** One cause, told to some people. */
export interface NotifyInput {
  accountId: string;
  userIds: Iterable<string>;
  kind: NotificationKind;
  /** Same source + same person = one notification, however often the cause is seen. */
  sourceKey: string;
  facts: TitleFacts;
  /** A fixed title instead of the kind's (the test notification). */
  title?: (lang: 'ru' | 'en') => string;
  body: string;
  link: string | null;
  conversationId?: string | null;
  data?: Record<string, unknown>;
}

export const toNotification = (r: NotificationRow): Notification => ({
  id: r.id,
  kind: r.kind as NotificationKind,
  title: r.title,
  body: r.body,
  link: r.link,
  conversationId: r.conversationId,
  data: r.data,
  readAt: r.readAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});

/**
 * The people of one account as the notifications see them: who they are, what their role lets them
 * do and what they chose. Loaded once per account and batch.
 */
export class Audience {
  private constructor(
    readonly accountId: string,
    readonly people: Map<string, Person & { permissions: ReadonlySet<Permission> }>,
    readonly settings: Map<string, NotificationSettings>,
  ) {}

  static async load(tx: Tx, accountId: string): Promise<Audience> {
    const repo = new NotificationsRepository(tx.db);
    const people = new Map<string, Person & { permissions: ReadonlySet<Permission> }>();
    for (const p of await repo.people(tx.db, accountId)) {
      people.set(p.userId, { ...p, permissions: await rolePermissions(tx.db, accountId, p.role) });
    }
    return new Audience(accountId, people, await repo.settings(tx.db, accountId, [...people.keys()]));
  }

  can(userId: string, permission: Permission): boolean {
    return this.people.get(userId)?.permissions.has(permission) ?? false;
  }

  with(permission: Permission): string[] {
    return [...this.people.values()].filter((p) => p.permissions.has(permission)).map((p) => p.userId);
  }

  /** Supervisors, admins and owners: whoever may hand conversations to others. */
  managers(): string[] {
    return this.with('conversation.assign_others');
  }

  settingsOf(userId: string): NotificationSettings {
    return this.settings.get(userId)!;
  }
}

/**
 * Records notifications (once per source and person), queues their push / e-mail / Telegram
 * deliveries as chosen — held until quiet hours end — and tells the person's open apps, all in the
 * caller's transaction.
 */
export async function notify(ctx: AppContext, tx: Tx, audience: Audience, input: NotifyInput): Promise<NotificationRow[]> {
  const repo = new NotificationsRepository(tx.db);
  const created: NotificationRow[] = [];
  for (const userId of new Set(input.userIds)) {
    const person = audience.people.get(userId);
    if (!person) continue; // not (or no longer) an active member
    const choice = audience.settingsOf(userId).events[input.kind];
    const media = (['push', 'email', 'telegram'] as const).filter((m) => choice[m]);
    if (!choice.inApp && media.length === 0) continue;
    const row = await repo.insertOnce(tx.db, {
      accountId: input.accountId,
      userId,
      kind: input.kind,
      sourceKey: input.sourceKey,
      title: (input.title?.(langOf(person.locale)) ?? titleOf(input.kind, input.facts, langOf(person.locale))).slice(0, 300),
      body: input.body.slice(0, 1000),
      link: input.link,
      conversationId: input.conversationId ?? null,
      // The facts travel along, so the bell shows the title in the language the app is in now.
      data: { ...input.data, facts: input.facts },
      // Off in the bell but on elsewhere: kept (deliveries hang off it), already read.
      readAt: choice.inApp ? null : new Date(),
    });
    if (!row) continue;
    created.push(row);
    await queueDeliveries(ctx, tx, audience, row, media);
    if (choice.inApp) {
      const unread = await repo.unreadCount(tx.db, input.accountId, userId);
      await ctx.bus.publish(tx, input.accountId, 'notification.created', { audience: [userId], notification: toNotification(row), unread });
    }
  }
  return created;
}

async function queueDeliveries(ctx: AppContext, tx: Tx, audience: Audience, row: NotificationRow, media: Medium[]): Promise<void> {
  if (media.length === 0) return;
  const repo = new NotificationsRepository(tx.db);
  const person = audience.people.get(row.userId)!;
  const until = quietUntil(audience.settingsOf(row.userId).quietHours, person.timeZone);
  for (const medium of media) {
    const id = await repo.insertDelivery(tx.db, {
      accountId: row.accountId,
      notificationId: row.id,
      userId: row.userId,
      medium,
      notBefore: until ?? null,
    });
    if (!id) continue;
    const startAfterSeconds = until ? Math.ceil((until.getTime() - Date.now()) / 1000) : 0;
    await ctx.queue.send(
      tx,
      'notification.deliver',
      { accountId: row.accountId, deliveryId: id },
      startAfterSeconds > 0 ? { startAfterSeconds } : {},
    );
  }
}
