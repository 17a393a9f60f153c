import type { AppContext } from '../../../context.js';
import { randomToken } from '../../../platform/crypto/secret-box.js';
import {
  SendError,
  type ChannelAdapter,
  type ChannelRecord,
  type ConnectResult,
  type OutboundMessage,
  type SendResult,
} from '../adapter.js';
import { WIDGET_EVENT, WidgetRepository } from './widget.repository.js';

export interface WidgetSecrets {
  /** Signs visitor tokens; generated once per channel and kept across reconnects. */
  visitorKey?: string;
}

/**
 * The chat widget on the company's own site. There is no provider: a reply is delivered by
 * publishing it to the visitor's event stream (the message is already stored, and the visitor's
 * history shows it from now on).
 */
export class WidgetAdapter implements ChannelAdapter<WidgetSecrets> {
  readonly type = 'widget';
  readonly throttle = { perChatMs: 0, perChannelMs: 0 };
  readonly secretFields = [] as const;
  // Every setting is read per request by the public widget API: nothing to reconnect.
  readonly softFields = ['allowedOrigins', 'title', 'greeting', 'color', 'locale', 'preChat'] as const;
  private readonly repo: WidgetRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new WidgetRepository(ctx.db);
  }

  embedUrl(): string {
    return `${this.ctx.config.publicUrl}/widget.js`;
  }

  connect(channel: ChannelRecord, secrets: WidgetSecrets): Promise<ConnectResult> {
    const embedUrl = this.embedUrl();
    return Promise.resolve({
      status: 'connected',
      statusReason: null,
      config: {
        embedUrl,
        embedSnippet: `<script src="${embedUrl}" data-channel="${channel.id}" async></script>`,
        demoUrl: `${this.ctx.config.publicUrl}/widget/demo/${channel.id}`,
      },
      secrets: { visitorKey: secrets.visitorKey ?? randomToken(32) },
    });
  }

  disconnect(): Promise<void> {
    return Promise.resolve();
  }

  async send(channel: ChannelRecord, _secrets: WidgetSecrets, message: OutboundMessage): Promise<SendResult> {
    const visible = await this.repo.outbound(channel.accountId, channel.id, message.id);
    if (!visible) throw new SendError('permanent', 'The message is not a reply in this widget channel');
    await this.ctx.bus.publish(this.ctx.pool, channel.accountId, WIDGET_EVENT, {
      channelId: channel.id,
      visitorId: message.chatId,
      message: visible,
    });
    return { externalId: message.id };
  }
}
