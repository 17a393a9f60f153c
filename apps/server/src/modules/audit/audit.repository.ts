import { and, desc, eq, gte, like, lt, lte, type SQL } from 'drizzle-orm';
import type { AuditQuery } from '@switchboard/shared';
import type { Db } from '../../platform/db/client.js';
import { auditLog, users } from '../../platform/db/schema.js';

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Reads the account's audit log (writes go through `recordAudit` in the writer's transaction). */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Newest first, `beforeId` exclusive; keyed by the log's id, so pages never skip or repeat an entry. */
  async page(accountId: string, filter: AuditQuery, limit: number, beforeId?: number) {
    return this.db
      .select({
        id: auditLog.id,
        action: auditLog.action,
        actorUserId: auditLog.actorUserId,
        actorName: users.name,
        actorEmail: users.email,
        targetType: auditLog.targetType,
        targetId: auditLog.targetId,
        ip: auditLog.ip,
        details: auditLog.details,
        createdAt: auditLog.createdAt,
      })
      .from(auditLog)
      .leftJoin(users, eq(users.id, auditLog.actorUserId))
      .where(and(eq(auditLog.accountId, accountId), ...conditions(filter), beforeId ? lt(auditLog.id, beforeId) : undefined))
      .orderBy(desc(auditLog.id))
      .limit(limit);
  }
}

function conditions(f: AuditQuery): (SQL | undefined)[] {
  return [
    f.actorUserId ? eq(auditLog.actorUserId, f.actorUserId) : undefined,
    f.action ? (f.action.endsWith('.') ? like(auditLog.action, `${escapeLike(f.action)}%`) : eq(auditLog.action, f.action)) : undefined,
    f.targetType ? eq(auditLog.targetType, f.targetType) : undefined,
    f.targetId ? eq(auditLog.targetId, f.targetId) : undefined,
    f.from ? gte(auditLog.createdAt, new Date(f.from)) : undefined,
    f.to ? lte(auditLog.createdAt, new Date(f.to)) : undefined,
  ];
}
