import { z } from 'zod';

export const channelTypes = ['telegram', 'avito', 'whatsapp_cloud', 'green_api', 'widget', 'email', 'api'] as const;
export const channelType = z.enum(channelTypes);
export type ChannelType = z.infer<typeof channelType>;

/** The AI first line: new conversations start with the bot. */
const assistant = z.object({ enabled: z.boolean() });
/** Alert when nothing has arrived for this long (minutes); absent = no such alert. */
const silenceAlertMinutes = z
  .number()
  .int()
  .min(5)
  .max(60 * 24 * 14);
const mode = z.enum(['webhook', 'polling']);

/**
 * Each channel type's settings as a create request sends them. Secrets (tokens, passwords) are part
 * of the request but stored sealed and never returned; each adapter names its secret fields.
 */
export const telegramChannelConfig = z.object({
  botToken: z
    .string()
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)'),
  mode: mode.default('webhook'),
  /** `operators`: the account's operator bot (the Telegram bridge), not a customer channel. */
  purpose: z.enum(['customers', 'operators']).default('customers'),
  /** Operator bot: post conversations to this group (with a topic per conversation) instead of private chats. */
  bridgeGroupChatId: z.string().trim().max(32).optional(),
  assistant: assistant.optional(),
  silenceAlertMinutes: silenceAlertMinutes.optional(),
});

export const avitoChannelConfig = z.object({
  clientId: z.string().trim().min(1).max(200),
  clientSecret: z.string().trim().min(1).max(500),
  /** Authorization-code flow (connecting another Avito account): the code and the redirect URI it was issued for. */
  authorizationCode: z.string().trim().min(1).max(500).optional(),
  redirectUri: z.url().optional(),
  /** `webhook` (with a backfill poller) or `polling` only. */
  mode: mode.default('webhook'),
  assistant: assistant.optional(),
  silenceAlertMinutes: silenceAlertMinutes.optional(),
});

export const whatsappCloudChannelConfig = z.object({
  phoneNumberId: z
    .string()
    .trim()
    .regex(/^\d{5,30}$/, 'must be the numeric phone number ID from Meta'),
  accessToken: z.string().trim().min(20).max(1000),
  /** App secret: signs webhook deliveries (X-Hub-Signature-256). */
  appSecret: z.string().trim().min(8).max(200),
  assistant: assistant.optional(),
  silenceAlertMinutes: silenceAlertMinutes.optional(),
});

export const greenApiChannelConfig = z.object({
  idInstance: z
    .string()
    .trim()
    .regex(/^\d{4,20}$/, 'must be the numeric idInstance'),
  apiTokenInstance: z.string().trim().min(10).max(200),
  /** The instance's API host when it differs from the default (`GREENAPI_API_ROOT`), e.g. https://7103.api.greenapi.com. */
  apiUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL like https://7103.api.greenapi.com' }).optional(),
  mode: mode.default('webhook'),
  assistant: assistant.optional(),
  silenceAlertMinutes: silenceAlertMinutes.optional(),
});

export const widgetChannelConfig = z.object({
  /** Sites allowed to embed the widget (`https://shop.example`); empty = any. */
  allowedOrigins: z
    .array(
      z
        .string()
        .trim()
        .regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like https://shop.example'),
    )
    .max(50)
    .default([]),
  title: z.string().trim().max(80).optional(),
  greeting: z.string().trim().max(500).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #228be6')
    .optional(),
  locale: z.enum(['ru', 'en', 'auto']).default('auto'),
  preChat: z.object({ name: z.boolean(), email: z.boolean() }).default({ name: false, email: false }),
  assistant: assistant.optional(),
  silenceAlertMinutes: silenceAlertMinutes.optional(),
});

const host = z.string().trim().min(1).max(253);
const port = z.number().int().min(1).max(65535);
export const emailChannelConfig = z.object({
  address: z.email(),
  fromName: z.string().trim().max(100).optional(),
  imapHost: host,
  imapPort: port.default(993),
  imapSecure: z.boolean().default(true),
  imapUser: z.string().trim().min(1).max(320),
  imapPassword: z.string().min(1).max(500),
  imapMailbox: z.string().trim().min(1).max(200).default('INBOX'),
  smtpHost: host,
  smtpPort: port.default(465),
  smtpSecure: z.boolean().default(true),
  smtpUser: z.string().trim().min(1).max(320),
  smtpPassword: z.string().min(1).max(500),
  assistant: assistant.optional(),
  silenceAlertMinutes: silenceAlertMinutes.optional(),
});

export const apiChannelConfig = z.object({
  /** Where operator replies and events of this channel are posted (signed); optional. */
  callbackUrl: z.url().optional(),
  assistant: assistant.optional(),
  silenceAlertMinutes: silenceAlertMinutes.optional(),
});

/** Create-request config schema per channel type (the server validates updates against `.partial()`). */
export const channelConfigSchemas = {
  telegram: telegramChannelConfig,
  avito: avitoChannelConfig,
  whatsapp_cloud: whatsappCloudChannelConfig,
  green_api: greenApiChannelConfig,
  widget: widgetChannelConfig,
  email: emailChannelConfig,
  api: apiChannelConfig,
} as const satisfies Record<ChannelType, z.ZodObject>;

const name = z.string().trim().min(1).max(100);
export const createChannelRequest = z.discriminatedUnion('type', [
  z.object({ type: z.literal('telegram'), name, config: telegramChannelConfig }),
  z.object({ type: z.literal('avito'), name, config: avitoChannelConfig }),
  z.object({ type: z.literal('whatsapp_cloud'), name, config: whatsappCloudChannelConfig }),
  z.object({ type: z.literal('green_api'), name, config: greenApiChannelConfig }),
  z.object({ type: z.literal('widget'), name, config: widgetChannelConfig }),
  z.object({ type: z.literal('email'), name, config: emailChannelConfig }),
  z.object({ type: z.literal('api'), name, config: apiChannelConfig }),
]);
export type CreateChannelRequest = z.input<typeof createChannelRequest>;

export const updateChannelRequest = z.object({
  name: name.optional(),
  /**
   * Only what is sent changes; checked against the channel type's schema; `null` removes an optional
   * setting (or restores its default). Changing credentials or connection settings reconnects; switching
   * the assistant does not.
   */
  config: z.record(z.string(), z.unknown()).optional(),
});

export const channelStatus = z.enum(['connecting', 'connected', 'auth_failed', 'webhook_not_set', 'poller_lagging', 'error']);
export type ChannelStatus = z.infer<typeof channelStatus>;

/**
 * What a channel shows of its settings: the non-secret fields of its type plus facts learnt while
 * connecting (bot username, webhook URL, token hints). Never credentials.
 */
export const channelConfig = z.looseObject({
  mode: mode.optional(),
  botUsername: z.string().optional(),
  botId: z.number().optional(),
  botTokenHint: z.string().optional(),
  webhookUrl: z.string().optional(),
  purpose: z.enum(['customers', 'operators']).optional(),
  assistant,
});
export type ChannelConfig = z.infer<typeof channelConfig>;

export const channel = z.object({
  id: z.uuid(),
  type: channelType,
  name: z.string(),
  config: channelConfig,
  status: channelStatus,
  statusReason: z.string().nullable(),
  lastInboundAt: z.iso.datetime().nullable(),
  lastOutboundAt: z.iso.datetime().nullable(),
  lastPolledAt: z.iso.datetime().nullable(),
  errorCount: z.number().int(),
  lastError: z.string().nullable(),
  lastErrorAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Channel = z.infer<typeof channel>;
