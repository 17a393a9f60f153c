import { z } from 'zod';

/**
 * The catalogue of permissions: every check on the server and every hidden button in the web app names
 * one of these. `kind` says whether a read-only API token keeps it; `area` groups it for token scopes
 * and the role editor.
 */
export const PERMISSIONS = {
  'conversation.read': {
    area: 'conversations',
    kind: 'read',
    en: 'See conversations, messages and attachments',
    ru: 'Видеть диалоги, сообщения и вложения',
  },
  'conversation.reply': {
    area: 'conversations',
    kind: 'write',
    en: 'Answer customers (replies, AI suggestions, resending failed replies)',
    ru: 'Отвечать клиентам (ответы, подсказки ИИ, повторная отправка)',
  },
  'conversation.note': {
    area: 'conversations',
    kind: 'write',
    en: 'Write internal notes in conversations (customers never see them)',
    ru: 'Писать внутренние заметки в диалогах (клиент их не видит)',
  },
  'conversation.assign': {
    area: 'conversations',
    kind: 'write',
    en: 'Take conversations, change their status and category',
    ru: 'Брать диалоги, менять их статус и категорию',
  },
  'conversation.assign_others': {
    area: 'conversations',
    kind: 'write',
    en: 'Assign conversations to other people and take them from others',
    ru: 'Назначать диалоги другим и забирать у других',
  },
  'contact.read': {
    area: 'contacts',
    kind: 'read',
    en: 'See contacts, their profiles and conversation history',
    ru: 'Видеть контакты, их карточки и историю обращений',
  },
  'contact.edit': {
    area: 'contacts',
    kind: 'write',
    en: 'Edit contacts: name, phones, notes, tags and attributes',
    ru: 'Править контакты: имя, телефоны, заметки, метки и поля',
  },
  'contact.manage': {
    area: 'contacts',
    kind: 'write',
    en: 'Merge, block, import and export contacts; define contact fields',
    ru: 'Объединять, блокировать, импортировать и выгружать контакты; настраивать поля',
  },
  'tag.manage': {
    area: 'conversations',
    kind: 'write',
    en: 'Create, rename and delete tags',
    ru: 'Создавать, переименовывать и удалять метки',
  },
  'canned.manage': {
    area: 'conversations',
    kind: 'write',
    en: 'Manage shared canned responses (personal ones need only the right to reply)',
    ru: 'Управлять общими шаблонами ответов (свои — достаточно права отвечать)',
  },
  'chat.use': { area: 'chat', kind: 'write', en: 'Use the team chat', ru: 'Пользоваться чатом команды' },
  'chat.manage': {
    area: 'chat',
    kind: 'write',
    en: "Manage team chat channels and remove others' messages",
    ru: 'Управлять каналами чата команды и удалять чужие сообщения',
  },
  'channel.read': {
    area: 'channels',
    kind: 'read',
    en: 'See channels, their health and alerts',
    ru: 'Видеть каналы, их состояние и оповещения',
  },
  'channel.manage': {
    area: 'channels',
    kind: 'write',
    en: 'Connect, change and remove channels; discard dead letters',
    ru: 'Подключать, менять и удалять каналы; удалять недоставленные',
  },
  'webhook.manage': {
    area: 'webhooks',
    kind: 'write',
    en: 'Manage outbound webhooks and read their delivery log',
    ru: 'Управлять исходящими вебхуками и читать журнал доставки',
  },
  'knowledge.read': {
    area: 'knowledge',
    kind: 'read',
    en: 'Read the knowledge base and test questions',
    ru: 'Читать базу знаний и проверять вопросы',
  },
  'knowledge.manage': {
    area: 'knowledge',
    kind: 'write',
    en: 'Write, import and delete knowledge base articles',
    ru: 'Писать, импортировать и удалять статьи базы знаний',
  },
  'ai.read': {
    area: 'ai',
    kind: 'read',
    en: 'See AI assistant settings, categories, classifier and its metrics',
    ru: 'Видеть настройки ИИ-ассистента, категории, классификатор и метрики',
  },
  'ai.manage': {
    area: 'ai',
    kind: 'write',
    en: 'Change AI assistant settings, categories and train the classifier',
    ru: 'Менять настройки ИИ-ассистента, категории и обучать классификатор',
  },
  'report.read': { area: 'reports', kind: 'read', en: 'See reports and dashboards', ru: 'Видеть отчёты и дашборды' },
  'team.read': { area: 'teams', kind: 'read', en: 'See teams and their members', ru: 'Видеть команды и их участников' },
  'team.manage': { area: 'teams', kind: 'write', en: 'Create teams and change who is in them', ru: 'Создавать команды и менять их состав' },
  'sla.manage': {
    area: 'sla',
    kind: 'write',
    en: 'Change SLA policies and working calendars',
    ru: 'Менять SLA-политики и рабочие календари',
  },
  'bridge.use': {
    area: 'bridge',
    kind: 'write',
    en: 'Work from Telegram: link my own Telegram account',
    ru: 'Работать из Telegram: привязать свой аккаунт Telegram',
  },
  'user.read': { area: 'people', kind: 'read', en: 'See the people of the account', ru: 'Видеть людей аккаунта' },
  'user.manage': {
    area: 'people',
    kind: 'write',
    en: "Invite, deactivate people and change their roles and others' Telegram links",
    ru: 'Приглашать и отключать людей, менять их роли и чужие привязки Telegram',
  },
  'role.read': { area: 'people', kind: 'read', en: 'See roles and their permissions', ru: 'Видеть роли и их права' },
  'role.manage': {
    area: 'people',
    kind: 'write',
    en: 'Create, change and delete custom roles',
    ru: 'Создавать, менять и удалять свои роли',
  },
  'token.manage': { area: 'tokens', kind: 'write', en: 'Create and revoke my own API tokens', ru: 'Создавать и отзывать свои API-токены' },
  'token.manage_all': {
    area: 'tokens',
    kind: 'write',
    en: "See and revoke anyone's API tokens",
    ru: 'Видеть и отзывать API-токены любого сотрудника',
  },
  'audit.read': { area: 'audit', kind: 'read', en: 'Read and export the audit log', ru: 'Читать и выгружать журнал аудита' },
  'account.manage': {
    area: 'account',
    kind: 'write',
    en: 'Change account settings (name, two-factor policy)',
    ru: 'Менять настройки аккаунта (название, требование 2FA)',
  },
  'account.owners': {
    area: 'account',
    kind: 'write',
    en: 'Owner-only: make and unmake owners, make and download backups',
    ru: 'Только владелец: назначать и снимать владельцев, делать и скачивать резервные копии',
  },
  'portal.use': {
    area: 'portal',
    kind: 'read',
    en: "Use the customer portal (a client's own requests)",
    ru: 'Пользоваться порталом клиента (свои обращения)',
  },
} as const satisfies Record<string, { area: string; kind: 'read' | 'write'; en: string; ru: string }>;

