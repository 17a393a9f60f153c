import type { AppContext } from '../../../context.js';
import { sha256 } from '../../../platform/crypto/secret-box.js';
import { AppError } from '../../../platform/http/errors.js';
import { ingestInbound, type IngestOutcome } from '../../conversations/conversations.inbound.js';
import {
  SendError,
  type ChannelAdapter,
  type ChannelRecord,
  type ConnectResult,
  type FetchedFile,
  type OutboundMessage,
  type PollSession,
  type SendResult,
} from '../adapter.js';
import type { ChannelRuntime, LoadedChannel } from '../channels.runtime.js';
import { errorMessage, sleep } from '../channels.util.js';
import { AvitoChatCache } from './avito.chats.js';
import { AvitoApi, AvitoApiError, AvitoAuthError, toSendError, type TokenSource } from './avito.client.js';
import { fetchAvitoFile } from './avito.files.js';
import { toInbound, userIdOf, type AvitoIncoming } from './avito.normalise.js';
import { pollAvito } from './avito.poller.js';
import { AvitoRepository } from './avito.repository.js';
import { splitForAvito } from './avito.split.js';
import { AvitoTokens, grantToken, type AvitoSecrets } from './avito.tokens.js';

/** Intervals of the Avito loops; tests shorten them. */
export interface AvitoTiming {
  /** Between rounds of a polling-mode channel. */
  pollingMs: number;
  /** Between backfill rounds of a webhook-mode channel (catches what a webhook missed). */
  backfillMs: number;
  /** How long a webhook waits for an unknown chat's listing before storing without it. */
  webhookChatLookupMs: number;
}

export class AvitoAdapter implements ChannelAdapter<AvitoSecrets> {
  readonly type = 'avito';
  // Avito publishes no per-chat limit: stay near 1 message/s per chat and 4/s per account.
  readonly throttle = { perChatMs: 1_000, perChannelMs: 250 };
  readonly secretFields = ['clientSecret', 'authorizationCode'] as const;
  timing: AvitoTiming = { pollingMs: 5_000, backfillMs: 60_000, webhookChatLookupMs: 800 };
  readonly tokens: AvitoTokens;
  readonly chats = new AvitoChatCache();
  readonly repo: AvitoRepository;

  constructor(
    readonly ctx: AppContext,
    readonly runtime: ChannelRuntime,
  ) {
    this.repo = new AvitoRepository(ctx.pool);
    this.tokens = new AvitoTokens(ctx.config.avitoApiRoot, ctx.secrets, runtime, this.repo);
  }

  /** Every live Avito channel polls: polling mode as its inbound, webhook mode as a backfill. */
  polls(): boolean {
    return true;
  }

  poll(session: PollSession): Promise<void> {
    return pollAvito(this, session);
  }

  api(channel: ChannelRecord, secrets: AvitoSecrets): AvitoApi {
    return new AvitoApi(this.ctx.config.avitoApiRoot, this.tokens.source(channel, secrets), userIdOf(channel));
  }

  /** Avito signs nothing, so the webhook secret travels in the URL. */
  webhookUrl(channelId: string, webhookSecret: string): string {
    return `${this.ctx.config.publicUrl}/webhooks/avito/${channelId}/${webhookSecret}`;
  }

  async connect(channel: ChannelRecord, secrets: AvitoSecrets, webhookSecret: string): Promise<ConnectResult> {
    const root = this.ctx.config.avitoApiRoot;
    let granted: AvitoSecrets;
    try {
      granted = await grantToken(root, channel.config, secrets);
    } catch (err) {
      throw connectError(err);
    }
    // The channel may not exist yet: a refused brand-new token means no access, not an expired one.
    const fixed: TokenSource = { token: () => Promise.resolve(granted.accessToken!), renew: () => Promise.resolve(granted.accessToken!) };
    let self: { id: number; name?: string };
    try {
      self = await new AvitoApi(root, fixed, '').self();
    } catch (err) {
      throw connectError(err);
    }
    this.tokens.prime(channel.id, granted);
    const userId = String(self.id);
    const api = new AvitoApi(root, fixed, userId);
    const config = { avitoUserId: userId, ...(self.name ? { avitoAccountName: self.name } : {}) };
    const out: Record<string, unknown> = { ...granted, subscribedUrl: undefined };
    const url = this.webhookUrl(channel.id, webhookSecret);
    if (secrets.subscribedUrl && secrets.subscribedUrl !== url) {
      // Reconnecting: the old URL (old secret) must stop receiving.
      await api
        .unsubscribe(secrets.subscribedUrl)
        .catch((err: unknown) => this.ctx.log.warn({ err, channelId: channel.id }, 'old Avito webhook not removed'));
    }
    if (channel.config.mode === 'polling') return { status: 'connected', statusReason: null, config, secrets: out };
    try {
      await api.subscribe(url);
      return { status: 'connected', statusReason: null, config, secrets: { ...out, subscribedUrl: url } };
    } catch (err) {
      return { status: 'webhook_not_set', statusReason: errorMessage(err), config, secrets: out };
    }
  }

  async disconnect(channel: ChannelRecord, secrets: AvitoSecrets): Promise<void> {
    try {
      if (secrets.subscribedUrl) await this.api(channel, secrets).unsubscribe(secrets.subscribedUrl);
    } finally {
      this.tokens.forget(channel.id);
    }
  }

