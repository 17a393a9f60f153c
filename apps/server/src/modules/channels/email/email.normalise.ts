import { createHash, randomUUID } from 'node:crypto';
import { convert as htmlToText } from 'html-to-text';
import type { AddressObject, EmailAddress, HeaderValue, ParsedMail, StructuredHeader } from 'mailparser';
import type { Attachment } from '@switchboard/shared';
import type { InboundMessage } from '../adapter.js';
import type { InboundFile } from '../../conversations/conversations.files.js';
import { attachmentKind, capReferences, megabytes, stripQuotedReply } from './email.text.js';

/** Bigger attachments are left in the mailbox (noted in the message text) rather than failing the message. */
export const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024;

/** What an arrived e-mail is to us. */
export type ReceivedEmail =
  /** A person wrote: stored as a customer message (`automated`: a machine did, stored but never answered automatically). */
  | { kind: 'message'; inbound: InboundMessage; files: InboundFile[]; automated: string | null }
  /** An out-of-office or vacation notice (RFC 3834): not a customer message. */
  | { kind: 'auto_reply'; messageId: string; from: string | null; reason: string }
  /** A delivery status notification about one of our sends. */
  | { kind: 'bounce'; messageId: string; originalMessageId: string | null; failed: boolean; reason: string }
  /** No sender to answer. */
  | { kind: 'unusable'; messageId: string; reason: string };

/**
 * Normalises one parsed e-mail. `raw` is its source: when a message has no Message-ID, a hash of the
 * source stands in for it, so a re-read of the same message (a UIDVALIDITY resync) is still a duplicate.
 * `notes` are appended to the text (what could not be imported).
 */
export function normaliseEmail(mail: ParsedMail, raw: Buffer, receivedAt: Date, notes: string[] = []): ReceivedEmail {
  const messageId = mail.messageId ?? `<${createHash('sha256').update(raw).digest('hex').slice(0, 40)}@no-message-id>`;
  const from = firstAddress(mail.from);
  if (isBounce(mail, from)) return { kind: 'bounce', messageId, ...bounceFacts(mail) };
  const autoSubmitted = headerText(mail.headers.get('auto-submitted')).toLowerCase().split(';')[0]!.trim();
  const precedence = headerText(mail.headers.get('precedence')).toLowerCase().trim();
  if (
    autoSubmitted === 'auto-replied' ||
    precedence === 'auto_reply' ||
    mail.headers.has('x-autoreply') ||
    mail.headers.has('x-autorespond')
  ) {
    return { kind: 'auto_reply', messageId, from: from?.address ?? null, reason: autoSubmitted || precedence || 'x-autoreply' };
  }
  const sender = firstAddress(mail.replyTo) ?? from;
  if (!sender?.address) return { kind: 'unusable', messageId, reason: 'no sender address' };
  const automated =
    autoSubmitted && autoSubmitted !== 'no'
      ? `auto-submitted: ${autoSubmitted}`
      : ['bulk', 'junk', 'list'].includes(precedence)
        ? `precedence: ${precedence}`
        : mail.headers.has('list-id') || mail.headerLines.some((h) => h.key === 'list-id')
          ? 'mailing list'
          : null;

  const kept = keptAttachments(mail);
  const { attachments, files } = kept;
  const body = stripQuotedReply(plainText(mail));
  const text = [body, ...kept.notes, ...notes].filter(Boolean).join('\n\n') || null;
  const references = asList(mail.references);
  const address = sender.address.toLowerCase();
  return {
    kind: 'message',
    automated,
    files,
    inbound: {
      externalId: messageId,
      chatId: address,
      contact: { externalId: address, name: sender.name || from?.name || null, username: null },
      text,
      attachments,
      sentAt: mail.date && !Number.isNaN(mail.date.getTime()) ? mail.date : receivedAt,
      edited: false,
      // The thread root names the conversation; replies also join through any id they reference.
      threadKey: references[0] ?? messageId,
      threadRefs: [...new Set([...(mail.inReplyTo ? asList(mail.inReplyTo) : []), ...references])],
      context: {
        kind: 'email',
        subject: mail.subject ?? '',
        lastMessageId: messageId,
        references: capReferences(references),
      },
      meta: { email: { messageId, subject: mail.subject ?? '', ...(automated ? { automated } : {}) } },
    },
  };
}

