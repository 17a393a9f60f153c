import { createHmac } from 'node:crypto';
import type { AppContext } from '../../../context.js';
import { safeEqual } from '../../../platform/crypto/secret-box.js';
import { AppError } from '../../../platform/http/errors.js';
import { applyDeliveryReport, ingestInbound } from '../../conversations/conversations.inbound.js';
import type { ChannelAdapter, ChannelRecord, ConnectResult, FetchedFile, OutboundMessage, SendResult } from '../adapter.js';
import type { ChannelRuntime, LoadedChannel } from '../channels.runtime.js';
import { errorMessage, sleep } from '../channels.util.js';
import { describeGraphError, GraphError, graphRequest, isMetaMediaUrl, toSendError } from './whatsapp.client.js';
import { parseWebhook, type DeliveryReport } from './whatsapp.normalise.js';

export interface WhatsappSecrets {
  accessToken: string;
  appSecret: string;
}

const SETUP_STEP =
  'Meta delivers messages only after the webhook is set up: in the Meta app dashboard (WhatsApp → Configuration) enter the callback URL and verify token shown here, then subscribe to the "messages" field';

/** Meta WhatsApp Cloud API: one business phone number per channel. */
export class WhatsappCloudAdapter implements ChannelAdapter<WhatsappSecrets> {
  readonly type = 'whatsapp_cloud';
  /**
   * Per channel: Cloud API allows 80 messages/s per number, inbound included (20 for numbers shared
   * with the Business app), so 40/s leaves room for the customers' side. Per chat: the pair rate is
   * one message per 6 s to one user *on average*, with bursts of up to 45 borrowed from later; human
   * and assistant replies stay far below that, so 1 s keeps replies in order without making an
   * operator's second message wait 6 s. A burst that does overdraw gets 131056, which reschedules at
   * the pair rate (see `THROTTLED` in whatsapp.client.ts).
   */
  readonly throttle = { perChatMs: 1_000, perChannelMs: 25 };
  readonly secretFields = ['accessToken', 'appSecret'] as const;
  /** Channels whose webhook has been seen working in this process (their status is already settled). */
  private readonly confirmed = new Set<string>();

  constructor(
    private readonly ctx: AppContext,
    readonly runtime: ChannelRuntime,
  ) {}

  webhookUrl(channelId: string): string {
    return `${this.ctx.config.publicUrl}/webhooks/whatsapp_cloud/${channelId}`;
  }

  /**
   * The token Meta echoes when the admin saves the callback URL. Derived from the app secret and the
   * channel id: the same across reconnects, different per channel, and worthless for anything else
   * (it only answers Meta's verification challenge), so it can be shown with the channel's settings.
   */
  verifyToken(channelId: string, secrets: WhatsappSecrets): string {
    return createHmac('sha256', secrets.appSecret)
      .update(`switchboard:whatsapp_cloud:verify:${channelId}`)
      .digest('base64url')
      .slice(0, 32);
  }

  private graph<T>(secrets: WhatsappSecrets, path: string, req?: Parameters<typeof graphRequest>[3]): Promise<T> {
    return graphRequest<T>(this.ctx.config.whatsappApiRoot, secrets.accessToken, path, req);
  }

  async connect(channel: ChannelRecord, secrets: WhatsappSecrets): Promise<ConnectResult> {
    const phoneNumberId = String(channel.config.phoneNumberId);
    let number: { display_phone_number?: string; verified_name?: string };
    try {
      number = await this.graph(secrets, `${encodeURIComponent(phoneNumberId)}?fields=display_phone_number,verified_name`);
    } catch (err) {
      if (err instanceof GraphError && err.status < 500) {
        throw new AppError('provider_rejected', `Meta rejected the access token or phone number ID: ${err.message}`, {
          provider: 'whatsapp_cloud',
          code: err.code,
        });
      }
      throw new AppError('service_unavailable', `Meta could not be reached to check the access token: ${errorMessage(err)}`);
    }
    const verified = Boolean((await this.runtime.state(channel.id)).webhookVerifiedAt);
    return {
      status: verified ? 'connected' : 'webhook_not_set',
      statusReason: verified ? null : SETUP_STEP,
      config: {
        displayPhoneNumber: number.display_phone_number ?? null,
        verifiedName: number.verified_name ?? null,
        webhookUrl: this.webhookUrl(channel.id),
        verifyToken: this.verifyToken(channel.id, secrets),
      },
    };
  }

  /** Nothing to unregister: the callback URL belongs to the Meta app, which may serve other numbers. */
  async disconnect(): Promise<void> {}

  async send(channel: ChannelRecord, secrets: WhatsappSecrets, message: OutboundMessage): Promise<SendResult> {
    try {
      const sent = await this.graph<{ messages?: { id: string }[] }>(secrets, `${String(channel.config.phoneNumberId)}/messages`, {
        method: 'POST',
        body: {
          messaging_product: 'whatsapp',
          recipient_type: 'individual',
          to: message.chatId,
          type: 'text',
          text: { body: message.text },
        },
      });
      const id = sent.messages?.[0]?.id;
      if (!id) throw new GraphError(200, undefined, 'Meta accepted the message but returned no message id', undefined, undefined);
      return { externalId: id };
    } catch (err) {
      throw toSendError(err);
    }
  }

