import type { Role } from '@switchboard/shared';

/** Mirror of the server's permission map, used only to hide actions the server would refuse. */
const MANAGERS: readonly Role[] = ['owner', 'admin'];
const SUPERVISORS: readonly Role[] = ['owner', 'admin', 'supervisor'];

export const canManageChannels = (role: Role) => MANAGERS.includes(role);
export const canAssignOthers = (role: Role) => SUPERVISORS.includes(role);
export const canManageKnowledge = (role: Role) => SUPERVISORS.includes(role);
export const canManageAi = (role: Role) => MANAGERS.includes(role);
