import type { ApiInboundMessageRequest, ApiInboundMessageResponse } from '@switchboard/shared';
import type { AppContext } from '../../../context.js';
import { ingestInbound } from '../../conversations/conversations.inbound.js';
import { ConversationsRepository } from '../../conversations/conversations.repository.js';
import { callbackUrlOf, syncChannelEndpoint } from '../../webhooks/webhooks.channel-endpoint.js';
import { WebhookDeliverer } from '../../webhooks/webhooks.delivery.js';
import { outboundPayload } from '../../webhooks/webhooks.payload.js';
import {
  SendError,
  type ChannelAdapter,
  type ChannelRecord,
  type ConnectResult,
  type OutboundMessage,
  type SendResult,
} from '../adapter.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import { ApiChannelRepository } from './api.repository.js';

/**
 * Dedup keys are namespaced: a sender's `messageId` can be any string, and must never collide with
 * the key of one of our replies on the same channel.
 */
const inboundKey = (messageId: string) => `in:${messageId}`;
const outboundKey = (messageId: string) => `out:${messageId}`;

/**
 * The API channel: a company's own system posts customer messages (`POST /api/channels/:id/messages`
 * with an API token) and receives the replies at its `callbackUrl` as signed `message.outbound`
 * webhooks.
 *
 * A reply's `send` is one signed POST on the reply's webhook delivery row (created on the first try,
 * so every attempt is in the delivery log). 2xx: sent. Otherwise the `message.send` job is told to come
 * back at the webhook schedule's next attempt (`rate_limited` + retry-after, which does not use up
 * the job's few quick retries), until the delivery's window (24 h) is over: then the message fails
 * with the last error. A 410 Gone fails it at once.
 */
export class ApiAdapter implements ChannelAdapter<Record<string, unknown>> {
  readonly type = 'api';
  readonly throttle = { perChatMs: 0, perChannelMs: 0 };
  readonly secretFields = [] as const;
  private readonly deliverer: WebhookDeliverer;
  private readonly messages: ConversationsRepository;
  private readonly repo: ApiChannelRepository;

  constructor(
    private readonly ctx: AppContext,
    readonly runtime: ChannelRuntime,
  ) {
    this.deliverer = new WebhookDeliverer(ctx);
    this.messages = new ConversationsRepository(ctx.db);
    this.repo = new ApiChannelRepository(ctx.db);
  }

  /** Nothing to check with a provider: the callback URL must only be one the outbound policy allows. */
  async connect(channel: ChannelRecord): Promise<ConnectResult> {
    const url = channel.config.callbackUrl;
    if (typeof url === 'string') await this.ctx.outbound.checkUrl(url, 'config/callbackUrl');
    return {
      status: 'connected',
      statusReason: null,
      config: { inboundUrl: `${this.ctx.config.publicUrl}/api/channels/${channel.id}/messages` },
    };
  }

  async disconnect(channel: ChannelRecord): Promise<void> {
    await syncChannelEndpoint(this.ctx, {
      id: channel.id,
      accountId: channel.accountId,
      name: channel.name,
      callbackUrl: null,
      deleted: true,
    });
  }

  /** Stores one posted customer message (a repeated `messageId` stores nothing) and says where it went. */
  async receive(channel: ChannelRecord, body: ApiInboundMessageRequest): Promise<ApiInboundMessageResponse> {
    const externalId = inboundKey(body.messageId);
    const outcome = await ingestInbound(this.ctx, channel, {
      externalId,
      chatId: body.contact.externalId,
      contact: { externalId: body.contact.externalId, name: body.contact.name ?? null, username: null },
      text: body.text,
      attachments: [],
      sentAt: body.sentAt ? new Date(body.sentAt) : new Date(),
      edited: false,
      ...(body.threadKey ? { threadKey: body.threadKey } : {}),
    });
    const stored = await this.repo.messageByExternalId(channel.id, externalId);
    if (!stored) throw new Error(`message ${externalId} of channel ${channel.id} not found after ingest`);
    return { id: stored.id, conversationId: stored.conversationId, duplicate: outcome === 'duplicate' };
  }

  async send(channel: ChannelRecord, _secrets: Record<string, unknown>, message: OutboundMessage): Promise<SendResult> {
    const callbackUrl = callbackUrlOf(channel.config);
    if (!callbackUrl) throw new SendError('permanent', 'This API channel has no callbackUrl to deliver replies to');
    const endpoint = await syncChannelEndpoint(this.ctx, { id: channel.id, accountId: channel.accountId, name: channel.name, callbackUrl });
    if (!endpoint) throw new SendError('permanent', 'This API channel has no callback endpoint');
    if (!endpoint.enabled) throw new SendError('permanent', 'The callback endpoint of this channel is disabled (Webhooks page)');
    const row = await this.messages.getMessage(this.ctx.db, channel.accountId, message.id);
    if (!row) throw new SendError('permanent', 'The message was deleted');
    const sent = { externalId: outboundKey(message.id) };

    const repo = this.deliverer.repo;
    let delivery = await repo.findDelivery(this.ctx.db, endpoint.id, `msg_${message.id}`, row.createdAt);
    if (delivery?.status === 'delivered') return { ...sent, meta: { webhookDeliveryId: delivery.id } }; // acknowledged before a crash
    // Given up earlier and now sent again (dead-letter retry): a fresh window on the same log row.
    if (delivery?.status === 'dead') [delivery] = await repo.restart(this.ctx.db, channel.accountId, { ids: [delivery.id] });
    delivery ??= await repo.insertDelivery(this.ctx.db, {
      accountId: channel.accountId,
      endpointId: endpoint.id,
      eventType: 'message.outbound',
      payload: outboundPayload(channel.accountId, {
        messageId: message.id,
        channelId: channel.id,
        conversationId: row.conversationId,
        chatId: message.chatId,
        threadKey: message.threadKey,
        text: message.text,
        authorType: row.authorType,
        createdAt: row.createdAt,
      }),
    });

    const result = await this.deliverer.attempt(delivery, endpoint, { reschedule: false });
    switch (result.verdict) {
      case 'delivered':
        return { ...sent, meta: { webhookDeliveryId: delivery.id } };
      case 'dead':
        throw new SendError('permanent', `Callback delivery failed: ${result.outcome.error ?? 'unknown error'}`);
      case 'retry': {
        const seconds = Math.max(1, Math.ceil((result.nextAttemptAt!.getTime() - Date.now()) / 1000));
        throw new SendError('rate_limited', `Callback delivery failed: ${result.outcome.error ?? 'unknown error'}`, seconds);
      }
    }
  }
}
