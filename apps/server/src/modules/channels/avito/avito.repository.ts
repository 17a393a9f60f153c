import type pg from 'pg';
import { transaction } from '../../../platform/db/transaction.js';

/** The few statements of the Avito channel that the generic channel repository does not offer. */
export class AvitoRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Runs `fn` holding a per-channel advisory lock (across processes) for the length of a token
   * renewal; the lock goes with the transaction, also when the process dies.
   */
  withTokenLock<T>(channelId: string, fn: () => Promise<T>): Promise<T> {
    return transaction(this.pool, async (tx) => {
      await tx.client.query('select pg_advisory_xact_lock(hashtext($1))', [`avito-token:${channelId}`]);
      return fn();
    });
  }

  /** The progress of one split reply (see `AvitoAdapter.send`), or null. */
  async splitProgress(channelId: string, messageId: string): Promise<unknown> {
    const { rows } = await this.pool.query<{ v: unknown }>('select state -> $2 as v from channels where id = $1', [
      channelId,
      splitKey(messageId),
    ]);
    return rows[0]?.v ?? null;
  }

  async saveSplitProgress(channelId: string, messageId: string, progress: { plan: string; sent: string[] }): Promise<void> {
    await this.pool.query(`update channels set state = state || jsonb_build_object($2::text, $3::jsonb) where id = $1`, [
      channelId,
      splitKey(messageId),
      JSON.stringify(progress),
    ]);
  }

  async dropSplitProgress(channelId: string, messageId: string): Promise<void> {
    await this.pool.query('update channels set state = state - $2::text where id = $1', [channelId, splitKey(messageId)]);
  }
}

const splitKey = (messageId: string) => `avitoSplit:${messageId}`;
