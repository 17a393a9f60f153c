import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import { defineJob } from '../../platform/queue/queue.js';
import type { TelegramAdapter, TelegramSecrets } from '../channels/telegram/telegram.adapter.js';
import { errorMessage } from '../channels/channels.util.js';
import { AlertsRepository, type AlertRow } from './alerts.repository.js';
import { sendAlertEmail } from './alerts.email.js';

const TITLES: Record<AlertRow['kind'], string> = {
  auth_failed: 'credentials rejected',
  webhook_not_set: 'webhook not registered',
  poller_lagging: 'poller lagging',
  no_inbound: 'no incoming messages',
  delivery_failing: 'replies failing',
};

export function alertText(a: AlertRow): string {
  return `⚠️ Switchboard: channel "${a.channelName}" (${a.channelType}) — ${TITLES[a.kind]}\n${a.message}`;
}

/**
 * `alert.notify`: tells the account's owners and admins about a new alert through the operator bot
 * (linked Telegram chats) and by e-mail when SMTP is configured. Outbound webhooks get the
 * `channel.alert` event from the events log. Skips alerts already notified or resolved meanwhile.
 */
export const alertNotifyJob = defineJob<'alert.notify', DeliveryContext>({
  name: 'alert.notify',
  concurrency: 2,
  options: { retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 120 },
  async handler({ accountId, alertId }, _meta, ctx) {
    const repo = new AlertsRepository(ctx.db);
    const alert = await repo.get(accountId, alertId);
    if (!alert || alert.notifiedAt || alert.resolvedAt) {
      ctx.log.info({ alertId }, 'alert.notify skipped: resolved or notified already');
      return;
    }
    const text = alertText(alert);
    const { telegram, emails } = await repo.managers(accountId);
    const failures: string[] = [];
    let delivered = 0;
    const telegramAdapter = ctx.channels.typed<TelegramAdapter>('telegram');
    for (const to of telegram) {
      const bot = await ctx.channels.load(accountId, to.botChannelId);
      if (!bot) continue;
      try {
        await telegramAdapter.api(bot.secrets as unknown as TelegramSecrets).sendMessage(to.chatId, text);
        delivered++;
      } catch (err) {
        failures.push(`Telegram ${to.chatId}: ${errorMessage(err)}`);
      }
    }
    if (ctx.config.smtpUrl && emails.length) {
      try {
        await sendAlertEmail(ctx.config, emails, `Switchboard alert: ${alert.channelName} — ${TITLES[alert.kind]}`, text);
        delivered++;
      } catch (err) {
        failures.push(`e-mail: ${errorMessage(err)}`);
      }
    }
    // Retried only when nobody could be told; a partial success is logged rather than repeated to those who got it.
    if (failures.length && delivered === 0) throw new Error(`alert not delivered: ${failures.join('; ')}`);
    if (failures.length) ctx.log.warn({ alertId, failures }, 'alert partly delivered');
    await repo.markNotified(alertId);
  },
});