  /** Meta's media id → a short-lived download URL, fetched with the same token. */
  async fetchFile(_channel: ChannelRecord, secrets: WhatsappSecrets, fileId: string): Promise<FetchedFile> {
    let media: { url?: string; mime_type?: string; file_size?: number };
    try {
      media = await this.graph(secrets, encodeURIComponent(fileId));
    } catch (err) {
      if (err instanceof GraphError && err.status < 500)
        throw new AppError('provider_rejected', `WhatsApp cannot provide this file: ${describeGraphError(err)}`);
      throw new AppError('service_unavailable', `WhatsApp (Meta) could not be reached: ${errorMessage(err)}`);
    }
    if (!media.url) throw new AppError('provider_rejected', 'WhatsApp cannot provide this file (no download URL)');
    // The answer names the download host; the access token goes to Meta's own hosts only.
    if (!isMetaMediaUrl(media.url, this.ctx.config.whatsappApiRoot)) {
      throw new AppError('provider_rejected', 'WhatsApp cannot provide this file (its download URL is not on a Meta host)');
    }
    const res = await fetch(media.url, { headers: { authorization: `Bearer ${secrets.accessToken}` } }).catch((err: unknown) => {
      throw new AppError('service_unavailable', `WhatsApp (Meta) could not be reached: ${errorMessage(err)}`);
    });
    if (!res.ok || !res.body) throw new AppError('provider_rejected', `WhatsApp refused the download (HTTP ${res.status})`);
    const size = Number(res.headers.get('content-length') ?? media.file_size);
    return {
      body: res.body,
      contentType: media.mime_type ?? res.headers.get('content-type') ?? undefined,
      size: Number.isFinite(size) && size > 0 ? size : undefined,
    };
  }

  /** Whether the `X-Hub-Signature-256` header is Meta's HMAC of exactly these bytes with the app secret. */
  signatureValid(secrets: WhatsappSecrets, rawBody: Buffer, header: unknown): boolean {
    if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
    const expected = `sha256=${createHmac('sha256', secrets.appSecret).update(rawBody).digest('hex')}`;
    return safeEqual(header.toLowerCase(), expected);
  }

  /** A successful verification challenge: the admin finished the dashboard step. */
  async webhookVerified(channel: LoadedChannel): Promise<void> {
    await this.runtime.saveState(channel.record.id, { webhookVerifiedAt: new Date().toISOString() });
    await this.settleSetupStatus(channel);
  }

  /**
   * A signed webhook body: stores every customer message (acknowledged only after all are stored) and
   * applies delivery statuses. A body for another number of the same Meta app goes to that number's
   * channel in the same account, if there is one.
   */
  async handleWebhook(channel: LoadedChannel, body: unknown): Promise<void> {
    await this.settleSetupStatus(channel);
    for (const change of parseWebhook(body)) {
      const target = await this.channelForNumber(channel, change.phoneNumberId);
      if (!target) {
        this.ctx.log.warn(
          { channelId: channel.record.id, phoneNumberId: change.phoneNumberId },
          'WhatsApp webhook for a number no channel serves',
        );
        continue;
      }
      if (target !== channel) await this.settleSetupStatus(target);
      for (const inbound of change.messages) await ingestInbound(this.ctx, target.record, inbound);
      for (const report of change.statuses) await this.applyReport(target, report);
      if (change.messages.length) this.runtime.noteInbound(target.record.id);
    }
  }

  /**
   * Meta may report `sent` before our own bookkeeping has stored the message id it returned; an
   * unknown id gets one more look shortly after instead of being dropped at once.
   */
  private async applyReport(channel: LoadedChannel, report: DeliveryReport): Promise<void> {
    if (await applyDeliveryReport(this.ctx, channel.record, report)) return;
    await sleep(500);
    await applyDeliveryReport(this.ctx, channel.record, report);
  }

  private async channelForNumber(channel: LoadedChannel, phoneNumberId: string): Promise<LoadedChannel | null> {
    if (String(channel.record.config.phoneNumberId) === phoneNumberId) return channel;
    const appSecret = (channel.secrets as unknown as WhatsappSecrets).appSecret;
    for (const row of await this.runtime.repo.list(channel.record.accountId)) {
      if (row.type !== this.type || String(row.config.phoneNumberId) !== phoneNumberId) continue;
      // Through the runtime's cache: a busy sibling number must not decrypt its secrets per webhook.
      const sibling = await this.runtime.loadForWebhook(row.id);
      if (!sibling) continue;
      // Only a channel of the same Meta app: the signature we checked was made with its secret.
      if (safeEqual((sibling.secrets as unknown as WhatsappSecrets).appSecret, appSecret)) return sibling;
    }
    return null;
  }

  /** The first verified or signed request moves a channel out of `webhook_not_set` (once per process). */
  private async settleSetupStatus(channel: LoadedChannel): Promise<void> {
    const id = channel.record.id;
    if (this.confirmed.has(id)) return;
    const row = await this.runtime.repo.get(channel.record.accountId, id);
    if (row?.status === 'webhook_not_set') {
      await this.runtime.saveState(id, { webhookVerifiedAt: new Date().toISOString() });
      await this.runtime.setStatus(channel.record.accountId, id, 'connected', null);
    }
    this.confirmed.add(id);
  }
}
