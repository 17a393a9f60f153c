import type { Update } from 'grammy/types';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../platform/http/errors.js';
import type { ChannelAdapter, ChannelRecord, ConnectResult, FetchedFile, OutboundMessage, PollSession } from '../adapter.js';
import type { ChannelRuntime, LoadedChannel } from '../channels.runtime.js';
import { ingestInbound } from '../../conversations/conversations.inbound.js';
import { GrammyError, HttpError, telegramApi, toSendError } from './telegram.client.js';
import { malformedUpdate, normaliseUpdate } from './telegram.normalise.js';
import { pollTelegram } from './telegram.poller.js';

export interface TelegramSecrets {
  botToken: string;
}

export const ALLOWED_UPDATES = ['message', 'edited_message'] as const;

/** Handles updates of an operator bot (the Telegram bridge registers itself here at boot). */
export type OperatorUpdateHandler = (channel: LoadedChannel, update: Update) => Promise<void>;

export class TelegramAdapter implements ChannelAdapter<TelegramSecrets> {
  readonly type = 'telegram';
  // Bot API limits: ~1 message/s per chat, ~30 messages/s per bot.
  readonly throttle = { perChatMs: 1_000, perChannelMs: 34 };
  readonly secretFields = ['botToken'] as const;
  readonly softFields = ['bridgeGroupChatId'] as const;
  /** Long-poll timeout of `getUpdates` in polling mode (Telegram allows up to 50 s). */
  longPollSeconds = 25;
  operatorUpdates: OperatorUpdateHandler | undefined;
  private readonly config: AppContext['config'];

  constructor(
    private readonly ctx: AppContext,
    readonly runtime: ChannelRuntime,
  ) {
    this.config = ctx.config;
  }

  polls(config: Record<string, unknown>): boolean {
    return config.mode === 'polling';
  }

  poll(session: PollSession): Promise<void> {
    return pollTelegram(this, session);
  }

  /** One update from the webhook or the poller: a customer message, or an operator's (bridge). */
  async handleUpdate(channel: LoadedChannel, update: Update): Promise<void> {
    const malformed = malformedUpdate(update);
    if (malformed) {
      this.ctx.log.warn({ channelId: channel.record.id, updateId: update.update_id, malformed }, 'malformed Telegram update ignored');
      return;
    }
    if (channel.record.config.purpose === 'operators') {
      await this.operatorUpdates?.(channel, update);
      return;
    }
    const inbound = normaliseUpdate(update);
    if (inbound) await ingestInbound(this.ctx, channel.record, inbound);
  }

  api(secrets: TelegramSecrets, timeoutSeconds?: number) {
    return telegramApi(secrets.botToken, this.config.telegramApiRoot, timeoutSeconds);
  }

  webhookUrl(channelId: string): string {
    return `${this.config.publicUrl}/webhooks/telegram/${channelId}`;
  }

  async connect(channel: ChannelRecord, secrets: TelegramSecrets, webhookSecret: string): Promise<ConnectResult> {
    const api = this.api(secrets);
    let me;
    try {
      me = await api.getMe();
    } catch (err) {
      if (err instanceof GrammyError) {
        throw new AppError('provider_rejected', `Telegram rejected the bot token: ${err.description}`, {
          provider: 'telegram',
          code: err.error_code,
        });
      }
      const reason = err instanceof HttpError ? err.message : String(err);
      throw new AppError('service_unavailable', `Telegram could not be reached to check the bot token: ${reason}`);
    }
    const config = { botUsername: me.username, botId: me.id, botTokenHint: tokenHint(secrets.botToken) };
    try {
      if (channel.config.mode === 'polling') {
        await api.deleteWebhook({ drop_pending_updates: false });
        return { status: 'connected', statusReason: null, config };
      }
      await api.setWebhook(this.webhookUrl(channel.id), {
        secret_token: webhookSecret,
        allowed_updates: [...ALLOWED_UPDATES],
        max_connections: 40,
      });
      return { status: 'connected', statusReason: null, config: { ...config, webhookUrl: this.webhookUrl(channel.id) } };
    } catch (err) {
      return { status: 'webhook_not_set', statusReason: toSendError(err).message, config };
    }
  }

  async disconnect(channel: ChannelRecord, secrets: TelegramSecrets): Promise<void> {
    if (channel.config.mode !== 'polling') await this.api(secrets).deleteWebhook();
  }

  /** `getFile`, then the download URL it names (bots may fetch files up to 20 MB). */
  async fetchFile(_channel: ChannelRecord, secrets: TelegramSecrets, fileId: string): Promise<FetchedFile> {
    let filePath: string | undefined;
    try {
      filePath = (await this.api(secrets).getFile(fileId)).file_path;
    } catch (err) {
      if (err instanceof GrammyError) throw new AppError('provider_rejected', `Telegram cannot provide this file: ${err.description}`);
      throw new AppError('service_unavailable', `Telegram could not be reached: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!filePath) throw new AppError('provider_rejected', 'Telegram cannot provide this file (no download path)');
    const res = await fetch(`${this.config.telegramApiRoot}/file/bot${secrets.botToken}/${filePath}`).catch((err: unknown) => {
      throw new AppError('service_unavailable', `Telegram could not be reached: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (!res.ok || !res.body) throw new AppError('provider_rejected', `Telegram refused the download (HTTP ${res.status})`);
    const size = Number(res.headers.get('content-length'));
    return {
      body: res.body,
      contentType: res.headers.get('content-type') ?? undefined,
      size: Number.isFinite(size) && size > 0 ? size : undefined,
    };
  }

  async send(_channel: ChannelRecord, secrets: TelegramSecrets, message: OutboundMessage) {
    try {
      const sent = await this.api(secrets).sendMessage(message.chatId, message.text);
      return { externalId: `${sent.chat.id}:${sent.message_id}` };
    } catch (err) {
      throw toSendError(err);
    }
  }
}

/** `123456:ABC…xyz` → `123456:…wxyz`: enough to recognise a token, useless to steal. */
export function tokenHint(token: string): string {
  const [botId] = token.split(':');
  return `${botId}:…${token.slice(-4)}`;
}
