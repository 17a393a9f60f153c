import type { Config } from '../../config.js';

/** Sends an alert e-mail over `ALERT_SMTP_URL` (nodemailer, loaded on first use). */
export async function sendAlertEmail(config: Pick<Config, 'alertSmtpUrl' | 'alertEmailFrom'>, to: string[], subject: string, text: string) {
  const { createTransport } = await import('nodemailer');
  const transport = createTransport(config.alertSmtpUrl);
  try {
    await transport.sendMail({ from: config.alertEmailFrom, to, subject, text });
  } finally {
    transport.close();
  }
}
