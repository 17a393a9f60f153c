import type { AppContext } from '../../context.js';
import type { ChannelAdapter, ChannelRecord } from './adapter.js';
import { ChannelsRepository, type ChannelRow } from './channels.repository.js';
import { toChannel } from './channels.dto.js';
import { TelegramAdapter, type TelegramSecrets } from './telegram/telegram.adapter.js';

export interface LoadedChannel {
  record: ChannelRecord;
  secrets: TelegramSecrets;
  webhookSecretHash: string | null;
}

const CACHE_MS = 10_000;
const TOUCH_EVERY_MS = 5_000;

/**
 * What the hot paths (webhooks, delivery) need of channels: adapters by type and channels with
 * their credentials opened, cached briefly so a burst of updates does not decrypt per request.
 */
export class ChannelRuntime {
  readonly repo: ChannelsRepository;
  readonly telegram: TelegramAdapter;
  private readonly cache = new Map<string, { at: number; value: LoadedChannel | null }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly ctx: AppContext) {
    this.repo = new ChannelsRepository(ctx.db);
    this.telegram = new TelegramAdapter(ctx.config);
  }

  adapter(type: string): ChannelAdapter<TelegramSecrets> {
    if (type === 'telegram') return this.telegram;
    throw new Error(`no adapter for channel type ${type}`);
  }

  open(row: ChannelRow): LoadedChannel {
    return {
      record: { id: row.id, accountId: row.accountId, type: row.type, name: row.name, config: row.config },
      secrets: this.ctx.secrets.open<TelegramSecrets>(row.secrets),
      webhookSecretHash: row.webhookSecretHash,
    };
  }

  async load(accountId: string, id: string): Promise<LoadedChannel | null> {
    const loaded = await this.loadForWebhook(id);
    return loaded && loaded.record.accountId === accountId ? loaded : null;
  }

  async loadForWebhook(id: string): Promise<LoadedChannel | null> {
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const row = await this.repo.getForWebhook(id);
    const value = row ? this.open(row) : null;
    this.cache.set(id, { at: Date.now(), value });
    return value;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  /** Records activity at most every few seconds: a per-message write would serialise on the channel row. */
  noteInbound(id: string): void {
    this.touchLater(id, 'lastInboundAt');
  }

  noteOutbound(id: string): void {
    this.touchLater(id, 'lastOutboundAt');
  }

  private touchLater(id: string, column: 'lastInboundAt' | 'lastOutboundAt'): void {
    const key = `${id}:${column}`;
    const last = this.touched.get(key) ?? 0;
    if (Date.now() - last < TOUCH_EVERY_MS) return;
    this.touched.set(key, Date.now());
    this.repo.touch(id, column).catch((err: unknown) => this.ctx.log.warn({ err, channelId: id }, 'channel activity not recorded'));
  }

  async setStatus(accountId: string, id: string, status: string, statusReason: string | null): Promise<void> {
    const row = await this.repo.update(accountId, id, { status, statusReason });
    this.forget(id);
    if (row) await this.ctx.bus.publish(this.ctx.pool, accountId, 'channel.updated', { channel: toChannel(row) });
  }

  async markAuthFailed(accountId: string, id: string, reason: string): Promise<void> {
    await this.setStatus(accountId, id, 'auth_failed', reason);
  }
}
