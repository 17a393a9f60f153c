import { forbidden } from '../../platform/http/errors.js';

export type Role = 'owner' | 'admin' | 'supervisor' | 'operator';

/** Who acts: a signed-in user (session) or a script (API token), always inside one account. */
export interface Actor {
  userId: string;
  accountId: string;
  role: Role;
  via: 'session' | 'token' | 'telegram';
  sessionId?: string;
  tokenId?: string;
  ip?: string;
}

const ALL: Role[] = ['owner', 'admin', 'supervisor', 'operator'];
const MANAGERS: Role[] = ['owner', 'admin'];

/** The permission map; a full RBAC editor comes later, checks stay in services. */
const PERMISSIONS = {
  'conversation.read': ALL,
  'conversation.reply': ALL,
  'conversation.assign': ALL,
  'conversation.assign_others': ['owner', 'admin', 'supervisor'],
  'channel.read': ALL,
  'channel.manage': MANAGERS,
  /** Outbound webhooks: endpoints, secrets, delivery log (payloads hold conversations). */
  'webhook.manage': MANAGERS,
  'user.read': ALL,
  'user.manage': MANAGERS,
  'token.manage': ALL,
  'audit.read': MANAGERS,
  'knowledge.read': ALL,
  'knowledge.manage': ['owner', 'admin', 'supervisor'],
  'ai.read': ALL,
  'ai.manage': MANAGERS,
} satisfies Record<string, Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(actor: Actor, permission: Permission): boolean {
  return (PERMISSIONS[permission] as Role[]).includes(actor.role);
}

export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw forbidden();
}

/** Only an owner may make someone an owner; nobody edits a role above their own. */
export function canGrantRole(actor: Actor, role: Role): boolean {
  const rank: Record<Role, number> = { owner: 3, admin: 2, supervisor: 1, operator: 0 };
  return rank[actor.role] >= rank[role] && can(actor, 'user.manage');
}
