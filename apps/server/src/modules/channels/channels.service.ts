import type { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { channelConfigSchemas, type ChannelType, type CreateChannelRequest } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { recordAudit } from '../identity/identity.audit.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import type { ChannelRuntime } from './channels.runtime.js';
import { ChannelsRepository, type ChannelRow } from './channels.repository.js';
import { toChannel } from './channels.dto.js';
import { requireMovedCredentials } from './channels.credentials.js';
import type { ChannelAdapter } from './adapter.js';
import { assertWithinLimit } from '../accounts/accounts.limits.js';

export interface UpdateChannelInput {
  name?: string | undefined;
  config?: Record<string, unknown> | undefined;
}

/** Always changeable without reconnecting to the provider. */
const SOFT_FIELDS = ['assistant', 'silenceAlertMinutes'];

export class ChannelsService {
  constructor(
    private readonly ctx: AppContext,
    private readonly runtime: ChannelRuntime,
  ) {}

  async list(actor: Actor) {
    requirePermission(actor, 'channel.read');
    return (await this.runtime.repo.list(actor.accountId)).map(toChannel);
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'channel.read');
    return toChannel(await this.row(actor, id));
  }

  /** Checks the credentials with the provider, registers inbound delivery and stores the channel. */
  async create(actor: Actor, input: CreateChannelRequest) {
    requirePermission(actor, 'channel.manage');
    await assertWithinLimit(this.ctx.db, actor.accountId, 'channels');
    const adapter = this.runtime.adapter(input.type);
    const id = randomUUID();
    const { settings, secrets } = split(adapter, input.config);
    const webhookSecret = randomToken(32);
    const record = { id, accountId: actor.accountId, type: input.type, name: input.name, config: settings };
    const connected = await adapter.connect(record, secrets, webhookSecret);
    return transaction(this.ctx.pool, async (tx) => {
      const row = await new ChannelsRepository(tx.db).insert({
        ...record,
        config: { ...settings, ...connected.config },
        secrets: this.ctx.secrets.seal({ ...secrets, ...connected.secrets }),
        webhookSecretHash: sha256(webhookSecret),
        status: connected.status,
        statusReason: connected.statusReason,
      });
      await recordAudit(tx.db, actor, 'channel.created', {
        targetType: 'channel',
        targetId: id,
        details: { type: input.type, name: input.name, mode: settings.mode },
      });
      return this.published(tx, row);
    });
  }

  /**
   * Changes what is sent, checked against the channel type's schema. New credentials or connection
   * settings reconnect (a fresh webhook secret); the assistant switch and alert settings do not.
   */
  async update(actor: Actor, id: string, input: UpdateChannelInput) {
    requirePermission(actor, 'channel.manage');
    const row = await this.row(actor, id);
    const adapter = this.runtime.adapter(row.type);
    const schema = channelConfigSchemas[row.type as ChannelType];
    const given = input.config ?? {};
    // `null` removes an optional setting (or puts back its default).
    const removed = Object.keys(given).filter((k) => given[k] === null);
    const parsed = schema.partial().safeParse(Object.fromEntries(Object.entries(given).filter(([, v]) => v !== null)));
    const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: `/config/${i.path.join('/')}`, message: i.message }));
    const shape = schema.shape as Record<string, z.ZodType>;
    const defaults: Record<string, unknown> = {};
    for (const k of removed) {
      const unset = k in shape && !adapter.secretFields.includes(k) ? shape[k]!.safeParse(undefined) : undefined;
      if (!unset?.success) issues.push({ path: `/config/${k}`, message: 'cannot be removed' });
      else if (unset.data !== undefined) defaults[k] = unset.data;
    }
    if (!parsed.success || issues.length) {
      throw new AppError('validation_failed', `Invalid body: ${issues.map((d) => `${d.path} ${d.message}`).join('; ')}`, issues);
    }
    // Defaults of absent fields are dropped: only what was sent changes.
    const patch = { ...Object.fromEntries(Object.entries(parsed.data).filter(([k]) => k in given)), ...defaults };
    const dropped = removed.filter((k) => !(k in defaults));
    const { settings: settingsPatch, secrets: secretsPatch } = split(adapter, patch);
    const soft = [...SOFT_FIELDS, ...(adapter.softFields ?? [])];
    const reconnect = [...Object.keys(patch), ...dropped].some((k) => !soft.includes(k));
    const settings = omit({ ...pick(row.config, Object.keys(schema.shape)), ...settingsPatch }, dropped);
    requireMovedCredentials(adapter, pick(row.config, Object.keys(schema.shape)), settings, secretsPatch);
    let changes: Partial<ChannelRow> = {
      ...(input.name ? { name: input.name } : {}),
      ...(Object.keys(patch).length || dropped.length ? { config: omit({ ...row.config, ...settingsPatch }, dropped) } : {}),
    };
    if (reconnect) changes = { ...changes, ...(await this.reconnection(row, settings, secretsPatch)) };
    return this.changed(actor, id, changes, 'channel.updated', {
      name: input.name,
      changed: Object.keys(settingsPatch),
      removed: dropped,
      credentialsChanged: Object.keys(secretsPatch),
      reconnected: reconnect,
    });
  }

  /** Connects again with the stored settings and credentials (after fixing something on the provider's side). */
  async reconnect(actor: Actor, id: string) {
    requirePermission(actor, 'channel.manage');
    const row = await this.row(actor, id);
    const schema = channelConfigSchemas[row.type as ChannelType];
    const changes = await this.reconnection(row, pick(row.config, Object.keys(schema.shape)), {});
    return this.changed(actor, id, changes, 'channel.reconnected', { status: changes.status });
  }

  /** Writes a channel's changes, their audit entry and the `channel.updated` event in one transaction. */
  private async changed(actor: Actor, id: string, changes: Partial<ChannelRow>, action: string, details: Record<string, unknown>) {
    const dto = await transaction(this.ctx.pool, async (tx) => {
      const updated = await new ChannelsRepository(tx.db).update(actor.accountId, id, changes);
      if (!updated) throw notFound('Channel');
      await recordAudit(tx.db, actor, action, { targetType: 'channel', targetId: id, details });
      return this.published(tx, updated);
    });
    this.runtime.forget(id);
    return dto;
  }

  /** The row changes of connecting to the provider again, with a fresh webhook secret. */
  private async reconnection(row: ChannelRow, settings: Record<string, unknown>, secretsPatch: Record<string, unknown>) {
    const current = this.runtime.open(row);
    const secrets = { ...current.secrets, ...secretsPatch };
    const webhookSecret = randomToken(32);
    const connected = await this.runtime.adapter(row.type).connect({ ...current.record, config: settings }, secrets, webhookSecret);
    const credentialsChanged = Object.keys(secretsPatch).some((k) => secretsPatch[k] !== current.secrets[k]);
    return {
      // Rebuilt, not merged: facts of the old connection (a webhook URL after switching to polling) go.
      config: { ...settings, ...connected.config },
      secrets: this.ctx.secrets.seal({ ...secrets, ...connected.secrets }),
      webhookSecretHash: sha256(webhookSecret),
      status: connected.status,
      statusReason: connected.statusReason,
      ...(connected.status === 'connected' ? { errorCount: 0 } : {}),
      ...(credentialsChanged ? { pollOffset: null } : {}),
    } satisfies Partial<ChannelRow>;
  }

  async remove(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'channel.manage');
    const row = await this.row(actor, id);
    const loaded = this.runtime.open(row);
    await this.runtime
      .adapter(row.type)
      .disconnect(loaded.record, loaded.secrets)
      .catch((err: unknown) => this.ctx.log.warn({ err, channelId: id }, 'could not unregister the webhook; deleting anyway'));
    await transaction(this.ctx.pool, async (tx) => {
      await new ChannelsRepository(tx.db).softDelete(actor.accountId, id);
      await recordAudit(tx.db, actor, 'channel.deleted', { targetType: 'channel', targetId: id, details: { name: row.name } });
      await this.ctx.bus.publish(tx, actor.accountId, 'channel.updated', { channel: { ...toChannel(row), deleted: true } });
    });
    this.runtime.forget(id);
  }

  private async row(actor: Actor, id: string): Promise<ChannelRow> {
    const row = await this.runtime.repo.get(actor.accountId, id);
    if (!row) throw notFound('Channel');
    return row;
  }

  private async published(tx: Tx, row: ChannelRow) {
    const dto = toChannel(row);
    await this.ctx.bus.publish(tx, row.accountId, 'channel.updated', { channel: dto });
    return dto;
  }
}

/** A request's config split into stored settings and the credentials sealed apart. */
function split(adapter: ChannelAdapter, config: Record<string, unknown>) {
  const settings: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config)) {
    if (v === undefined) continue;
    if (adapter.secretFields.includes(k)) secrets[k] = v;
    else settings[k] = v;
  }
  return { settings, secrets };
}

function omit(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}