export type Permission = keyof typeof PERMISSIONS;
export const permissionNames = Object.keys(PERMISSIONS) as Permission[];
export const permission = z.enum(permissionNames as [Permission, ...Permission[]]);

export const permissionAreas = [...new Set(Object.values(PERMISSIONS).map((p) => p.area))] as PermissionArea[];
export type PermissionArea = (typeof PERMISSIONS)[Permission]['area'];
export const permissionArea = z.enum(permissionAreas as [PermissionArea, ...PermissionArea[]]);

const all = (except: Permission[] = []): Permission[] => permissionNames.filter((p) => !except.includes(p));

/** The built-in roles and what each may do; a membership's role is one of these keys or a custom role's id. */
export const SYSTEM_ROLES = {
  owner: all(),
  admin: all(['account.owners']),
  supervisor: [
    'conversation.read',
    'conversation.reply',
    'conversation.note',
    'conversation.assign',
    'conversation.assign_others',
    'contact.read',
    'contact.edit',
    'contact.manage',
    'tag.manage',
    'canned.manage',
    'chat.use',
    'chat.manage',
    'channel.read',
    'knowledge.read',
    'knowledge.manage',
    'ai.read',
    'report.read',
    'team.read',
    'team.manage',
    'sla.manage',
    'bridge.use',
    'user.read',
    'role.read',
    'token.manage',
  ],
  agent: [
    'conversation.read',
    'conversation.reply',
    'conversation.note',
    'conversation.assign',
    'contact.read',
    'contact.edit',
    'chat.use',
    'channel.read',
    'knowledge.read',
    'ai.read',
    'team.read',
    'bridge.use',
    'user.read',
    'token.manage',
  ],
  collaborator: [
    'conversation.read',
    'conversation.note',
    'contact.read',
    'chat.use',
    'channel.read',
    'knowledge.read',
    'team.read',
    'user.read',
  ],
  knowledge_editor: ['knowledge.read', 'knowledge.manage', 'ai.read', 'user.read', 'token.manage', 'chat.use'],
  analyst: ['report.read', 'ai.read', 'channel.read', 'team.read', 'user.read', 'chat.use'],
  client: ['portal.use'],
} as const satisfies Record<string, readonly Permission[]>;

