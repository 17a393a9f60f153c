import { eq, sql } from 'drizzle-orm';
import { aiSettings, type AiSettings, type UpdateAiSettingsRequest } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { aiSettings as aiSettingsTable } from '../../platform/db/schema.ai.js';
import type { SecretBox } from '../../platform/crypto/secret-box.js';

export interface LoadedSettings {
  settings: AiSettings;
  /** The LLM API key, decrypted; never returned by the API. */
  llmApiKey: string | null;
}

/** How long a process trusts its cached copy; another process's change shows within this time. */
const CACHE_MS = 5_000;

/**
 * Per-account assistant settings: JSON validated by the shared schema (defaults fill anything
 * missing, so older rows keep working) and the LLM key sealed with the master key.
 */
export class AiSettingsStore {
  private readonly cache = new Map<string, { at: number; value: LoadedSettings }>();

  constructor(
    private readonly db: Db,
    private readonly box: SecretBox,
  ) {}

  async load(accountId: string): Promise<LoadedSettings> {
    const hit = this.cache.get(accountId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.value;
    const [row] = await this.db.select().from(aiSettingsTable).where(eq(aiSettingsTable.accountId, accountId));
    const value: LoadedSettings = {
      settings: retireUntrueDefaults(aiSettings.parse(row?.settings ?? {})),
      llmApiKey: row?.llmApiKey ? this.box.open<string>(row.llmApiKey) : null,
    };
    this.cache.set(accountId, { at: Date.now(), value });
    return value;
  }

  /**
   * Writes the patch on `db` (the caller's transaction, so the change commits with its audit entry).
   * The caller calls `forget` after the commit: reading here would cache what may yet be rolled back.
   */
  async update(accountId: string, patch: UpdateAiSettingsRequest, db: Db = this.db): Promise<void> {
    const { llmApiKey, ...rest } = patch;
    const current = await this.load(accountId);
    const settings = aiSettings.parse({ ...current.settings, ...rest, llm: { ...current.settings.llm, ...(rest.llm ?? {}) } });
    const sealed = llmApiKey === undefined ? undefined : llmApiKey === null ? null : this.box.seal(llmApiKey);
    await db
      .insert(aiSettingsTable)
      .values({ accountId, settings, ...(sealed !== undefined ? { llmApiKey: sealed } : {}) })
      .onConflictDoUpdate({
        target: aiSettingsTable.accountId,
        set: { settings, updatedAt: sql`now()`, ...(sealed !== undefined ? { llmApiKey: sealed } : {}) },
      });
  }

  forget(accountId: string): void {
    this.cache.delete(accountId);
  }
}

/**
 * The former default waiting notice ("a manager is already on it") was sent while nobody had the
 * conversation; accounts that saved their settings keep a copy of it. It becomes the current default.
 */
const FORMER_WAITING = {
  ru: 'Менеджер уже занимается вашим вопросом, скоро ответит.',
  en: 'A manager is already on it and will answer shortly.',
};
function retireUntrueDefaults(settings: AiSettings): AiSettings {
  const w = settings.waitingMessage;
  if (w.ru !== FORMER_WAITING.ru && w.en !== FORMER_WAITING.en) return settings;
  const fresh = aiSettings.shape.waitingMessage.parse(undefined);
  return {
    ...settings,
    waitingMessage: { ru: w.ru === FORMER_WAITING.ru ? fresh.ru : w.ru, en: w.en === FORMER_WAITING.en ? fresh.en : w.en },
  };
}
