import {
  notificationSettings,
  type Notification,
  type NotificationDelivery,
  type NotificationPreferences,
  type NotificationSettings,
  type PushSubscriptionRequest,
} from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { decodeCursor, encodeCursor } from '../../platform/http/cursor.js';
import { AppError } from '../../platform/http/errors.js';
import { can, type Actor } from '../identity/permissions.js';
import { Audience, notify, toNotification } from './notifications.create.js';
import { vapidKeys } from './notifications.push.js';
import { NotificationsRepository } from './notifications.repository.js';
import { langOf, testTexts } from './notifications.texts.js';

/** A person's own notifications: the bell, read marks, preferences, browser subscriptions, delivery log. */
export class NotificationsService {
  private readonly repo: NotificationsRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new NotificationsRepository(ctx.db);
  }

  async list(actor: Actor, q: { limit: number; cursor?: string | undefined; unread?: boolean | undefined }) {
    const rows = await this.repo.list(actor.accountId, actor.userId, {
      limit: q.limit + 1,
      unread: q.unread ?? false,
      ...(q.cursor ? { before: decodeCursor(q.cursor) } : {}),
    });
    const items = rows.slice(0, q.limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toNotification),
      nextCursor: rows.length > q.limit && last ? encodeCursor(last.createdAt, last.id) : null,
      unread: await this.repo.unreadCount(this.ctx.db, actor.accountId, actor.userId),
    };
  }

  async unread(actor: Actor): Promise<{ unread: number }> {
    return { unread: await this.repo.unreadCount(this.ctx.db, actor.accountId, actor.userId) };
  }

  /** Marks notifications read and tells the person's other open tabs. */
  async markRead(actor: Actor, which: { ids: string[] } | { all: true }): Promise<{ unread: number }> {
    return transaction(this.ctx.pool, async (tx) => {
      const ids = await this.repo.markRead(tx.db, actor.accountId, actor.userId, 'all' in which ? 'all' : which.ids);
      const unread = await this.repo.unreadCount(tx.db, actor.accountId, actor.userId);
      if (ids.length > 0) await this.ctx.bus.publish(tx, actor.accountId, 'notification.read', { audience: [actor.userId], ids, unread });
      return { unread };
    });
  }

  async preferences(actor: Actor): Promise<NotificationPreferences> {
    const [settings] = [...(await this.repo.settings(this.ctx.db, actor.accountId, [actor.userId])).values()];
    const person = await this.repo.personOf(this.ctx.db, actor.accountId, actor.userId);
    const chats = await this.repo.telegramChats(this.ctx.db, actor.accountId, actor.userId);
    return {
      settings: settings!,
      media: {
        push: {
          available: true,
          publicKey: (await vapidKeys(this.ctx.config)).publicKey,
          subscriptions: await this.repo.subscriptionCount(actor.accountId, actor.userId),
        },
        email: { available: Boolean(this.ctx.config.smtpUrl), address: person?.email ?? '' },
        telegram: { available: chats.length > 0, linked: chats.length > 0 },
      },
      manager: can(actor, 'conversation.assign_others'),
      timeZone: person?.timeZone ?? null,
    };
  }

  async savePreferences(actor: Actor, settings: NotificationSettings): Promise<NotificationPreferences> {
    if (settings.quietHours.timeZone && !validZone(settings.quietHours.timeZone)) {
      throw new AppError('validation_failed', `Unknown time zone "${settings.quietHours.timeZone}"`, { field: 'quietHours.timeZone' });
    }
    await this.repo.saveSettings(actor.accountId, actor.userId, notificationSettings.parse(settings));
    return this.preferences(actor);
  }

  async subscribe(actor: Actor, sub: PushSubscriptionRequest, userAgent: string | undefined): Promise<void> {
    // The endpoint is called later by the delivery job: refuse now what the outbound policy would refuse then.
    await this.ctx.outbound.checkUrl(sub.endpoint, 'endpoint');
    await this.repo.subscribe({
      accountId: actor.accountId,
      userId: actor.userId,
      endpoint: sub.endpoint,
      p256dh: sub.keys.p256dh,
      auth: sub.keys.auth,
      userAgent: userAgent?.slice(0, 300) ?? null,
    });
  }

  async unsubscribe(actor: Actor, endpoint: string): Promise<void> {
    await this.repo.unsubscribe(actor.accountId, actor.userId, endpoint);
  }

  async deliveries(actor: Actor, status: NotificationDelivery['status'] | undefined): Promise<NotificationDelivery[]> {
    const rows = await this.repo.deliveries(actor.accountId, actor.userId, status, 100);
    return rows.map(({ delivery: d, title }) => ({
      id: d.id,
      notificationId: d.notificationId,
      title,
      medium: d.medium,
      status: d.status,
      attempts: d.attempts,
      lastError: d.lastError,
      notBefore: d.notBefore?.toISOString() ?? null,
      sentAt: d.sentAt?.toISOString() ?? null,
      createdAt: d.createdAt.toISOString(),
    }));
  }

  /** A test notification to myself through every medium I chose for mentions (to check push, e-mail, Telegram). */
  async sendTest(actor: Actor): Promise<Notification> {
    return transaction(this.ctx.pool, async (tx) => {
      const audience = await Audience.load(tx, actor.accountId);
      const person = audience.people.get(actor.userId);
      const lang = langOf(person?.locale);
      const sourceKey = `test:${Date.now()}:${Math.random().toString(36).slice(2)}`;
      const [row] = await notify(this.ctx, tx, audience, {
        accountId: actor.accountId,
        userIds: [actor.userId],
        kind: 'mention',
        sourceKey,
        facts: {},
        title: (l) => testTexts[l].title,
        body: testTexts[lang].body,
        link: '/notifications',
        data: { test: true },
      });
      if (!row) throw new AppError('conflict', 'Mentions are switched off for every medium: nothing to test');
      return toNotification(row);
    });
  }
}

function validZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}
