import {
  isSystemRole,
  SYSTEM_ROLE_NAMES,
  SYSTEM_ROLES,
  systemRoleKeys,
  type Permission,
  type RoleInfo,
  type RoleRequest,
} from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import type { Db } from '../../platform/db/client.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { isUuid } from '../../platform/ids.js';
import { recordAudit } from '../identity/identity.audit.js';
import { firstMissing, missingPermission, requirePermission, type Actor } from '../identity/permissions.js';
import { rolePermissions } from './access.resolve.js';
import { RolesRepository, type CustomRole } from './roles.repository.js';

const unique = (perms: Permission[]) => [...new Set(perms)].sort();

/** Refuses with 403 naming the first permission the actor would give away without holding it. */
function assertHolds(actor: Actor, perms: Iterable<Permission>): void {
  const missing = firstMissing(actor, perms);
  if (missing) throw missingPermission(missing);
}

/**
 * Whether `actor` may give someone the role `to` (replacing `from`, when changing a member's role): they manage
 * people and hold every permission of both roles (so only owners make or unmake owners). `to` must exist in
 * the actor's account: `validation_failed` otherwise.
 */
export async function assertCanAssignRole(db: Db, actor: Actor, from: string | undefined, to: string): Promise<void> {
  requirePermission(actor, 'user.manage');
  if (!isSystemRole(to) && !(isUuid(to) && (await new RolesRepository(db).find(actor.accountId, to)))) {
    throw new AppError('validation_failed', `No role "${to}" in this account`, [{ path: 'role', message: 'unknown role' }]);
  }
  assertHolds(actor, await rolePermissions(db, actor.accountId, to));
  if (from !== undefined) assertHolds(actor, await rolePermissions(db, actor.accountId, from));
}

/** The role editor: system roles (read-only) and the account's custom roles. */
export class RolesService {
  private readonly repo: RolesRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new RolesRepository(ctx.db);
  }

  async list(actor: Actor): Promise<RoleInfo[]> {
    requirePermission(actor, 'role.read');
    const [custom, counts] = await Promise.all([this.repo.list(actor.accountId), this.repo.memberCounts(actor.accountId)]);
    const system: RoleInfo[] = systemRoleKeys.map((key) => ({
      key,
      system: true,
      name: SYSTEM_ROLE_NAMES[key].en,
      names: SYSTEM_ROLE_NAMES[key],
      permissions: [...SYSTEM_ROLES[key]],
      members: counts.get(key) ?? 0,
      updatedAt: null,
    }));
    return [...system, ...custom.map((r) => this.info(r, counts.get(r.id) ?? 0))];
  }

  async create(actor: Actor, input: RoleRequest): Promise<RoleInfo> {
    requirePermission(actor, 'role.manage');
    const permissions = unique(input.permissions);
    assertHolds(actor, permissions);
    return transaction(this.ctx.pool, async (tx) => {
      const repo = new RolesRepository(tx.db);
      if (await repo.nameTaken(actor.accountId, input.name)) throw new AppError('conflict', 'A role with this name already exists');
      const row = await repo.create(actor.accountId, { name: input.name, permissions });
      await recordAudit(tx.db, actor, 'role.created', { targetType: 'role', targetId: row.id, details: { name: row.name, permissions } });
      return this.info(row, 0);
    });
  }

  async update(actor: Actor, id: string, input: RoleRequest): Promise<RoleInfo> {
    requirePermission(actor, 'role.manage');
    const permissions = unique(input.permissions);
    return transaction(this.ctx.pool, async (tx) => {
      const repo = new RolesRepository(tx.db);
      const before = await this.lockedRole(repo, actor, id);
      // Neither what it gives nor what it gave may exceed the editor's own permissions.
      assertHolds(actor, permissions);
      assertHolds(actor, before.permissions as Permission[]);
      if (await repo.nameTaken(actor.accountId, input.name, id)) throw new AppError('conflict', 'A role with this name already exists');
      const row = (await repo.update(actor.accountId, id, { name: input.name, permissions }))!;
      const had = new Set(before.permissions);
      await recordAudit(tx.db, actor, 'role.updated', {
        targetType: 'role',
        targetId: id,
        details: {
          name: row.name,
          ...(before.name !== row.name ? { renamedFrom: before.name } : {}),
          added: permissions.filter((p) => !had.has(p)),
          removed: before.permissions.filter((p) => !permissions.includes(p as Permission)),
        },
      });
      const counts = await repo.memberCounts(actor.accountId);
      return this.info(row, counts.get(id) ?? 0);
    });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requirePermission(actor, 'role.manage');
    await transaction(this.ctx.pool, async (tx) => {
      const repo = new RolesRepository(tx.db);
      const role = await this.lockedRole(repo, actor, id);
      assertHolds(actor, role.permissions as Permission[]);
      const members = (await repo.memberCounts(actor.accountId)).get(id) ?? 0;
      if (members > 0)
        throw new AppError('conflict', `The role is held by ${members} member(s); give them another role first`, { members });
      await repo.delete(actor.accountId, id);
      await recordAudit(tx.db, actor, 'role.deleted', { targetType: 'role', targetId: id, details: { name: role.name } });
    });
  }

  private async lockedRole(repo: RolesRepository, actor: Actor, id: string): Promise<CustomRole> {
    if (!(await repo.lock(actor.accountId, id))) throw notFound('Role');
    return (await repo.find(actor.accountId, id))!;
  }

  private info(r: CustomRole, members: number): RoleInfo {
    return {
      key: r.id,
      system: false,
      name: r.name,
      names: null,
      permissions: r.permissions as Permission[],
      members,
      updatedAt: r.updatedAt.toISOString(),
    };
  }
}
