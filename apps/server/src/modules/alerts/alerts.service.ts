import type { ChannelHealth } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { notFound } from '../../platform/http/errors.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { ChannelsRepository } from '../channels/channels.repository.js';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository.js';
import { AlertsRepository } from './alerts.repository.js';
import { toAlert } from './alerts.dto.js';

export class AlertsService {
  private readonly repo: AlertsRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new AlertsRepository(ctx.db);
  }

  async list(actor: Actor, q: { state: 'open' | 'all'; channelId?: string | undefined; limit: number }) {
    requirePermission(actor, 'channel.read');
    const rows = await this.repo.list(actor.accountId, { open: q.state === 'open', channelId: q.channelId, limit: q.limit });
    return { items: rows.map(toAlert) };
  }

  /** Open alerts and undelivered messages of one channel (status and activity are on the channel itself). */
  async channelHealth(actor: Actor, channelId: string): Promise<ChannelHealth> {
    requirePermission(actor, 'channel.read');
    if (!(await new ChannelsRepository(this.ctx.db).get(actor.accountId, channelId))) throw notFound('Channel');
    const [alerts, deadLetters] = await Promise.all([
      this.repo.list(actor.accountId, { open: true, channelId, limit: 50 }),
      new DeadLettersRepository(this.ctx.db).count(actor.accountId, channelId),
    ]);
    return { channelId, openAlerts: alerts.map(toAlert), deadLetters };
  }
}
