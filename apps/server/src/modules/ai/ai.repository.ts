import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/client.js';
import type { Tx } from '../../platform/db/transaction.js';
import { aiUsage, categories, classifierExamples, classifierModels } from '../../platform/db/schema.ai.js';
import type { Usage } from './llm/llm.client.js';

export type CategoryRow = typeof categories.$inferSelect;
export type ClassifierModelRow = typeof classifierModels.$inferSelect;

/** SQL of the AI module: categories, classifier examples and versions, LLM usage. */
export class AiRepository {
  constructor(private readonly db: Db) {}

  categories(accountId: string) {
    return this.db.select().from(categories).where(eq(categories.accountId, accountId)).orderBy(asc(categories.name));
  }

  async category(accountId: string, name: string): Promise<CategoryRow | undefined> {
    const [row] = await this.db
      .select()
      .from(categories)
      .where(and(eq(categories.accountId, accountId), eq(categories.name, name)));
    return row;
  }

  async insertCategory(accountId: string, name: string, alwaysHuman: boolean): Promise<CategoryRow | undefined> {
    const [row] = await this.db.insert(categories).values({ accountId, name, alwaysHuman }).onConflictDoNothing().returning();
    return row;
  }

  async updateCategory(accountId: string, id: string, alwaysHuman: boolean): Promise<CategoryRow | undefined> {
    const [row] = await this.db
      .update(categories)
      .set({ alwaysHuman })
      .where(and(eq(categories.accountId, accountId), eq(categories.id, id)))
      .returning();
    return row;
  }

  async deleteCategory(accountId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(categories)
      .where(and(eq(categories.accountId, accountId), eq(categories.id, id)))
      .returning({ id: categories.id });
    return rows.length > 0;
  }

  async addExamples(accountId: string, rows: { text: string; label: string }[]): Promise<number> {
    for (let i = 0; i < rows.length; i += 1000) {
      await this.db.insert(classifierExamples).values(rows.slice(i, i + 1000).map((r) => ({ accountId, ...r, source: 'import' as const })));
    }
    return rows.length;
  }

  /** An operator's category for a conversation: one example per conversation, the latest wins. */
  async upsertCorrection(tx: Tx, accountId: string, conversationId: string, text: string, label: string): Promise<void> {
    await tx.db
      .insert(classifierExamples)
      .values({ accountId, conversationId, text, label, source: 'operator' })
      .onConflictDoUpdate({
        target: classifierExamples.conversationId,
        targetWhere: sql`${classifierExamples.conversationId} is not null`,
        set: { text, label, createdAt: sql`now()` },
      });
  }

  examples(accountId: string) {
    return this.db
      .select({ text: classifierExamples.text, label: classifierExamples.label })
      .from(classifierExamples)
      .where(eq(classifierExamples.accountId, accountId));
  }

  async exampleCount(accountId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(classifierExamples)
      .where(eq(classifierExamples.accountId, accountId));
    return row?.n ?? 0;
  }

  models(accountId: string) {
    return this.db
      .select({
        id: classifierModels.id,
        version: classifierModels.version,
        status: classifierModels.status,
        active: classifierModels.active,
        report: classifierModels.report,
        error: classifierModels.error,
        createdAt: classifierModels.createdAt,
        finishedAt: classifierModels.finishedAt,
      })
      .from(classifierModels)
      .where(eq(classifierModels.accountId, accountId))
      .orderBy(desc(classifierModels.version))
      .limit(20);
  }

  async createModel(tx: Tx, accountId: string): Promise<ClassifierModelRow> {
    const [row] = await tx.db
      .insert(classifierModels)
      .values({
        accountId,
        status: 'training',
        version: sql`(select coalesce(max(version), 0) + 1 from classifier_models where account_id = ${accountId})`,
      })
      .returning();
    return row!;
  }

  async modelStatus(accountId: string, id: string): Promise<ClassifierModelRow['status'] | undefined> {
    const [row] = await this.db
      .select({ status: classifierModels.status })
      .from(classifierModels)
      .where(and(eq(classifierModels.accountId, accountId), eq(classifierModels.id, id)));
    return row?.status;
  }

  /** Stores a trained model and makes it the active one in one transaction (the hot swap). */
  async activateModel(tx: Tx, accountId: string, id: string, model: Buffer, report: Record<string, unknown>): Promise<void> {
    await tx.db
      .update(classifierModels)
      .set({ active: false })
      .where(and(eq(classifierModels.accountId, accountId), eq(classifierModels.active, true)));
    await tx.db
      .update(classifierModels)
      .set({ status: 'ready', active: true, model, report, finishedAt: sql`now()` })
      .where(and(eq(classifierModels.accountId, accountId), eq(classifierModels.id, id)));
  }

  async failModel(accountId: string, id: string, error: string): Promise<void> {
    await this.db
      .update(classifierModels)
      .set({ status: 'failed', error, finishedAt: sql`now()` })
      .where(and(eq(classifierModels.accountId, accountId), eq(classifierModels.id, id)));
  }

  async activeModelId(accountId: string): Promise<string | null> {
    const [row] = await this.db
      .select({ id: classifierModels.id })
      .from(classifierModels)
      .where(and(eq(classifierModels.accountId, accountId), eq(classifierModels.active, true)));
    return row?.id ?? null;
  }

  async modelBytes(accountId: string, id: string): Promise<Buffer | null> {
    const [row] = await this.db
      .select({ model: classifierModels.model })
      .from(classifierModels)
      .where(and(eq(classifierModels.accountId, accountId), eq(classifierModels.id, id)));
    return row?.model ?? null;
  }

  async recordUsage(accountId: string, u: Usage): Promise<void> {
    const day = new Date().toISOString().slice(0, 10);
    await this.db
      .insert(aiUsage)
      .values({
        accountId,
        day,
        model: u.model,
        requests: 1,
        promptTokens: u.promptTokens,
        completionTokens: u.completionTokens,
        failures: u.failed ? 1 : 0,
      })
      .onConflictDoUpdate({
        target: [aiUsage.accountId, aiUsage.day, aiUsage.model],
        set: {
          requests: sql`${aiUsage.requests} + 1`,
          promptTokens: sql`${aiUsage.promptTokens} + ${u.promptTokens}`,
          completionTokens: sql`${aiUsage.completionTokens} + ${u.completionTokens}`,
          failures: sql`${aiUsage.failures} + ${u.failed ? 1 : 0}`,
        },
      });
  }
}
