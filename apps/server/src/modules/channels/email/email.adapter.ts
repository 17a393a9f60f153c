import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../../context.js';
import { AppError } from '../../../platform/http/errors.js';
import { normaliseHost } from '../../../platform/http/outbound.address.js';
import { notAllowed, OutboundError, type OutboundPolicy } from '../../../platform/http/outbound.js';
import { errorMessage } from '../channels.util.js';
import { openStoredFile } from '../../conversations/conversations.files.js';
import type { ChannelAdapter, ChannelRecord, ConnectResult, FetchedFile, OutboundMessage, PollSession, SendResult } from '../adapter.js';
import type { ChannelRuntime } from '../channels.runtime.js';
import { imapClient, imapFailure } from './email.imap.js';
import { pollMailbox } from './email.poller.js';
import { emailSettings, type EmailSecrets, type EmailSettings } from './email.settings.js';
import { isSmtpAuthFailure, smtpReason, smtpTransport, toSendError } from './email.smtp.js';
import { capReferences, domainOf, replySubject } from './email.text.js';

/** What inbound mail left in the conversation's context: what a reply answers and threads under. */
interface EmailThread {
  subject: string;
  lastMessageId: string | undefined;
  references: string[];
}

/**
 * E-mail: IMAP in (a poll loop per channel: catch-up by UID, then IDLE), SMTP out. Replies carry
 * In-Reply-To/References, so the customer's answer threads back into the same conversation.
 */
export class EmailAdapter implements ChannelAdapter<EmailSecrets> {
  readonly type = 'email';
  // No documented provider limit; modest spacing keeps a burst of bot replies from looking like spam.
  readonly throttle = { perChatMs: 1_000, perChannelMs: 200 };
  readonly secretFields = ['imapPassword', 'smtpPassword'] as const;
  readonly softFields = ['fromName'] as const;
  /**
   * A catch-up round (with a fresh SELECT) at least this often, even without EXISTS: proves the
   * connection, notices a recreated mailbox and reports progress to the health checks.
   */
  heartbeatMs = 4 * 60_000;

  constructor(
    readonly ctx: AppContext,
    readonly runtime: ChannelRuntime,
  ) {}

  polls(): boolean {
    return true;
  }

  poll(session: PollSession): Promise<void> {
    return pollMailbox(this, session);
  }

  /** Where the passwords go: changing a server requires sending its password again (ChannelsService). */
  credentialTargets(config: Record<string, unknown>): Record<string, string> {
    const s = emailSettings(config);
    return { imapPassword: normaliseHost(s.imapHost), smtpPassword: normaliseHost(s.smtpHost) };
  }

  /** Logs in to both servers; remembers where the mailbox stood, so reading starts from there. */
  async connect(channel: ChannelRecord, secrets: EmailSecrets): Promise<ConnectResult> {
    const s = emailSettings(channel.config);
    const mailbox = await checkImap(this.ctx.outbound, s, secrets);
    await checkSmtp(this.ctx.outbound, s, secrets);
    return { status: 'connected', statusReason: null, config: { imapUidValidity: mailbox.uidValidity, imapUidNext: mailbox.uidNext } };
  }

  /** Nothing is registered with a mail server: the poll loop stops with the channel. */
  async disconnect(): Promise<void> {}

  /** Attachments arrive inside the message and are kept in the database. */
  fetchFile(channel: ChannelRecord, _secrets: EmailSecrets, fileId: string): Promise<FetchedFile> {
    return openStoredFile(this.ctx.db, channel, fileId);
  }

  async send(channel: ChannelRecord, secrets: EmailSecrets, message: OutboundMessage): Promise<SendResult> {
    const s = emailSettings(channel.config);
    const thread = threadOf(message.context);
    // Our own id: the customer's reply names it in In-Reply-To and so finds this conversation.
    const messageId = `<${randomUUID()}@${domainOf(s.address)}>`;
    const references = capReferences([...thread.references, ...(thread.lastMessageId ? [thread.lastMessageId] : [])]);
    const subject = replySubject(thread.subject);
    let response: string;
    const transport = await smtpTransport(this.ctx.outbound, s, secrets).catch((err: unknown) => {
      throw toSendError(err);
    });
    try {
      const info = await transport.sendMail({
        from: s.fromName ? { name: s.fromName, address: s.address } : s.address,
        to: message.chatId,
        subject,
        text: message.text,
        messageId,
        ...(thread.lastMessageId ? { inReplyTo: thread.lastMessageId } : {}),
        ...(references.length ? { references } : {}),
      });
      response = info.response;
    } catch (err) {
      throw toSendError(err);
    } finally {
      transport.close();
    }
    return {
      externalId: messageId,
      meta: { email: { messageId, subject, response } },
      context: { lastMessageId: messageId, references },
    };
  }
}

async function checkImap(
  outbound: OutboundPolicy,
  s: EmailSettings,
  secrets: EmailSecrets,
): Promise<{ uidValidity: number; uidNext: number }> {
  const client = await imapClient(outbound, s, secrets).catch((err: unknown) => {
    throw unreachable(err, 'IMAP', 'imapHost', `${s.imapHost}:${s.imapPort}`);
  });
  try {
    await client.connect();
    const mailbox = await client.mailboxOpen(s.imapMailbox, { readOnly: true });
    return { uidValidity: Number(mailbox.uidValidity), uidNext: mailbox.uidNext };
  } catch (err) {
    const f = imapFailure(err);
    if (f.kind === 'unreachable') {
      throw new AppError('service_unavailable', `The IMAP server ${s.imapHost}:${s.imapPort} could not be reached: ${f.message}`);
    }
    const what = f.kind === 'auth' ? 'the login' : `mailbox "${s.imapMailbox}"`;
    throw new AppError('provider_rejected', `The IMAP server rejected ${what}: ${f.message}`, { provider: 'email', protocol: 'imap' });
  } finally {
    if (client.usable) await client.logout().catch(() => client.close());
    else client.close();
  }
}

async function checkSmtp(outbound: OutboundPolicy, s: EmailSettings, secrets: EmailSecrets): Promise<void> {
  const transport = await smtpTransport(outbound, s, secrets).catch((err: unknown) => {
    throw unreachable(err, 'SMTP', 'smtpHost', `${s.smtpHost}:${s.smtpPort}`);
  });
  try {
    await transport.verify();
  } catch (err) {
    const code = (err as { responseCode?: number }).responseCode;
    if (isSmtpAuthFailure(err) || (code !== undefined && code >= 500)) {
      throw new AppError('provider_rejected', `The SMTP server rejected the login: ${smtpReason(err)}`, {
        provider: 'email',
        protocol: 'smtp',
      });
    }
    throw new AppError('service_unavailable', `The SMTP server ${s.smtpHost}:${s.smtpPort} could not be reached: ${smtpReason(err)}`);
  } finally {
    transport.close();
  }
}

/** A server the outbound policy refuses (`url_not_allowed`) or whose name does not resolve. */
function unreachable(err: unknown, protocol: string, field: string, server: string): AppError {
  if (err instanceof OutboundError && err.category === 'blocked_address') return notAllowed(`config/${field}`, err);
  return new AppError('service_unavailable', `The ${protocol} server ${server} could not be reached: ${errorMessage(err)}`);
}

function threadOf(context: Record<string, unknown> | null): EmailThread {
  const c = context ?? {};
  return {
    subject: typeof c.subject === 'string' ? c.subject : '',
    lastMessageId: typeof c.lastMessageId === 'string' ? c.lastMessageId : undefined,
    references: Array.isArray(c.references) ? c.references.filter((r): r is string => typeof r === 'string') : [],
  };
}
