import type { ImapFlow, ImapFlowError } from 'imapflow';
import type { OutboundPolicy } from '../../../platform/http/outbound.js';
import { errorMessage } from '../channels.util.js';
import type { EmailSecrets, EmailSettings } from './email.settings.js';

/**
 * An IMAP client for the channel's mailbox. `imapSecure: false` starts in plain text and upgrades
 * with STARTTLS whenever the server offers it (imapflow's default). It connects to the address the
 * outbound policy checked (the certificate is still verified against the host name), so the password
 * never goes to an address the policy refuses; that throws `OutboundError`.
 */
export async function imapClient(outbound: OutboundPolicy, s: EmailSettings, secrets: EmailSecrets): Promise<ImapFlow> {
  const { address, servername } = await outbound.pin(s.imapHost);
  // Loaded on first use: only installations with an e-mail channel pay for it.
  const { ImapFlow } = await import('imapflow');
  const client = new ImapFlow({
    host: address,
    ...(servername ? { servername } : {}),
    port: s.imapPort,
    secure: s.imapSecure,
    auth: { user: s.imapUser, pass: secrets.imapPassword },
    logger: false,
    clientInfo: { name: 'Switchboard' },
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    // IDLE (and with it, prompt EXISTS) as soon as a catch-up round is over; rounds hold a mailbox
    // lock, so IDLE never starts between their commands.
    autoIdleDelay: 1_000,
    // Re-issue IDLE now and then: some servers and NAT boxes silently drop long-idle connections.
    maxIdleTime: 5 * 60_000,
  });
  // An 'error' event without a listener would crash the process; the connection closes after it
  // and whoever uses the client sees that.
  client.on('error', () => undefined);
  return client;
}

export interface ImapFailure {
  /** `auth`: the server refused the login; `rejected`: it refused a command (a missing mailbox); else unreachable. */
  kind: 'auth' | 'rejected' | 'unreachable';
  message: string;
}

/** What went wrong talking to an IMAP server, with the server's own words where it gave any. */
export function imapFailure(err: unknown): ImapFailure {
  const e = err as ImapFlowError;
  const serverText = e.responseText ?? (typeof e.response === 'string' ? e.response : undefined);
  // [UNAVAILABLE]: the server's password backend is down (RFC 5530), not a wrong password.
  if (e.authenticationFailed && e.serverResponseCode !== 'UNAVAILABLE')
    return { kind: 'auth', message: serverText || 'authentication failed' };
  if (e.mailboxMissing) return { kind: 'rejected', message: `mailbox ${e.path ?? ''} does not exist`.replace('  ', ' ') };
  if (e.responseStatus === 'NO' || e.responseStatus === 'BAD') return { kind: 'rejected', message: serverText || errorMessage(err) };
  const code = e.code && !errorMessage(err).includes(e.code) ? ` (${e.code})` : '';
  return { kind: 'unreachable', message: `${errorMessage(err)}${code}` };
}
