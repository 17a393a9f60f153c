import { defineJob, type JobMeta } from '../../platform/queue/queue.js';
import { createMailer } from '../../platform/mail.js';
import { errorMessage } from '../channels/channels.util.js';
import type { TelegramAdapter, TelegramSecrets } from '../channels/telegram/telegram.adapter.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import { NotificationsRepository, type DeliveryRow, type NotificationRow } from './notifications.repository.js';
import { sendPush, vapidKeys } from './notifications.push.js';
import { skipReasons } from './notifications.texts.js';
import { checkWaiting } from './notifications.waiting.js';

type Outcome = { status: 'sent' } | { status: 'skipped'; reason: string };

/**
 * `notification.deliver`: one medium (push, e-mail, Telegram) of one notification. A failure is recorded
 * on the delivery (visible on the notifications page) and retried by pg-boss; the last failure leaves it
 * `failed` with its reason. A delivery held by quiet hours is skipped if the person read it in the app meanwhile.
 */
export const notificationDeliverJob = defineJob<'notification.deliver', DeliveryContext>({
  name: 'notification.deliver',
  concurrency: 4,
  options: { retryLimit: 4, retryDelay: 15, retryBackoff: true, expireInSeconds: 120 },
  async handler({ accountId, deliveryId }, meta, ctx) {
    const repo = new NotificationsRepository(ctx.db);
    const found = await repo.delivery(ctx.db, accountId, deliveryId);
    if (!found || found.delivery.status !== 'pending') {
      ctx.log.debug({ deliveryId, status: found?.delivery.status }, 'notification.deliver skipped: nothing pending');
      return;
    }
    const { delivery, notification } = found;
    if (delivery.notBefore && notification.readAt) {
      await repo.settleDelivery(ctx.db, delivery.id, { status: 'skipped', lastError: skipReasons.readDuringQuiet });
      return;
    }
    let outcome: Outcome;
    try {
      outcome = await deliver(ctx, repo, delivery, notification);
    } catch (err) {
      await recordFailure(repo, ctx, delivery, meta, errorMessage(err));
      throw err;
    }
    await repo.settleDelivery(ctx.db, delivery.id, {
      attempts: delivery.attempts + 1,
      ...(outcome.status === 'sent'
        ? { status: 'sent', sentAt: new Date(), lastError: null }
        : { status: 'skipped', lastError: outcome.reason }),
    });
  },
  async onDead({ accountId, deliveryId }, ctx) {
    const repo = new NotificationsRepository(ctx.db);
    const found = await repo.delivery(ctx.db, accountId, deliveryId);
    if (found?.delivery.status === 'pending') {
      await repo.settleDelivery(ctx.db, deliveryId, {
        status: 'failed',
        lastError: found.delivery.lastError ?? 'Delivery could not be processed',
      });
    }
  },
});

async function recordFailure(repo: NotificationsRepository, ctx: DeliveryContext, d: DeliveryRow, meta: JobMeta, error: string) {
  await repo.settleDelivery(ctx.db, d.id, {
    attempts: d.attempts + 1,
    lastError: error.slice(0, 500),
    ...(meta.isLastAttempt ? { status: 'failed' as const } : {}),
  });
}

async function deliver(ctx: DeliveryContext, repo: NotificationsRepository, d: DeliveryRow, n: NotificationRow): Promise<Outcome> {
  const url = n.link ? `${ctx.config.publicUrl}${n.link}` : ctx.config.publicUrl;
  switch (d.medium) {
    case 'push': {
      const targets = await repo.pushTargets(ctx.db, d.accountId, d.userId);
      if (targets.length === 0) return { status: 'skipped', reason: skipReasons.noBrowser };
      const keys = await vapidKeys(ctx.config);
      const payload = { id: n.id, kind: n.kind, title: n.title, body: n.body.slice(0, 300), link: n.link ?? '/' };
      const errors: string[] = [];
      let sent = 0;
      let gone = 0;
      for (const target of targets) {
        const result = await sendPush(ctx.outbound, keys, target, payload).catch((err: unknown) => ({
          ok: false as const,
          gone: false,
          error: errorMessage(err),
        }));
        if (result.ok) sent++;
        else if (result.gone) {
          gone++;
          await repo.dropSubscription(ctx.db, target.id);
        } else errors.push(result.error);
        await repo.noteSubscriptionError(ctx.db, target.id, result.ok ? null : result.error).catch(() => undefined);
      }
      if (sent > 0) return { status: 'sent' };
      if (gone === targets.length) return { status: 'skipped', reason: skipReasons.subscriptionsGone };
      throw new Error(errors.join('; '));
    }
    case 'email': {
      const person = await repo.personOf(ctx.db, d.accountId, d.userId);
      if (!person) return { status: 'skipped', reason: 'The person is no longer a member' };
      const mailed = await createMailer(ctx.config).send({ to: person.email, subject: n.title, text: `${n.body}\n\n${url}`.trim() });
      return mailed ? { status: 'sent' } : { status: 'skipped', reason: skipReasons.noMailServer };
    }
    case 'telegram': {
      const chats = await repo.telegramChats(ctx.db, d.accountId, d.userId);
      if (chats.length === 0) return { status: 'skipped', reason: skipReasons.noTelegram };
      const adapter = ctx.channels.typed<TelegramAdapter>('telegram');
      const text = `🔔 ${n.title}${n.body ? `\n\n${n.body.slice(0, 3000)}` : ''}\n${url}`;
      for (const chat of chats) {
        const bot = await ctx.channels.load(d.accountId, chat.botChannelId);
        if (!bot) continue;
        await adapter.api(bot.secrets as unknown as TelegramSecrets).sendMessage(chat.chatId, text);
      }
      return { status: 'sent' };
    }
  }
}

/** `notifications.waiting` (every minute): conversations waiting too long for an answer. */
export const notificationsWaitingJob = defineJob<'notifications.waiting', DeliveryContext>({
  name: 'notifications.waiting',
  concurrency: 1,
  options: { retryLimit: 1, retryDelay: 30, retryBackoff: false, expireInSeconds: 120 },
  async handler(_data, _meta, ctx) {
    const created = await checkWaiting(ctx);
    if (created > 0) ctx.log.info({ created }, 'waiting-too-long notifications');
  },
});
