import type { AppContext } from '../../../context.js';
import { AppError } from '../../../platform/http/errors.js';
import { OutboundError } from '../../../platform/http/outbound.js';
import { applyDeliveryReport, ingestInbound } from '../../conversations/conversations.inbound.js';
import type { ChannelAdapter, ChannelRecord, ConnectResult, FetchedFile, OutboundMessage, PollSession, SendResult } from '../adapter.js';
import type { ChannelRuntime, LoadedChannel } from '../channels.runtime.js';
import { errorMessage, sleep } from '../channels.util.js';
import { GreenApiClient, GreenApiError, toSendError } from './green-api.client.js';
import { instanceOf, messageKey, normaliseNotification, statusOfState } from './green-api.normalise.js';
import { pollGreenApi } from './green-api.poller.js';

export interface GreenApiSecrets {
  apiTokenInstance: string;
}

/** Green-API (a WhatsApp account linked by QR code): one instance per channel, webhook or polling. */
export class GreenApiAdapter implements ChannelAdapter<GreenApiSecrets> {
  readonly type = 'green_api';
  /**
   * Green-API queues every send and releases them `delaySendMessagesMilliseconds` apart (500 ms at
   * least), and WhatsApp bans numbers that look like bulk senders; so one call per 500 ms per
   * instance (far under the 50 sendMessage calls/s the API accepts) and ~1 message/s per chat.
   */
  readonly throttle = { perChatMs: 1_000, perChannelMs: 500 };
  readonly secretFields = ['apiTokenInstance'] as const;
  /** `receiveNotification` long-poll timeout in polling mode (Green-API accepts 5–60 s). */
  receiveTimeoutSeconds = 20;

  constructor(
    private readonly ctx: AppContext,
    readonly runtime: ChannelRuntime,
  ) {}

  api(channel: ChannelRecord, secrets: GreenApiSecrets): GreenApiClient {
    const own = typeof channel.config.apiUrl === 'string' ? channel.config.apiUrl : undefined;
    return new GreenApiClient({
      apiUrl: (own ?? this.ctx.config.greenApiRoot).replace(/\/+$/, ''),
      idInstance: String(channel.config.idInstance),
      apiTokenInstance: secrets.apiTokenInstance,
      ...(own ? { via: this.ctx.outbound } : {}),
    });
  }

  /** Where the token goes: changing it requires sending the token again (ChannelsService). */
  credentialTargets(config: Record<string, unknown>): Record<string, string> {
    const apiUrl = typeof config.apiUrl === 'string' ? config.apiUrl : this.ctx.config.greenApiRoot;
    return { apiTokenInstance: new URL(apiUrl).origin };
  }

  webhookUrl(channelId: string): string {
    return `${this.ctx.config.publicUrl}/webhooks/green_api/${channelId}`;
  }

  polls(config: Record<string, unknown>): boolean {
    return config.mode === 'polling';
  }

  poll(session: PollSession): Promise<void> {
    return pollGreenApi(this, session);
  }

  /**
   * Checks the instance (`getStateInstance`), then points its notifications at our webhook with the
   * webhook secret as `webhookUrlToken`, or clears the webhook URL for polling (Green-API keeps
   * notifications in its queue only while no webhook URL is set).
   */
  async connect(channel: ChannelRecord, secrets: GreenApiSecrets, webhookSecret: string): Promise<ConnectResult> {
    if (typeof channel.config.apiUrl === 'string') await this.ctx.outbound.checkUrl(channel.config.apiUrl, 'config/apiUrl');
    const api = this.api(channel, secrets);
    const idInstance = String(channel.config.idInstance);
    let state: string | undefined;
    try {
      state = (await api.getStateInstance()).stateInstance;
    } catch (err) {
      if (err instanceof GreenApiError && err.status < 500 && err.status !== 429) {
        throw new AppError('provider_rejected', `Green-API rejected idInstance ${idInstance} or its apiTokenInstance: ${err.message}`, {
          provider: 'green_api',
          status: err.status,
        });
      }
      throw new AppError('service_unavailable', `Green-API could not be reached to check the instance: ${errorMessage(err)}`);
    }
    const polling = channel.config.mode === 'polling';
    const webhookUrl = this.webhookUrl(channel.id);
    const { status, statusReason } = statusOfState(state, idInstance);
    const config = { stateInstance: state ?? null, ...(polling ? {} : { webhookUrl }) };
    try {
      await api.setSettings({
        webhookUrl: polling ? '' : webhookUrl,
        webhookUrlToken: polling ? '' : webhookSecret,
        incomingWebhook: 'yes',
        outgoingWebhook: 'yes',
        stateWebhook: 'yes',
      });
    } catch (err) {
      if (status === 'auth_failed') return { status, statusReason, config };
      return {
        status: 'webhook_not_set',
        statusReason: `Green-API did not accept the notification settings: ${errorMessage(err)}`,
        config,
      };
    }
    return { status, statusReason, config };
  }

