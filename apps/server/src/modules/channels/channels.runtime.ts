import { sql } from 'drizzle-orm';
import type { ChannelType } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { safeEqual, sha256 } from '../../platform/crypto/secret-box.js';
import { AppError } from '../../platform/http/errors.js';
import type { ChannelAdapter, ChannelRecord } from './adapter.js';
import { ChannelsRepository, type ChannelRow } from './channels.repository.js';
import { toChannel } from './channels.dto.js';
import { createAdapters } from './channels.adapters.js';
import { isUuid } from '../../platform/ids.js';
import { countCacheLookup } from '../../platform/metrics.js';

export interface LoadedChannel {
  record: ChannelRecord;
  secrets: Record<string, unknown>;
  webhookSecretHash: string | null;
}

const CACHE_MS = 10_000;
const TOUCH_EVERY_MS = 5_000;

/**
 * What the hot paths (webhooks, pollers, delivery) need of channels: adapters by type and channels
 * with their credentials opened, cached briefly so a burst of updates does not decrypt per request.
 */
export class ChannelRuntime {
  readonly repo: ChannelsRepository;
  private readonly adapters = new Map<ChannelType, ChannelAdapter>();
  private readonly cache = new Map<string, { at: number; value: LoadedChannel | null }>();
  private readonly touched = new Map<string, number>();

  constructor(private readonly ctx: AppContext) {
    this.repo = new ChannelsRepository(ctx.db);
    for (const adapter of createAdapters(ctx, this)) this.adapters.set(adapter.type, adapter);
  }

  adapter(type: string): ChannelAdapter {
    const adapter = this.adapters.get(type as ChannelType);
    if (!adapter) throw new Error(`no adapter for channel type ${type}`);
    return adapter;
  }

  /** The adapter of a type, as its own class (for provider-specific calls such as Telegram's `api()`). */
  typed<A extends ChannelAdapter<never>>(type: ChannelType): A {
    return this.adapter(type) as unknown as A;
  }

  get types(): ChannelType[] {
    return [...this.adapters.keys()];
  }

  open(row: ChannelRow): LoadedChannel {
    return {
      record: { id: row.id, accountId: row.accountId, type: row.type as ChannelType, name: row.name, config: row.config },
      secrets: this.ctx.secrets.open<Record<string, unknown>>(row.secrets),
      webhookSecretHash: row.webhookSecretHash,
    };
  }

  async load(accountId: string, id: string): Promise<LoadedChannel | null> {
    const loaded = await this.loadForWebhook(id);
    return loaded && loaded.record.accountId === accountId ? loaded : null;
  }

  async loadForWebhook(id: string): Promise<LoadedChannel | null> {
    const hit = this.cache.get(id);
    const fresh = hit !== undefined && Date.now() - hit.at < CACHE_MS;
    countCacheLookup('channels', fresh);
    if (fresh) return hit.value;
    // A malformed id names no channel (it never reaches SQL); misses are not cached, so forged ids cannot grow the cache.
    const row = isUuid(id) ? await this.repo.getForWebhook(id) : undefined;
    if (!row) return null;
    const value = this.open(row);
    this.cache.set(id, { at: Date.now(), value });
    return value;
  }

  /**
   * The channel a provider webhook names, if the secret it carries (a header, or a URL segment for
   * providers that sign nothing) matches; otherwise `invalid_webhook_secret` (401) and nothing is stored.
   */
  async authenticateWebhook(type: ChannelType, channelId: string, given: unknown, what: string): Promise<LoadedChannel> {
    const channel = await this.loadForWebhook(channelId);
    if (
      !channel ||
      channel.record.type !== type ||
      !channel.webhookSecretHash ||
      typeof given !== 'string' ||
      !safeEqual(sha256(given), channel.webhookSecretHash)
    ) {
      throw new AppError('invalid_webhook_secret', `Missing or wrong ${what}`);
    }
    return channel;
  }

  forget(id: string): void {
    this.cache.delete(id);
  }

  /** Merges provider cursors into the channel's state (IMAP UIDs, poll watermarks). */
  async saveState(id: string, patch: Record<string, unknown>): Promise<void> {
    await this.repo.mergeState(id, patch);
  }

  async state(id: string): Promise<Record<string, unknown>> {
    return (await this.repo.getForWebhook(id))?.state ?? {};
  }

  /** Records activity at most every few seconds: a per-message write would serialise on the channel row. */
  noteInbound(id: string): void {
    this.touchLater(id, 'lastInboundAt');
  }

  noteOutbound(id: string): void {
    this.touchLater(id, 'lastOutboundAt');
  }

  /** A poll round went through: records it and clears a `poller_lagging` status. */
  async notePolled(accountId: string, id: string): Promise<void> {
    const { rows } = await this.ctx.db.execute<{ was: string }>(sql`
      update channels c set last_polled_at = now(),
        status = case when o.status = 'poller_lagging' then 'connected' else o.status end,
        status_reason = case when o.status = 'poller_lagging' then null else o.status_reason end
      from (select status, status_reason from channels where id = ${id}) o
      where c.id = ${id} returning o.status as was`);
    if (rows[0]?.was === 'poller_lagging') {
      const row = await this.repo.get(accountId, id);
      this.forget(id);
      if (row) await this.ctx.bus.publish(this.ctx.pool, accountId, 'channel.updated', { channel: toChannel(row) });
    }
  }

  /** Counts a provider failure for the health view (the count restarts when the channel reconnects). */
  async noteError(id: string, message: string): Promise<void> {
    await this.ctx.db.execute(
      sql`update channels set error_count = error_count + 1, last_error = ${message.slice(0, 1000)}, last_error_at = now() where id = ${id}`,
    );
  }

  private touchLater(id: string, column: 'lastInboundAt' | 'lastOutboundAt'): void {
    const key = `${id}:${column}`;
    const last = this.touched.get(key) ?? 0;
    if (Date.now() - last < TOUCH_EVERY_MS) return;
    this.touched.set(key, Date.now());
    this.repo.touch(id, column).catch((err: unknown) => this.ctx.log.warn({ err, channelId: id }, 'channel activity not recorded'));
  }

  /** Sets the channel's status (published live); a no-op when nothing changes. */
  async setStatus(accountId: string, id: string, status: string, statusReason: string | null): Promise<void> {
    const row = await this.repo.setStatus(accountId, id, status, statusReason);
    if (!row) return;
    this.forget(id);
    await this.ctx.bus.publish(this.ctx.pool, accountId, 'channel.updated', { channel: toChannel(row) });
  }

  async markAuthFailed(accountId: string, id: string, reason: string): Promise<void> {
    await this.noteError(id, reason);
    await this.setStatus(accountId, id, 'auth_failed', reason);
  }
}
