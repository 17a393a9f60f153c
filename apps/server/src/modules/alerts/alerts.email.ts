import type { Config } from '../../config.js';
import { createMailer } from '../../platform/mail.js';

/** Sends an alert e-mail through the installation's mail server (`SMTP_URL`, formerly `ALERT_SMTP_URL`). */
export async function sendAlertEmail(config: Pick<Config, 'smtpUrl' | 'mailFrom'>, to: string[], subject: string, text: string) {
  await createMailer(config).send({ to, subject, text });
}
