import { emailChannelConfig } from '@switchboard/shared';
import type { z } from 'zod';

/** The stored (non-secret) settings of an e-mail channel, with the schema's defaults applied. */
const settingsSchema = emailChannelConfig.omit({ imapPassword: true, smtpPassword: true });
export type EmailSettings = z.infer<typeof settingsSchema>;

export interface EmailSecrets {
  imapPassword: string;
  smtpPassword: string;
}

export function emailSettings(config: Record<string, unknown>): EmailSettings {
  return settingsSchema.parse(config);
}

/** Identifies the watched mailbox: UID cursors of another mailbox mean nothing here. */
export function mailboxKey(s: EmailSettings): string {
  return `${s.imapUser.toLowerCase()}@${s.imapHost.toLowerCase()}:${s.imapPort}/${s.imapMailbox}`;
}
