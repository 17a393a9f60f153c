import { createTransport } from 'nodemailer';
import { OutboundError, type OutboundPolicy } from '../../../platform/http/outbound.js';
import { SendError } from '../adapter.js';
import { errorMessage } from '../channels.util.js';
import type { EmailSecrets, EmailSettings } from './email.settings.js';
import { domainOf } from './email.text.js';

/**
 * An SMTP transport for the channel. `smtpSecure: false` starts in plain text and upgrades with
 * STARTTLS whenever the server offers it (nodemailer's default). One connection per send: an
 * e-mail channel sends a few messages a minute, not enough to keep a pool open for. Like IMAP, it
 * connects to the address the outbound policy checked, verifying the certificate against the name.
 */
export async function smtpTransport(outbound: OutboundPolicy, s: EmailSettings, secrets: EmailSecrets) {
  const { address, servername } = await outbound.pin(s.smtpHost);
  return createTransport({
    host: address,
    ...(servername ? { servername } : {}),
    port: s.smtpPort,
    secure: s.smtpSecure,
    auth: { user: s.smtpUser, pass: secrets.smtpPassword },
    name: domainOf(s.address),
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
  });
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
}

/** The server's reply when there is one ("550 5.1.1 No such user"), else the client's error. */
export function smtpReason(err: unknown): string {
  const e = err as SmtpError;
  return (e.response ?? errorMessage(err)).trim().slice(0, 500);
}

export function isSmtpAuthFailure(err: unknown): boolean {
  const e = err as SmtpError;
  return e.code === 'EAUTH' || e.code === 'ENOAUTH' || e.responseCode === 535 || e.responseCode === 534;
}

/** Maps an SMTP failure to what the delivery job does: 4xx and lost connections retry, 5xx fail, 535 is the login. */
export function toSendError(err: unknown): SendError {
  if (err instanceof OutboundError)
    return new SendError(err.category === 'blocked_address' ? 'permanent' : 'retryable', `SMTP: ${err.message}`);
  const e = err as SmtpError;
  const reason = `SMTP: ${smtpReason(err)}`;
  if (isSmtpAuthFailure(err)) return new SendError('auth', reason);
  if (e.responseCode && e.responseCode >= 500) return new SendError('permanent', reason);
  return new SendError('retryable', reason);
}
