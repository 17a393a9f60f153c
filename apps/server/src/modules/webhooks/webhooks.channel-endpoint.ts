import { sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { newSigningSecret } from './webhooks.signing.js';
import { WebhooksRepository, type EndpointRow } from './webhooks.repository.js';

/** The one event an API channel's endpoint receives. */
export const CHANNEL_ENDPOINT_EVENTS = ['message.outbound'];

/**
 * Keeps an API channel's endpoint (its `callbackUrl`, signed like any webhook) in step with the
 * channel: created on first need with a fresh secret, re-pointed when the URL changes, removed with
 * the channel. Called when replies are sent, when the secret is asked for, and by the fan-out on
 * every `channel.updated` of an API channel. Serialised per channel so two callers never create two.
 */
export async function syncChannelEndpoint(
  ctx: AppContext,
  channel: { id: string; accountId: string; name: string; callbackUrl: string | null; deleted?: boolean },
): Promise<EndpointRow | undefined> {
  const repo = new WebhooksRepository(ctx.db);
  return transaction(ctx.pool, async (tx) => {
    await tx.db.execute(sql`select pg_advisory_xact_lock(hashtext(${`webhook-channel:${channel.id}`}))`);
    const existing = await repo.channelEndpoint(tx.db, channel.accountId, channel.id);
    if (channel.deleted) {
      if (existing) await repo.updateEndpoint(tx.db, channel.accountId, existing.id, { deletedAt: new Date() });
      return undefined;
    }
    if (!existing) {
      // Without a URL there is nothing to deliver to yet; the row comes with the first callbackUrl.
      if (!channel.callbackUrl) return undefined;
      return repo.insertEndpoint(tx.db, {
        accountId: channel.accountId,
        channelId: channel.id,
        url: channel.callbackUrl,
        description: channel.name,
        secret: ctx.secrets.seal(newSigningSecret()),
        events: CHANNEL_ENDPOINT_EVENTS,
      });
    }
    if (channel.callbackUrl && channel.callbackUrl !== existing.url) {
      return repo.updateEndpoint(tx.db, channel.accountId, existing.id, { url: channel.callbackUrl });
    }
    return existing;
  });
}

/** The `callbackUrl` of an API channel's settings, normalised like endpoint URLs are. */
export function callbackUrlOf(config: Record<string, unknown>): string | null {
  const raw = config.callbackUrl;
  if (typeof raw !== 'string' || !raw) return null;
  try {
    return new URL(raw).toString();
  } catch {
    return null;
  }
}