/**
 * The plain-text body; HTML converted when there is no plain part (mailparser converts only a
 * top-level HTML body, not one inside multipart/mixed next to attachments).
 */
function plainText(mail: ParsedMail): string {
  if (mail.text?.trim()) return mail.text;
  if (!mail.html) return '';
  return htmlToText(mail.html, { wordwrap: false, selectors: [{ selector: 'img', format: 'skip' }] });
}

function keptAttachments(mail: ParsedMail): { attachments: Attachment[]; files: InboundFile[]; notes: string[] } {
  const attachments: Attachment[] = [];
  const files: InboundFile[] = [];
  const notes: string[] = [];
  for (const a of mail.attachments) {
    const fileName = a.filename ?? null;
    if (a.content.length > MAX_ATTACHMENT_BYTES) {
      notes.push(
        `[Attachment "${fileName ?? a.contentType}" (${megabytes(a.content.length)}) was not kept: larger than ${megabytes(MAX_ATTACHMENT_BYTES)}; it stays in the mailbox]`,
      );
      continue;
    }
    const id = randomUUID();
    files.push({ id, fileName, contentType: a.contentType || null, content: a.content });
    attachments.push({
      kind: attachmentKind(a.contentType),
      fileId: id,
      ...(fileName ? { fileName } : {}),
      ...(a.contentType ? { mimeType: a.contentType } : {}),
      size: a.content.length,
    });
  }
  return { attachments, files, notes };
}

function isBounce(mail: ParsedMail, from: EmailAddress | undefined): boolean {
  const type = mail.headers.get('content-type') as StructuredHeader | undefined;
  const report = type?.value === 'multipart/report' && type.params?.['report-type'] === 'delivery-status';
  return report || /^(mailer-daemon|postmaster)@/i.test(from?.address ?? '');
}

/** Which of our messages bounced and why, from the delivery-status part and the returned headers. */
function bounceFacts(mail: ParsedMail): { originalMessageId: string | null; failed: boolean; reason: string } {
  const parts = mail.attachments
    .filter((a) => /^(message\/(delivery-status|rfc822|global-headers)|text\/rfc822-headers)/i.test(a.contentType))
    .map((a) => a.content.toString('utf8', 0, Math.min(a.content.length, 64 * 1024)));
  const status = parts.find((p) => /^Action:/im.test(p)) ?? '';
  const original = parts.map((p) => /^Message-ID:\s*(<[^>\s]+>)/im.exec(p)?.[1]).find(Boolean);
  const action = /^Action:\s*(\S+)/im.exec(status)?.[1]?.toLowerCase();
  const diagnostic = /^Diagnostic-Code:\s*[^;]*;\s*(.+)$/im.exec(status)?.[1]?.trim();
  const code = /^Status:\s*(\S+)/im.exec(status)?.[1];
  const summary = (mail.text ?? '').trim().split('\n')[0]?.trim();
  return {
    originalMessageId: original ?? mail.inReplyTo ?? null,
    // "delayed", "relayed", "delivered" reports are not failures; a bounce without a report is.
    failed: action === undefined || action === 'failed',
    reason: `Bounced: ${diagnostic ?? (code ? `status ${code}` : summary || mail.subject || 'undeliverable')}`.slice(0, 500),
  };
}

function firstAddress(obj: AddressObject | undefined): EmailAddress | undefined {
  const all = (obj?.value ?? []).flatMap((a) => (a.group ? a.group : [a]));
  return all.find((a) => a.address);
}

function headerText(value: HeaderValue | undefined): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  if (value && typeof value === 'object' && 'value' in value && typeof value.value === 'string') return value.value;
  return '';
}

/** mailparser gives one id as a string and several as an array; a header may also hold several ids. */
function asList(value: string | string[] | undefined): string[] {
  const items = Array.isArray(value) ? value : value ? [value] : [];
  return items.flatMap((v) => v.match(/<[^<>\s]+>/g) ?? []);
}
