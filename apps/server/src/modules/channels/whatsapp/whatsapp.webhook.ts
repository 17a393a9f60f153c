import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { safeEqual } from '../../../platform/crypto/secret-box.js';
import { AppError } from '../../../platform/http/errors.js';
import type { App } from '../../../platform/http/server.js';
import type { ChannelRuntime, LoadedChannel } from '../channels.runtime.js';
import type { WhatsappCloudAdapter, WhatsappSecrets } from './whatsapp.adapter.js';

const params = z.object({ channelId: z.string().max(64) });

/**
 * Meta's webhook for one WhatsApp Cloud channel:
 * - `GET` answers the verification challenge when the admin saves the callback URL in the Meta app;
 * - `POST` checks `X-Hub-Signature-256` (HMAC-SHA256 of the raw body with the app secret), stores
 *   the messages and answers 200 only after the commit, so a failure makes Meta deliver again.
 *
 * The signature covers the exact bytes Meta sent (it escapes non-ASCII, a re-serialised body would
 * not match), so in this scope alone JSON bodies arrive as a Buffer and are parsed after the check.
 */
export function whatsappWebhookRoutes(app: App, _ctx: AppContext, runtime: ChannelRuntime): void {
  void app.register((scope: App, _opts, done) => {
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, parsed) => parsed(null, body));
    const adapter = () => runtime.typed<WhatsappCloudAdapter>('whatsapp_cloud');

    scope.get(
      '/webhooks/whatsapp_cloud/:channelId',
      {
        config: { public: true },
        schema: {
          tags: ['webhooks'],
          summary: 'WhatsApp Cloud API webhook verification (hub.challenge)',
          params,
          querystring: z.object({
            'hub.mode': z.string().max(32).optional(),
            'hub.verify_token': z.string().max(256).optional(),
            'hub.challenge': z.string().max(256).optional(),
          }),
        },
      },
      async (req, reply) => {
        const channel = await whatsappChannel(runtime, req.params.channelId);
        const q = req.query;
        const expected = channel ? adapter().verifyToken(channel.record.id, channel.secrets as unknown as WhatsappSecrets) : undefined;
        if (
          !channel ||
          !expected ||
          q['hub.mode'] !== 'subscribe' ||
          !q['hub.verify_token'] ||
          !safeEqual(q['hub.verify_token'], expected)
        ) {
          throw new AppError('forbidden', 'The verify token does not match this channel');
        }
        await adapter().webhookVerified(channel);
        return reply
          .status(200)
          .type('text/plain')
          .send(q['hub.challenge'] ?? '');
      },
    );

    scope.post(
      '/webhooks/whatsapp_cloud/:channelId',
      { config: { public: true }, schema: { tags: ['webhooks'], summary: 'WhatsApp Cloud API notifications', params } },
      async (req, reply) => {
        const channel = await whatsappChannel(runtime, req.params.channelId);
        const raw = Buffer.isBuffer(req.body) ? req.body : undefined;
        const secrets = channel?.secrets as unknown as WhatsappSecrets | undefined;
        if (!channel || !secrets || !raw || !adapter().signatureValid(secrets, raw, req.headers['x-hub-signature-256'])) {
          throw new AppError('invalid_webhook_secret', 'Missing or wrong X-Hub-Signature-256');
        }
        let body: unknown;
        try {
          body = JSON.parse(raw.toString('utf8'));
        } catch {
          throw new AppError('invalid_json', 'The request body is not valid JSON');
        }
        await adapter().handleWebhook(channel, body);
        return reply.status(200).send({ ok: true });
      },
    );
    done();
  });
}

async function whatsappChannel(runtime: ChannelRuntime, id: string): Promise<LoadedChannel | null> {
  const channel = await runtime.loadForWebhook(id);
  return channel?.record.type === 'whatsapp_cloud' ? channel : null;
}
