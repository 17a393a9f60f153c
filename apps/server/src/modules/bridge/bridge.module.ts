import type { ChannelRuntime } from '../channels/channels.runtime.js';
import type { TelegramAdapter } from '../channels/telegram/telegram.adapter.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { BridgeOutbox } from './bridge.outbox.js';
import { OperatorUpdates } from './bridge.updates.js';

/**
 * Boots the Telegram bridge in this process: operator bot updates (webhook or poller, any role that
 * receives them) are handled here; the events outbox runs on scheduler processes.
 */
export function startBridge(
  ctx: DeliveryContext,
  runtime: ChannelRuntime,
  conversations: ConversationsService,
  opts: { outbox: boolean },
): { stop(): Promise<void> } {
  runtime.typed<TelegramAdapter>('telegram').operatorUpdates = new OperatorUpdates(ctx, conversations).handle;
  const outbox = opts.outbox ? new BridgeOutbox(ctx) : undefined;
  outbox?.start();
  return { stop: async () => outbox?.stop() };
}
