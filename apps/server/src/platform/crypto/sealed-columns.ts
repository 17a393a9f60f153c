/**
 * Every column holding values sealed with the SecretBox (`v1.…`), with the column that identifies a row.
 * `switchboard rotate-secret` re-seals exactly these, and the boot-time key check samples them: a new
 * sealed column must be listed here. Tables that do not exist (yet) are skipped.
 */
export const SEALED_COLUMNS = [
  { table: 'channels', key: 'id', column: 'secrets' },
  { table: 'webhook_endpoints', key: 'id', column: 'secret' },
  { table: 'ai_settings', key: 'account_id', column: 'llm_api_key' },
  { table: 'two_factor', key: 'user_id', column: 'secret_sealed' },
] as const;

export type SealedColumn = (typeof SEALED_COLUMNS)[number];

export const sealedColumnName = (c: SealedColumn) => `${c.table}.${c.column}`;
