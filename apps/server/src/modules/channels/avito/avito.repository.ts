import type pg from 'pg';
import { transaction } from '../../../platform/db/transaction.js';

/** The few statements of the Avito channel that the generic channel repository does not offer. */
export class AvitoRepository {
  constructor(private readonly pool: pg.Pool) {}

  /**
   * Runs a token renewal holding a per-channel advisory lock (across processes): `fn` gets the
   * channel's stored config and sealed secrets and may save new ones. Reads and writes go through the
   * lock's own connection (one pool connection per renewal, however many channels renew at once);
   * the write commits as the lock is released, so the next holder reads it.
   */
  withTokenLock<T>(
    channelId: string,
    fn: (stored: { config: Record<string, unknown>; sealed: string } | undefined, save: (sealed: string) => Promise<void>) => Promise<T>,
  ): Promise<T> {
    return transaction(this.pool, async (tx) => {
      await tx.client.query('select pg_advisory_xact_lock(hashtext($1))', [`avito-token:${channelId}`]);
      const { rows } = await tx.client.query<{ config: Record<string, unknown>; secrets: string }>(
        'select config, secrets from channels where id = $1 and deleted_at is null',
        [channelId],
      );
      const save = async (sealed: string) => {
        await tx.client.query('update channels set secrets = $2, updated_at = now() where id = $1', [channelId, sealed]);
      };
      return fn(rows[0] ? { config: rows[0].config, sealed: rows[0].secrets } : undefined, save);
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
