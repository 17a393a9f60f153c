import { z } from 'zod';

/** Payload schema of every job, by name: the typed contract of `queue.send`. */
export const jobSchemas = {
  /** Deliver one outbound message through its channel adapter. */
  'message.send': z.object({
    accountId: z.uuid(),
    messageId: z.uuid(),
    /** A throttle slot already reserved for this send (epoch ms): a job put off until then uses it instead of queueing again. */
    slotAt: z.number().int().optional(),
  }),
  /** Route one stored customer message: AI first line, waiting notice, classification, suggestion. */
  'message.inbound': z.object({ accountId: z.uuid(), messageId: z.uuid() }),
  /** Chunk (and embed) one knowledge article; `run` marks a whole-account re-index. */
  'knowledge.index': z.object({ accountId: z.uuid(), articleId: z.uuid(), run: z.boolean().default(false) }),
  /** Read a document's scanned pages with OCR, page by page (resumable), then index it. */
  'knowledge.ocr': z.object({ accountId: z.uuid(), articleId: z.uuid() }),
  /** Train a new classifier version from the account's labelled examples. */
  'classifier.train': z.object({ accountId: z.uuid(), modelId: z.uuid() }),
  /** Check every channel's health: open and resolve alerts (auth, webhook, poller lag, silence, failing sends). */
  'channels.health': z.object({}),
  /** Tell the account about one opened alert (operator bot, e-mail). */
  'alert.notify': z.object({ accountId: z.uuid(), alertId: z.uuid() }),
  /** Post one webhook delivery to its endpoint (signed); a failure schedules the next attempt. */
  'webhook.deliver': z.object({ accountId: z.uuid(), deliveryId: z.uuid() }),
  /**
   * Telegram bridge: bring one operator chat up to date on one conversation (`sync`), or tell an
   * operator something (`notice`: command answers, failed deliveries).
   */
  'bridge.post': z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('sync'), accountId: z.uuid(), botChannelId: z.uuid(), chatId: z.string(), conversationId: z.uuid() }),
    z.object({
      kind: z.literal('notice'),
      accountId: z.uuid(),
      botChannelId: z.uuid(),
      chatId: z.string(),
      text: z.string().min(1).max(4096),
      replyTo: z.number().int().optional(),
      topicId: z.number().int().optional(),
    }),
  ]),
  /** Deliver one notification by one medium (browser push, e-mail, Telegram); failures are recorded and retried. */
  'notification.deliver': z.object({ accountId: z.uuid(), deliveryId: z.uuid() }),
  /** Notify about conversations waiting too long for an answer (every minute). */
  'notifications.waiting': z.object({}),
  /** Back the database up (encrypted, to the directory and/or S3), then apply the retention policy. */
  'backup.run': z.object({ trigger: z.enum(['schedule', 'manual']).default('schedule') }),
  /** Restore a backup (the newest by default) into a scratch database and compare it with its manifest. */
  'backup.drill': z.object({ backupId: z.uuid().optional() }),
  /** Open an alert when the last good backup is older than BACKUP_MAX_AGE_HOURS. */
  'backup.watch': z.object({}),
  /** E-mail one backup alert to the platform admins. */
  'backup.alert': z.object({ alertId: z.uuid() }),
  /** Wake one snoozed conversation when its time comes (skips one woken or snoozed again meanwhile). */
  'conversation.wake': z.object({ accountId: z.uuid(), conversationId: z.uuid() }),
  /** Every minute: wake every snoozed conversation whose time has passed (catches any missed wake-up). */
  'conversations.wake_due': z.object({}),
  /** Hand out the account's waiting conversations to its teams' people (round-robin / least-busy, capacity, presence, hours). */
  'teams.assign': z.object({ accountId: z.uuid() }),
  /** Every minute: run auto-assignment for every account with an automatic team (presence and hours change by themselves). */
  'teams.assign_all': z.object({}),
  /** Housekeeping: prune old realtime events and expired sessions. */
  'maintenance.prune': z.object({}),
  /** Recount an account's report times after its business hours or time zone changed. */
  'reports.recount': z.object({ accountId: z.uuid() }),
  /** E-mail last week's report to the managers of every account that asked for it (cron). */
  'reports.weekly': z.object({}),
} as const;

export type JobName = keyof typeof jobSchemas;
export type JobPayload<N extends JobName> = z.input<(typeof jobSchemas)[N]>;
export type JobData<N extends JobName> = z.output<(typeof jobSchemas)[N]>;
