import { z } from 'zod';

/** Tags, canned responses, teams, presence and bulk actions: how a team shares the inbox. */

/** Mantine palette names a tag may be painted with. */
export const tagColors = [
  'gray',
  'red',
  'pink',
  'grape',
  'violet',
  'indigo',
  'blue',
  'cyan',
  'teal',
  'green',
  'lime',
  'yellow',
  'orange',
] as const;
export const tagColor = z.enum(tagColors);

export const tag = z.object({ id: z.uuid(), name: z.string(), color: tagColor, createdAt: z.iso.datetime() });
export type Tag = z.infer<typeof tag>;

export const createTagRequest = z.object({ name: z.string().trim().min(1).max(50), color: tagColor.default('gray') });
export const updateTagRequest = z
  .object({ name: z.string().trim().min(1).max(50).optional(), color: tagColor.optional() })
  .refine((v) => v.name !== undefined || v.color !== undefined, 'Nothing to change: give name or color');
/** The whole set of tags of a conversation or contact (replaces the previous set). */
export const setTagsRequest = z.object({ tagIds: z.array(z.uuid()).max(50) });

export const cannedLanguage = z.enum(['ru', 'en']);
export const cannedResponse = z.object({
  id: z.uuid(),
  shortcut: z.string(),
  text: z.string(),
  language: cannedLanguage.nullable(),
  /** Shared with the whole account (`canned.manage`) or one person's own. */
  shared: z.boolean(),
  ownerUserId: z.uuid().nullable(),
  updatedAt: z.iso.datetime(),
});
export type CannedResponse = z.infer<typeof cannedResponse>;
export const cannedListQuery = z.object({ q: z.string().trim().max(200).optional() });
export const createCannedRequest = z.object({
  shortcut: z
    .string()
    .trim()
    .min(1)
    .max(40)
    .regex(/^[\p{L}\p{N}_-]+$/u, 'A shortcut is one word: letters, digits, - and _'),
  text: z.string().trim().min(1).max(4096),
  language: cannedLanguage.nullable().default(null),
  shared: z.boolean().default(false),
});
export const updateCannedRequest = createCannedRequest.partial().omit({ shared: true });

export const assignmentModes = ['manual', 'round_robin', 'least_busy'] as const;
export const assignmentMode = z.enum(assignmentModes);
export type AssignmentMode = z.infer<typeof assignmentMode>;

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'A time is HH:MM');
export const workingHours = z.object({
  timeZone: z.string().min(1).max(64),
  /** ISO weekday 1 (Monday) … 7 (Sunday) → opening intervals; a missing day is closed. */
  days: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(z.object({ from: hhmm, to: hhmm })).max(4)),
});
export type WorkingHoursInput = z.infer<typeof workingHours>;

export const teamMemberInput = z.object({ userId: z.uuid(), capacity: z.number().int().min(1).max(1000).nullable().default(null) });
export const team = z.object({
  id: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  assignment: assignmentMode,
  capacity: z.number().int().nullable(),
  workingHours: workingHours.nullable(),
  members: z.array(z.object({ userId: z.uuid(), capacity: z.number().int().nullable() })),
  channelIds: z.array(z.uuid()),
  createdAt: z.iso.datetime(),
});
export type Team = z.infer<typeof team>;
export const saveTeamRequest = z.object({
  name: z.string().trim().min(1).max(80),
  description: z.string().trim().max(500).nullable().default(null),
  assignment: assignmentMode.default('manual'),
  capacity: z.number().int().min(1).max(1000).nullable().default(null),
  workingHours: workingHours.nullable().default(null),
  members: z.array(teamMemberInput).max(500).default([]),
  channelIds: z.array(z.uuid()).max(200).default([]),
});
export type SaveTeamRequest = z.input<typeof saveTeamRequest>;

export const presenceStatus = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof presenceStatus>;
export const presence = z.object({
  userId: z.uuid(),
  status: presenceStatus,
  /** What the person chose by hand (null = from activity). */
  manual: presenceStatus.nullable(),
});
export type Presence = z.infer<typeof presence>;
export const setPresenceRequest = z.object({ status: z.union([presenceStatus, z.literal('auto')]) });

export const typingRequest = z.object({ kind: z.enum(['reply', 'note']) });

/** One action applied to many conversations at once, in one transaction, with a result per conversation. */
export const bulkAction = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('assign'), assigneeId: z.uuid().nullable() }),
  z.object({ kind: z.literal('tag'), add: z.array(z.uuid()).max(20).default([]), remove: z.array(z.uuid()).max(20).default([]) }),
  z.object({ kind: z.literal('resolve') }),
  z.object({ kind: z.literal('snooze'), until: z.iso.datetime({ offset: true }) }),
]);
export type BulkAction = z.infer<typeof bulkAction>;
export const bulkRequest = z.object({ conversationIds: z.array(z.uuid()).min(1).max(100), action: bulkAction });
export const bulkResult = z.object({
  results: z.array(
    z.object({ conversationId: z.uuid(), ok: z.boolean(), error: z.object({ code: z.string(), message: z.string() }).optional() }),
  ),
});
export type BulkResult = z.infer<typeof bulkResult>;
