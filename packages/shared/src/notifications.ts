import { z } from 'zod';

/** What a person can be told about. `low_csat` waits for customer ratings (the service-desk work). */
export const NOTIFICATION_KINDS = [
  'new_conversation',
  'assigned',
  'mention',
  'customer_replied',
  'handed_over',
  'waiting',
  'waiting_escalated',
  'low_csat',
  'chat_mention',
  'chat_direct',
] as const;
export const notificationKind = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKind>;

/** Media besides the bell (in-app), which records every notification whose kind is on. */
export const NOTIFICATION_MEDIA = ['inApp', 'push', 'email', 'telegram'] as const;
export type NotificationMedium = (typeof NOTIFICATION_MEDIA)[number];

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM, 24-hour');

export const kindMedia = z.object({ inApp: z.boolean(), push: z.boolean(), email: z.boolean(), telegram: z.boolean() });
export type KindMedia = z.infer<typeof kindMedia>;

export const notificationSettings = z.object({
  events: z.record(notificationKind, kindMedia),
  /**
   * Push, e-mail and Telegram are held during quiet hours and go out when they end (unless read in the app
   * meanwhile); the bell still records everything. `from` after `to` spans midnight.
   */
  quietHours: z.object({
    enabled: z.boolean(),
    from: hhmm,
    to: hhmm,
    /** IANA zone; null = the person's profile time zone, else UTC. */
    timeZone: z.string().max(64).nullable(),
  }),
  /** "Waiting without an answer" for my conversations (and the unassigned queue) after this many minutes. */
  waitingMinutes: z
    .number()
    .int()
    .min(1)
    .max(24 * 60),
  /** Managers: any conversation waiting this long (the support roadmap's "handover hangs > 2 h"). */
  escalationMinutes: z
    .number()
    .int()
    .min(5)
    .max(7 * 24 * 60),
  /** A sound for new notifications while the app is open. */
  sound: z.boolean(),
  /** The unread count in the browser tab's title. */
  titleCount: z.boolean(),
});
export type NotificationSettings = z.infer<typeof notificationSettings>;

const on = (push: boolean, email: boolean, telegram: boolean): KindMedia => ({ inApp: true, push, email, telegram });

export const DEFAULT_NOTIFICATION_SETTINGS: NotificationSettings = {
  events: {
    new_conversation: on(true, false, false),
    assigned: on(true, false, false),
    mention: on(true, true, true),
    customer_replied: on(true, false, false),
    handed_over: on(true, false, false),
    waiting: on(true, false, false),
    waiting_escalated: on(true, true, true),
    low_csat: on(true, true, false),
    chat_mention: on(true, false, true),
    chat_direct: on(true, false, false),
  },
  quietHours: { enabled: false, from: '22:00', to: '08:00', timeZone: null },
  waitingMinutes: 15,
  escalationMinutes: 120,
  sound: true,
  titleCount: true,
};

/** Stored settings over the defaults (a kind added later gets its default). */
export function withDefaults(stored: Partial<NotificationSettings> | null | undefined): NotificationSettings {
  const d = DEFAULT_NOTIFICATION_SETTINGS;
  if (!stored) return d;
  return {
    ...d,
    ...stored,
    events: { ...d.events, ...(stored.events ?? {}) },
    quietHours: { ...d.quietHours, ...(stored.quietHours ?? {}) },
  };
}

export const notification = z.object({
  id: z.uuid(),
  kind: notificationKind,
  title: z.string(),
  body: z.string(),
  link: z.string().nullable(),
  conversationId: z.uuid().nullable(),
  data: z.record(z.string(), z.unknown()),
  readAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type Notification = z.infer<typeof notification>;

export const notificationList = z.object({
  items: z.array(notification),
  nextCursor: z.string().nullable(),
  unread: z.number().int(),
});

export const markReadRequest = z.union([z.object({ ids: z.array(z.uuid()).min(1).max(500) }), z.object({ all: z.literal(true) })]);

export const notificationPreferences = z.object({
  settings: notificationSettings,
  media: z.object({
    push: z.object({ available: z.boolean(), publicKey: z.string(), subscriptions: z.number().int() }),
    email: z.object({ available: z.boolean(), address: z.string() }),
    telegram: z.object({ available: z.boolean(), linked: z.boolean() }),
  }),
  /** Whether the waiting-escalation (and other manager notices) apply to me. */
  manager: z.boolean(),
  timeZone: z.string().nullable(),
});
export type NotificationPreferences = z.infer<typeof notificationPreferences>;

export const pushSubscriptionRequest = z.object({
  endpoint: z.url().max(2000),
  keys: z.object({ p256dh: z.string().min(10).max(200), auth: z.string().min(4).max(100) }),
});
export type PushSubscriptionRequest = z.infer<typeof pushSubscriptionRequest>;

export const notificationDelivery = z.object({
  id: z.uuid(),
  notificationId: z.uuid(),
  title: z.string(),
  medium: z.enum(['push', 'email', 'telegram']),
  status: z.enum(['pending', 'sent', 'failed', 'skipped']),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  notBefore: z.iso.datetime().nullable(),
  sentAt: z.iso.datetime().nullable(),
  createdAt: z.iso.datetime(),
});
export type NotificationDelivery = z.infer<typeof notificationDelivery>;
