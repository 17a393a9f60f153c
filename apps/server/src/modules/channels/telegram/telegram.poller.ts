import type { Update } from 'grammy/types';
import { type SendError } from '../adapter.js';
import { sleep } from '../channels.util.js';
import type { PollSession } from '../adapter.js';
import { ALLOWED_UPDATES, type TelegramAdapter, type TelegramSecrets } from './telegram.adapter.js';
import { GrammyError, toSendError } from './telegram.client.js';

/**
 * `getUpdates` long-poll loop of a polling-mode bot. The offset is stored after the updates are, so
 * a crash re-reads (and dedup drops) rather than loses them.
 */
export async function pollTelegram(adapter: TelegramAdapter, { accountId, channelId, signal }: PollSession): Promise<void> {
  const { runtime } = adapter;
  while (!signal.aborted) {
    const channel = await runtime.load(accountId, channelId);
    const row = await runtime.repo.get(accountId, channelId);
    if (!channel || !row) return;
    const api = adapter.api(channel.secrets as unknown as TelegramSecrets, adapter.longPollSeconds + 10);
    let updates: Update[];
    try {
      updates = await api.getUpdates(
        { offset: row.pollOffset ?? undefined, timeout: adapter.longPollSeconds, limit: 100, allowed_updates: [...ALLOWED_UPDATES] },
        signal as unknown as Parameters<typeof api.getUpdates>[1],
      );
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof GrammyError && err.error_code === 401) {
        await runtime.markAuthFailed(accountId, channelId, `Telegram: ${err.description}`);
        await sleep(60_000, signal);
        continue;
      }
      throw toSendError(err) satisfies SendError;
    }
    for (const update of updates) await adapter.handleUpdate(channel, update);
    const next = updates.length ? updates[updates.length - 1]!.update_id + 1 : row.pollOffset;
    if (next !== row.pollOffset) await runtime.repo.update(accountId, channelId, { pollOffset: next });
    if (updates.length) runtime.noteInbound(channelId);
    await runtime.notePolled(accountId, channelId);
  }
}