export type SystemRole = keyof typeof SYSTEM_ROLES;
export const systemRoleKeys = Object.keys(SYSTEM_ROLES) as SystemRole[];
// `hasOwnProperty`, not `Object.hasOwn`: the widget type-checks these sources against ES2020.
export const isSystemRole = (key: string): key is SystemRole => Object.prototype.hasOwnProperty.call(SYSTEM_ROLES, key);

/** Russian and English names of the system roles (custom roles carry their own name). */
export const SYSTEM_ROLE_NAMES: Record<SystemRole, { en: string; ru: string }> = {
  owner: { en: 'Owner', ru: 'Владелец' },
  admin: { en: 'Administrator', ru: 'Администратор' },
  supervisor: { en: 'Supervisor', ru: 'Руководитель' },
  agent: { en: 'Agent', ru: 'Оператор' },
  collaborator: { en: 'Collaborator', ru: 'Участник' },
  knowledge_editor: { en: 'Knowledge editor', ru: 'Редактор базы знаний' },
  analyst: { en: 'Analyst', ru: 'Аналитик' },
  client: { en: 'Client', ru: 'Клиент' },
};

/** A membership's role: a system role key or a custom role's id. */
export { role as roleKey } from './common.js';

export const permissionInfo = z.object({
  name: permission,
  area: permissionArea,
  kind: z.enum(['read', 'write']),
  description: z.object({ en: z.string(), ru: z.string() }),
});
export type PermissionInfo = z.infer<typeof permissionInfo>;

export const roleInfo = z.object({
  /** The key a membership stores: the system key, or the custom role's id. */
  key: z.string(),
  system: z.boolean(),
  name: z.string(),
  names: z.object({ en: z.string(), ru: z.string() }).nullable(),
  permissions: z.array(permission),
  members: z.number().int(),
  updatedAt: z.iso.datetime().nullable(),
});
export type RoleInfo = z.infer<typeof roleInfo>;

export const roleRequest = z.object({
  name: z.string().trim().min(1).max(80),
  permissions: z.array(permission).max(permissionNames.length),
});
export type RoleRequest = z.infer<typeof roleRequest>;

/** What an API token may do on top of its owner's role: read-only or full, optionally only some areas. */
export const tokenScopes = z.object({
  access: z.enum(['read', 'full']),
  /** Limit to these areas; absent = every area except `tokens` (minting tokens with a token needs it named). */
  areas: z.array(permissionArea).min(1).max(permissionAreas.length).optional(),
});
export type TokenScopes = z.infer<typeof tokenScopes>;
export const FULL_SCOPES: TokenScopes = { access: 'full' };

/** A token's scopes as a filter on its owner's permissions. */
export function scopeAllows(scopes: TokenScopes, name: Permission): boolean {
  const p = PERMISSIONS[name];
  if (scopes.access === 'read' && p.kind !== 'read') return false;
  if (scopes.areas) return (scopes.areas as string[]).includes(p.area);
  return p.area !== 'tokens';
}

/** Filters of the audit log page and its CSV export. */
export const auditQuery = z.object({
  actorUserId: z.uuid().optional(),
  /** An exact action (`role.created`) or a prefix ending with a dot (`role.`). */
  action: z.string().trim().min(1).max(100).optional(),
  targetType: z.string().trim().min(1).max(100).optional(),
  targetId: z.string().trim().min(1).max(200).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type AuditQuery = z.infer<typeof auditQuery>;

export const auditLogEntry = z.object({
  id: z.number(),
  action: z.string(),
  actorUserId: z.string().nullable(),
  actorName: z.string().nullable(),
  actorEmail: z.string().nullable(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.unknown(),
  createdAt: z.iso.datetime(),
});
export type AuditLogEntry = z.infer<typeof auditLogEntry>;
