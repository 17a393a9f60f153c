import type { Config } from '../config.js';

export interface MailMessage {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: Buffer; contentType: string }[];
}

/**
 * The installation's outgoing mail (`SMTP_URL`, `MAIL_FROM`): invitations, password resets, alerts.
 * Without `SMTP_URL` nothing is sent and `send` answers false, so callers show the link instead.
 * nodemailer is loaded on first use; one connection per message (a few a day, not worth a pool).
 */
export class Mailer {
  constructor(private readonly config: Pick<Config, 'smtpUrl' | 'mailFrom'>) {}

  get configured(): boolean {
    return Boolean(this.config.smtpUrl);
  }

  /** Sends one message; false when no mail server is configured, throws when the server refuses it. */
  async send(message: MailMessage): Promise<boolean> {
    if (!this.config.smtpUrl) return false;
    const { createTransport } = await import('nodemailer');
    const transport = createTransport(this.config.smtpUrl);
    try {
      await transport.sendMail({ from: this.config.mailFrom, ...message });
      return true;
    } finally {
      transport.close();
    }
  }
}

export const createMailer = (config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer => new Mailer(config);
