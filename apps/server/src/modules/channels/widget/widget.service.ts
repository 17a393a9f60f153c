import { randomUUID } from 'node:crypto';
import type { WidgetMessage, WidgetPostMessageRequest, WidgetPublicConfig, WidgetSession, WidgetStreamTicket } from '@switchboard/shared';
import type { AppContext } from '../../../context.js';
import type { RealtimeEvent } from '../../../platform/events/bus.js';
import { AppError, notFound } from '../../../platform/http/errors.js';
import { WindowLimiter } from '../../../platform/http/window-limiter.js';
import { ingestInbound } from '../../conversations/conversations.inbound.js';
import type { InboundMessage } from '../adapter.js';
import type { ChannelRuntime, LoadedChannel } from '../channels.runtime.js';
import { WIDGET_EVENT, WidgetRepository } from './widget.repository.js';
import { signStreamTicket, signVisitorToken, STREAM_TICKET_TTL_MS, verifyStreamTicket, verifyVisitorToken } from './widget.token.js';
import type { WidgetSecrets } from './widget.adapter.js';

const HISTORY_LIMIT = 200;
/** A person types a few messages a minute; a script posting more is cut off. */
const POSTS_PER_VISITOR_PER_MIN = 20;
const POSTS_PER_IP_PER_MIN = 120;

/** The rules of the public widget API: which channel, which visitor, what they may see and send. */
export class WidgetService {
  readonly repo: WidgetRepository;
  private readonly perVisitor: WindowLimiter;
  private readonly perIp: WindowLimiter;

  constructor(
    private readonly ctx: AppContext,
    private readonly runtime: ChannelRuntime,
  ) {
    this.repo = new WidgetRepository(ctx.db);
    this.perVisitor = new WindowLimiter(ctx, POSTS_PER_VISITOR_PER_MIN, 60_000);
    this.perIp = new WindowLimiter(ctx, POSTS_PER_IP_PER_MIN, 60_000);
  }

  /** A widget channel by id (any other channel type is "not found" here). */
  async channel(channelId: string): Promise<LoadedChannel> {
    const channel = await this.runtime.loadForWebhook(channelId);
    if (!channel || channel.record.type !== 'widget') throw notFound('Chat widget');
    return channel;
  }

  allowedOrigins(channel: LoadedChannel): string[] {
    const list = channel.record.config.allowedOrigins;
    return Array.isArray(list) ? list.filter((o): o is string => typeof o === 'string') : [];
  }

  publicConfig(channel: LoadedChannel): WidgetPublicConfig {
    const c = channel.record.config;
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);
    const preChat = (c.preChat ?? {}) as { name?: unknown; email?: unknown };
    return {
      channelId: channel.record.id,
      title: text(c.title),
      greeting: text(c.greeting),
      color: typeof c.color === 'string' && /^#[0-9a-fA-F]{6}$/.test(c.color) ? c.color : null,
      locale: c.locale === 'ru' || c.locale === 'en' ? c.locale : 'auto',
      preChat: { name: preChat.name === true, email: preChat.email === true },
    };
  }

  /** Resumes the visitor a token names (a wrong token is refused), or starts a new one. */
  session(channel: LoadedChannel, token: string | undefined): WidgetSession {
    if (token !== undefined) return { visitorId: this.visitor(channel, token), token, resumed: true };
    const visitorId = randomUUID();
    return { visitorId, token: signVisitorToken(this.key(channel), channel.record.id, visitorId), resumed: false };
  }

  /** The visitor a request's token names; `invalid_visitor_token` (401) for a missing, foreign or forged one. */
  visitor(channel: LoadedChannel, token: unknown): string {
    const visitorId = verifyVisitorToken(this.key(channel), channel.record.id, token);
    if (!visitorId) throw new AppError('invalid_visitor_token', 'The visitor token is missing or invalid; start a new chat session');
    return visitorId;
  }

  /** A one-minute ticket that opens this visitor's event stream (its URL is the place for it, not the token). */
  streamTicket(channel: LoadedChannel, token: unknown): WidgetStreamTicket {
    const visitorId = this.visitor(channel, token);
    const expiresAt = Date.now() + STREAM_TICKET_TTL_MS;
    return {
      ticket: signStreamTicket(this.key(channel), channel.record.id, visitorId, expiresAt),
      expiresAt: new Date(expiresAt).toISOString(),
    };
  }

  /** The visitor a stream ticket names; `invalid_stream_ticket` (401) for a missing, expired, foreign or forged one. */
  streamVisitor(channel: LoadedChannel, ticket: unknown): string {
    const visitorId = verifyStreamTicket(this.key(channel), channel.record.id, ticket);
    if (!visitorId) throw new AppError('invalid_stream_ticket', 'The stream ticket is missing, expired or invalid; ask for a new one');
    return visitorId;
  }

  history(channel: LoadedChannel, visitorId: string): Promise<WidgetMessage[]> {
    return this.repo.visitorMessages(channel.record.accountId, channel.record.id, visitorId, HISTORY_LIMIT);
  }

  /**
   * A visitor's message, stored like any channel's inbound (the AI first line answers it when the
   * channel's assistant is on). A repeated client id returns the message stored the first time.
   */
  async post(channel: LoadedChannel, visitorId: string, input: WidgetPostMessageRequest, ip: string) {
    const id = channel.record.id;
    await this.perVisitor.hit([`widget:visitor:${id}:${visitorId}`], (s) => `Too many messages; wait ${s} s before sending more`);
    await this.perIp.hit([`widget:ip:${id}:${ip}`], (s) => `Too many messages from this network; wait ${s} s`);
    const externalId = `${visitorId}:${input.clientId}`;
    const pageUrl = input.page?.url && /^https?:\/\//i.test(input.page.url) ? input.page.url : undefined;
    const inbound: InboundMessage = {
      externalId,
      chatId: visitorId,
      contact: { externalId: visitorId, name: input.visitor?.name ?? null, username: input.visitor?.email ?? null },
      text: input.text,
      attachments: [],
      sentAt: new Date(),
      edited: false,
      ...(pageUrl ? { context: { kind: 'page', url: pageUrl, ...(input.page?.title ? { title: input.page.title } : {}) } } : {}),
    };
    const outcome = await ingestInbound(this.ctx, channel.record, inbound);
    const message = await this.repo.inboundByExternalId(id, externalId, visitorId);
    if (!message) throw new Error('a stored widget message could not be read back');
    if (outcome === 'stored') {
      this.runtime.noteInbound(id);
      // The visitor's other tabs show it too.
      await this.ctx.bus.publish(this.ctx.pool, channel.record.accountId, WIDGET_EVENT, { channelId: id, visitorId, message });
    }
    return { message, duplicate: outcome === 'duplicate' };
  }

  /** Account events as they are published (the event stream filters them to one visitor). */
  subscribe(accountId: string, listener: (event: RealtimeEvent) => void): () => void {
    return this.ctx.bus.subscribe(accountId, listener);
  }

  private key(channel: LoadedChannel): string {
    const key = (channel.secrets as WidgetSecrets).visitorKey;
    if (!key) throw new Error(`widget channel ${channel.record.id} has no visitor key`);
    return key;
  }
}
