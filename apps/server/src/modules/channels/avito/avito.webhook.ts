import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import type { App } from '../../../platform/http/server.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import type { AvitoAdapter } from './avito.adapter.js';
import { userIdOf } from './avito.normalise.js';

const id = z.union([z.string().min(1).max(200), z.number()]).transform(String);

/** Messenger webhook v3: `{id, version, timestamp, payload: {type: "message", value: {…}}}`. */
const messageEvent = z.looseObject({
  payload: z.looseObject({
    type: z.literal('message'),
    value: z.looseObject({
      id,
      chat_id: id,
      user_id: id.optional(),
      author_id: id,
      created: z.number(),
      type: z.string().default('text'),
      content: z.looseObject({}).optional(),
    }),
  }),
});

/**
 * `POST /webhooks/avito/:channelId/:secret`: Avito signs nothing, so the secret is a URL segment
 * (checked in constant time; wrong → 401, nothing stored). The message is stored before the 200;
 * other event types and our own echoed messages are acknowledged and dropped.
 */
export function avitoWebhookRoute(app: App, ctx: AppContext, runtime: ChannelRuntime): void {
  app.post(
    '/webhooks/avito/:channelId/:secret',
    {
      config: { public: true },
      schema: {
        tags: ['webhooks'],
        summary: 'Avito messenger webhook (v3)',
        params: z.object({ channelId: z.string().max(64), secret: z.string().max(200) }),
        body: z.looseObject({}),
      },
    },
    async (req, reply) => {
      const channel = await runtime.authenticateWebhook('avito', req.params.channelId, req.params.secret, 'webhook secret');
      const event = messageEvent.safeParse(req.body);
      if (!event.success) return reply.status(200).send({ ok: true });
      const v = event.data.payload.value;
      const ownId = userIdOf(channel.record);
      if (v.user_id !== undefined && ownId && v.user_id !== ownId) {
        ctx.log.warn({ channelId: channel.record.id }, 'Avito webhook for another account ignored');
        return reply.status(200).send({ ok: true });
      }
      const outcome = await runtime.typed<AvitoAdapter>('avito').handleWebhookMessage(channel, {
        id: v.id,
        chatId: v.chat_id,
        authorId: v.author_id,
        created: v.created,
        type: v.type,
        content: v.content,
      });
      if (outcome !== 'ignored') runtime.noteInbound(channel.record.id);
      return reply.status(200).send({ ok: true });
    },
  );
}