  async disconnect(channel: ChannelRecord, secrets: GreenApiSecrets): Promise<void> {
    if (channel.config.mode !== 'polling') await this.api(channel, secrets).setSettings({ webhookUrl: '', webhookUrlToken: '' });
  }

  async send(channel: ChannelRecord, secrets: GreenApiSecrets, message: OutboundMessage): Promise<SendResult> {
    try {
      const { idMessage } = await this.api(channel, secrets).sendMessage(message.chatId, message.text);
      if (!idMessage) throw new GreenApiError(200, 'Green-API accepted the message but returned no idMessage', undefined);
      return { externalId: messageKey(message.chatId, idMessage) };
    } catch (err) {
      throw toSendError(err);
    }
  }

  async markRead(channel: ChannelRecord, secrets: GreenApiSecrets, chatId: string): Promise<void> {
    await this.api(channel, secrets).readChat(chatId);
  }

  /** A file id is `chatId/idMessage`: `downloadFile` gives a fresh URL for it. */
  async fetchFile(channel: ChannelRecord, secrets: GreenApiSecrets, fileId: string): Promise<FetchedFile> {
    const slash = fileId.lastIndexOf('/');
    let url: string | undefined;
    try {
      url = (await this.api(channel, secrets).downloadFile(fileId.slice(0, slash), fileId.slice(slash + 1))).downloadUrl;
    } catch (err) {
      if (err instanceof GreenApiError && err.status < 500)
        throw new AppError('provider_rejected', `Green-API cannot provide this file: ${err.message}`);
      throw new AppError('service_unavailable', `Green-API could not be reached: ${errorMessage(err)}`);
    }
    if (!url) throw new AppError('provider_rejected', 'Green-API cannot provide this file (no download URL)');
    // The URL comes from the provider's answer: it goes through the outbound policy like any admin-set one.
    const res = await this.ctx.outbound.fetch(url).catch((err: unknown) => {
      if (err instanceof OutboundError && err.category === 'blocked_address')
        throw new AppError('provider_rejected', `Green-API gave a download URL outbound calls may not reach: ${err.message}`);
      throw new AppError('service_unavailable', `Green-API could not be reached: ${errorMessage(err)}`);
    });
    if (!res.ok || !res.body) throw new AppError('provider_rejected', `Green-API refused the download (HTTP ${res.status})`);
    const size = Number(res.headers.get('content-length'));
    return {
      body: res.body,
      contentType: res.headers.get('content-type') ?? undefined,
      size: Number.isFinite(size) && size > 0 ? size : undefined,
    };
  }

  /**
   * One notification from the webhook or the queue: a customer message is stored (resolving only
   * after the commit), a send status moves our message on, an instance state change updates the
   * channel's status. Notifications of another instance and other types are acknowledged and ignored.
   */
  async handleNotification(channel: LoadedChannel, body: unknown): Promise<void> {
    const from = instanceOf(body);
    if (from !== undefined && from !== String(channel.record.config.idInstance)) {
      this.ctx.log.warn({ channelId: channel.record.id, idInstance: from }, 'Green-API notification of another instance ignored');
      return;
    }
    const n = normaliseNotification(body);
    switch (n.kind) {
      case 'message':
        await ingestInbound(this.ctx, channel.record, n.message);
        this.runtime.noteInbound(channel.record.id);
        return;
      case 'status':
        // The status can overtake our own bookkeeping of the send it reports on: look once more shortly after.
        if (!(await applyDeliveryReport(this.ctx, channel.record, n.report))) {
          await sleep(500);
          await applyDeliveryReport(this.ctx, channel.record, n.report);
        }
        return;
      case 'state': {
        const { status, statusReason } = statusOfState(n.stateInstance, String(channel.record.config.idInstance));
        await this.runtime.setStatus(channel.record.accountId, channel.record.id, status, statusReason);
        return;
      }
      case 'ignored':
        return;
    }
  }
}
