import { z } from 'zod';

export const telegramChannelConfig = z.object({
  botToken: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)'),
  mode: z.enum(['webhook', 'polling']).default('webhook'),
  /** The AI first line: new conversations start with the bot. */
  assistant: z.object({ enabled: z.boolean() }).optional(),
});

export const createChannelRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('telegram'), name: z.string().trim().min(1).max(100), config: telegramChannelConfig }),
]);
export type CreateChannelRequest = z.input<typeof createChannelRequest>;

export const updateChannelRequest = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  // No defaults here: only what is sent changes (switching the assistant must not reconnect the bot).
  config: z
    .object({
      botToken: telegramChannelConfig.shape.botToken.optional(),
      mode: z.enum(['webhook', 'polling']).optional(),
      assistant: z.object({ enabled: z.boolean() }).optional(),
    })
    .optional(),
});

export const channelStatus = z.enum(['connecting', 'connected', 'auth_failed', 'webhook_not_set', 'poller_lagging', 'error']);

/** What a channel shows of its settings: never credentials, only a hint to recognise the token. */
export const channelConfig = z.object({
  mode: z.enum(['webhook', 'polling']),
  botUsername: z.string().optional(),
  botId: z.number().optional(),
  botTokenHint: z.string().optional(),
  webhookUrl: z.string().optional(),
  assistant: z.object({ enabled: z.boolean() }),
});
export type ChannelConfig = z.infer<typeof channelConfig>;

export const channel = z.object({
  id: z.uuid(),
  type: z.string(),
  name: z.string(),
  config: channelConfig,
  status: channelStatus,
  statusReason: z.string().nullable(),
  lastInboundAt: z.iso.datetime().nullable(),
  lastOutboundAt: z.iso.datetime().nullable(),
  lastPolledAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Channel = z.infer<typeof channel>;
