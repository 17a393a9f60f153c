import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import type { App } from '../../../platform/http/server.js';
import { AppError } from '../../../platform/http/errors.js';
import { safeEqual, sha256 } from '../../../platform/crypto/secret-box.js';
import { ingestInbound } from '../../conversations/conversations.inbound.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import { normaliseUpdate } from './telegram.normalise.js';

const update = z.looseObject({ update_id: z.number().int() });

/**
 * `POST /webhooks/telegram/:channelId`: checks the secret token, stores the message and answers 200
 * only after the commit. A database failure becomes a 5xx, so Telegram delivers the update again.
 */
export function telegramWebhookRoute(app: App, ctx: AppContext, runtime: ChannelRuntime): void {
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
      const given = req.headers['x-telegram-bot-api-secret-token'];
      const channel = z.uuid().safeParse(req.params.channelId).success ? await runtime.loadForWebhook(req.params.channelId) : null;
      if (
        !channel ||
        channel.record.type !== 'telegram' ||
        !channel.webhookSecretHash ||
        typeof given !== 'string' ||
        !safeEqual(sha256(given), channel.webhookSecretHash)
      ) {
        throw new AppError('invalid_webhook_secret', 'Missing or wrong X-Telegram-Bot-Api-Secret-Token');
      }
      const inbound = normaliseUpdate(req.body);
      if (inbound) {
        const outcome = await ingestInbound(ctx, channel.record, inbound);
        runtime.noteInbound(channel.record.id);
        req.log.debug({ updateId: req.body.update_id, outcome }, 'telegram update');
      }
      return reply.status(200).send({ ok: true });
    },
  );
}
