import { randomUUID } from 'node:crypto';
import type { CreateChannelRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { notFound } from '../../platform/http/errors.js';
import { IdentityRepository } from '../identity/identity.repository.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import type { ChannelRuntime } from './channels.runtime.js';
import type { ChannelRow } from './channels.repository.js';
import { tokenHint, toChannel } from './channels.dto.js';
import type { TelegramSecrets } from './telegram/telegram.adapter.js';

export interface UpdateChannelInput {
  name?: string | undefined;
  config?:
    { botToken?: string | undefined; mode?: 'webhook' | 'polling' | undefined; assistant?: { enabled: boolean } | undefined } | undefined;
}

export class ChannelsService {
  private readonly audit: IdentityRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly runtime: ChannelRuntime,
  ) {
    this.audit = new IdentityRepository(ctx.db);
  }

  async list(actor: Actor) {
    requirePermission(actor, 'channel.read');
    return (await this.runtime.repo.list(actor.accountId)).map(toChannel);
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'channel.read');
    return toChannel(await this.row(actor, id));
  }

  /** Checks the bot token with the provider, registers the webhook (or polling) and stores the channel. */
  async create(actor: Actor, input: CreateChannelRequest) {
    requirePermission(actor, 'channel.manage');
    const id = randomUUID();
    const mode = input.config.mode ?? 'webhook';
    const secrets: TelegramSecrets = { botToken: input.config.botToken };
    const webhookSecret = randomToken(32);
    const assistant = { enabled: input.config.assistant?.enabled ?? false };
    const record = { id, accountId: actor.accountId, type: input.type, name: input.name, config: { mode, assistant } };
    const connected = await this.runtime.adapter(input.type).connect(record, secrets, webhookSecret);
    const row = await this.runtime.repo.insert({
      ...record,
      config: { ...record.config, ...connected.config, botTokenHint: tokenHint(secrets.botToken) },
      secrets: this.ctx.secrets.seal(secrets),
      webhookSecretHash: sha256(webhookSecret),
      status: connected.status,
      statusReason: connected.statusReason,
    });
    await this.audited(actor, 'channel.created', id, { type: input.type, name: input.name, mode });
    return this.published(row);
  }

  async update(actor: Actor, id: string, input: UpdateChannelInput) {
    requirePermission(actor, 'channel.manage');
    const row = await this.row(actor, id);
    const current = this.runtime.open(row);
    const secrets: TelegramSecrets = { botToken: input.config?.botToken ?? current.secrets.botToken };
    const mode = input.config?.mode ?? (row.config.mode as 'webhook' | 'polling');
    // Switching the assistant is a setting; a new token or mode means reconnecting to the provider.
    const reconnect = input.config?.botToken !== undefined || input.config?.mode !== undefined;
    const assistant = input.config?.assistant ?? (row.config.assistant as { enabled: boolean } | undefined) ?? { enabled: false };
    let patch: Partial<ChannelRow> = {
      ...(input.name ? { name: input.name } : {}),
      ...(input.config?.assistant ? { config: { ...row.config, assistant } } : {}),
    };
    if (reconnect) {
      const webhookSecret = randomToken(32);
      const record = { ...current.record, config: { ...row.config, mode } };
      const connected = await this.runtime.adapter(row.type).connect(record, secrets, webhookSecret);
      patch = {
        ...patch,
        // Rebuilt, not merged: facts of the old connection (a webhook URL after switching to polling) go.
        config: { mode, assistant, ...connected.config, botTokenHint: tokenHint(secrets.botToken) },
        secrets: this.ctx.secrets.seal(secrets),
        webhookSecretHash: sha256(webhookSecret),
        status: connected.status,
        statusReason: connected.statusReason,
        ...(secrets.botToken !== current.secrets.botToken ? { pollOffset: null } : {}),
      };
    }
    const updated = await this.runtime.repo.update(actor.accountId, id, patch);
    this.runtime.forget(id);
    await this.audited(actor, 'channel.updated', id, {
      name: input.name,
      mode: input.config?.mode,
      botTokenChanged: Boolean(input.config?.botToken),
      assistant: input.config?.assistant?.enabled,
    });
    return this.published(updated!);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'channel.manage');
    const row = await this.row(actor, id);
    const loaded = this.runtime.open(row);
    await this.runtime
      .adapter(row.type)
      .disconnect(loaded.record, loaded.secrets)
      .catch((err: unknown) => this.ctx.log.warn({ err, channelId: id }, 'could not unregister the webhook; deleting anyway'));
    await this.runtime.repo.softDelete(actor.accountId, id);
    this.runtime.forget(id);
    await this.audited(actor, 'channel.deleted', id, { name: row.name });
    await this.ctx.bus.publish(this.ctx.pool, actor.accountId, 'channel.updated', { channel: { ...toChannel(row), deleted: true } });
  }

  private audited(actor: Actor, action: string, channelId: string, details: Record<string, unknown>): Promise<void> {
    return this.audit.audit({
      accountId: actor.accountId,
      actorUserId: actor.userId,
      action,
      targetType: 'channel',
      targetId: channelId,
      ip: actor.ip,
      details,
    });
  }

  private async row(actor: Actor, id: string): Promise<ChannelRow> {
    const row = await this.runtime.repo.get(actor.accountId, id);
    if (!row) throw notFound('Channel');
    return row;
  }

  private async published(row: ChannelRow) {
    const dto = toChannel(row);
    await this.ctx.bus.publish(this.ctx.pool, row.accountId, 'channel.updated', { channel: dto });
    return dto;
  }
}
