import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import type { App } from '../../../platform/http/server.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import type { TelegramAdapter } from './telegram.adapter.js';

const update = z.looseObject({ update_id: z.number().int() });

/**
 * `POST /webhooks/telegram/:channelId`: checks the secret token, stores the message and answers 200
 * only after the commit. A database failure becomes a 5xx, so Telegram delivers the update again.
 */
export function telegramWebhookRoute(app: App, _ctx: AppContext, runtime: ChannelRuntime): void {
  app.post(
    '/webhooks/telegram/:channelId',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Telegram Bot API updates',
        params: z.object({ channelId: z.string().max(64) }),
        body: update,
      },
    },
    async (req, reply) => {
      const channel = await runtime.authenticateWebhook(
        'telegram',
        req.params.channelId,
        req.headers['x-telegram-bot-api-secret-token'],
        'X-Telegram-Bot-Api-Secret-Token',
      );
      await runtime.typed<TelegramAdapter>('telegram').handleUpdate(channel, req.body);
      runtime.noteInbound(channel.record.id);
      return reply.status(200).send({ ok: true });
    },
  );
}