  /**
   * Sends a reply as one or more Avito messages (≤ 1000 characters each). The split depends on the
   * text alone; when a part fails, the ids of the parts already sent are kept in the channel state
   * under the message id, so the retry (same plan) continues with the next part instead of repeating.
   */
  async send(channel: ChannelRecord, secrets: AvitoSecrets, message: OutboundMessage): Promise<SendResult> {
    const parts = splitForAvito(message.text);
    if (parts.length === 0) throw new SendError('permanent', 'Avito: the message is empty');
    const api = this.api(channel, secrets);
    const plan = sha256(parts.join('\u0000')).slice(0, 16);
    const split = parts.length > 1;
    const sent = split ? await this.sentParts(channel.id, message.id, plan) : [];
    for (let i = sent.length; i < parts.length; i++) {
      if (i > 0) await sleep(this.throttle.perChatMs);
      try {
        sent.push((await api.sendText(message.chatId, parts[i]!)).id);
      } catch (err) {
        if (sent.length > 0) await this.keepProgress(channel.id, message.id, plan, sent, parts.length);
        throw toSendError(err);
      }
    }
    if (split) {
      await this.repo
        .dropSplitProgress(channel.id, message.id)
        .catch((err: unknown) => this.ctx.log.warn({ err, messageId: message.id }, 'split progress not cleared'));
    }
    return { externalId: sent.join(','), ...(split ? { meta: { avitoParts: parts.length } } : {}) };
  }

  private async sentParts(channelId: string, messageId: string, plan: string): Promise<string[]> {
    const p = (await this.repo.splitProgress(channelId, messageId)) as { plan?: unknown; sent?: unknown } | null;
    const same = p?.plan === plan && Array.isArray(p.sent) && p.sent.every((s) => typeof s === 'string');
    return same ? [...(p.sent as string[])] : [];
  }

  private async keepProgress(channelId: string, messageId: string, plan: string, sent: string[], total: number): Promise<void> {
    try {
      await this.repo.saveSplitProgress(channelId, messageId, { plan, sent });
    } catch (err) {
      this.ctx.log.error({ err, messageId }, 'split progress not saved');
      // Without the record a retry would repeat the parts already delivered: stop here, visibly.
      throw new SendError(
        'permanent',
        `Avito: sent ${sent.length} of ${total} parts; the rest could not be scheduled (${errorMessage(err)})`,
      );
    }
  }

  /** Tells Avito the operator has read the chat; an auth failure marks the channel. */
  async markRead(channel: ChannelRecord, secrets: AvitoSecrets, chatId: string): Promise<void> {
    try {
      await this.api(channel, secrets).markRead(chatId);
    } catch (err) {
      if (err instanceof AvitoAuthError) await this.runtime.markAuthFailed(channel.accountId, channel.id, err.message);
      throw err;
    }
  }

  fetchFile(channel: ChannelRecord, secrets: AvitoSecrets, fileId: string): Promise<FetchedFile> {
    return fetchAvitoFile(this.ctx.config.avitoApiRoot, this.api(channel, secrets), fileId);
  }

  /**
   * One message from the webhook. The webhook names neither the listing nor the customer: a known
   * chat adds them at once; an unknown one is looked up for at most `webhookChatLookupMs` (Avito
   * wants an answer within 2 s), after which the message is stored without them and the lookup,
   * when it completes, fills them in.
   */
  async handleWebhookMessage(channel: LoadedChannel, m: AvitoIncoming): Promise<IngestOutcome | 'ignored'> {
    const ownId = userIdOf(channel.record);
    if (!toInbound(m, ownId, undefined)) return 'ignored'; // our own echo, a service message
    const record = channel.record;
    const api = this.api(record, channel.secrets as unknown as AvitoSecrets);
    const lookup = this.chats.lookup(
      record.id,
      m.chatId,
      () => api.chat(m.chatId, 5_000),
      (err) => this.ctx.log.warn({ err, channelId: record.id, chatId: m.chatId }, 'Avito chat lookup failed'),
    );
    const chat = this.chats.get(record.id, m.chatId) ?? (await within(lookup, this.timing.webhookChatLookupMs));
    const outcome = await ingestInbound(this.ctx, record, toInbound(m, ownId, chat ?? undefined)!);
    if (!chat) {
      void lookup
        .then(async (late) => {
          if (late) await ingestInbound(this.ctx, record, toInbound(m, ownId, late)!);
        })
        .catch((err: unknown) => this.ctx.log.warn({ err, channelId: record.id }, 'Avito listing context not filled in'));
    }
    return outcome;
  }
}

/** A connect-time failure in the terms of the API: Avito said no (422), or could not be asked (503). */
function connectError(err: unknown): AppError {
  if (err instanceof AvitoAuthError) return new AppError('provider_rejected', err.message, { provider: 'avito' });
  if (err instanceof AvitoApiError && err.status >= 400 && err.status < 500 && err.status !== 429 && err.status !== 408) {
    return new AppError('provider_rejected', err.message, { provider: 'avito', status: err.status });
  }
  return new AppError('service_unavailable', `Avito could not be reached to check the credentials: ${errorMessage(err)}`);
}

/** `promise`'s value if it settles within `ms`, else null (the promise keeps running). */
function within<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
