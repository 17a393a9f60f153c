import type { PollSession } from '../adapter.js';
import type { GreenApiAdapter, GreenApiSecrets } from './green-api.adapter.js';
import { toSendError } from './green-api.client.js';

/** How often a busy loop records its progress (a write per notification would be wasted). */
const NOTE_POLLED_EVERY_MS = 5_000;

/**
 * `receiveNotification` → handle → `deleteNotification` loop of a polling-mode instance. A
 * notification is deleted from Green-API's queue only after it is stored: if the process dies or the
 * delete fails, the same notification comes back and the dedup key drops the repeat. A failure
 * throws, so the poller framework marks the channel lagging and retries with backoff.
 */
export async function pollGreenApi(adapter: GreenApiAdapter, { accountId, channelId, signal }: PollSession): Promise<void> {
  const { runtime } = adapter;
  let notedAt = 0;
  while (!signal.aborted) {
    const channel = await runtime.load(accountId, channelId);
    if (!channel) return;
    const api = adapter.api(channel.record, channel.secrets as unknown as GreenApiSecrets);
    let item: { receiptId: number; body: unknown } | null;
    try {
      item = await api.receiveNotification(adapter.receiveTimeoutSeconds, signal);
    } catch (err) {
      if (signal.aborted) return;
      throw toSendError(err); // 401/403 → `auth`: the poller framework marks the channel auth_failed
    }
    if (item) {
      await adapter.handleNotification(channel, item.body);
      try {
        await api.deleteNotification(item.receiptId);
      } catch (err) {
        throw toSendError(err);
      }
    }
    if (Date.now() - notedAt >= NOTE_POLLED_EVERY_MS) {
      await runtime.notePolled(accountId, channelId);
      notedAt = Date.now();
    }
  }
}
