import type { Attachment } from '@switchboard/shared';

/** Lines that introduce the quoted history of a reply, in the forms common mail clients write. */
const REPLY_HEADERS = [
  /^On .{4,300} wrote:$/i, // Gmail, Apple Mail, Thunderbird
  /^.{4,300}\s(написал|написала|написал\(а\)|пишет):$/i, // Yandex, Mail.ru, Russian Gmail
  /^-{2,}\s*(Original Message|Исходное сообщение|Forwarded message|Пересылаемое сообщение)\s*-{2,}$/i,
];
/** Outlook: a "From:" line followed shortly by "Sent:"/"Date:" (in English or Russian). */
const OUTLOOK_FROM = /^\*?(From|От):\*?\s/i;
const OUTLOOK_SENT = /^\*?(Sent|Date|Отправлено|Дата):\*?\s/i;

/**
 * The new part of a reply: cuts the quoted history where it is clearly marked (an "On … wrote:" line,
 * an "Original Message" separator, an Outlook header block, or trailing `>` lines). Inline answers
 * between quotes are kept; when in doubt, the whole text stays.
 */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    // Clients wrap a long "On … wrote:" line: try it joined with the next one too.
    const joined = `${line} ${lines[i + 1]?.trim() ?? ''}`.trim();
    const outlook = OUTLOOK_FROM.test(line) && lines.slice(i + 1, i + 5).some((l) => OUTLOOK_SENT.test(l.trim()));
    if (REPLY_HEADERS.some((re) => re.test(line) || re.test(joined)) || outlook) {
      cut = i;
      break;
    }
  }
  // A trailing block of quoted lines without a header.
  let end = cut;
  while (end > 0 && /^\s*(>.*)?$/.test(lines[end - 1]!)) end--;
  if (end < cut && lines.slice(end, cut).some((l) => l.trimStart().startsWith('>'))) cut = end;
  const kept = lines.slice(0, cut).join('\n').trim();
  return kept || text.trim();
}

const REPLY_PREFIX = /^\s*(re|ответ|aw|sv|antw)\s*(\[\d+\])?\s*:/i;

/** `Re: <subject>`, without stacking prefixes. */
export function replySubject(subject: string | undefined): string {
  const s = (subject ?? '').trim();
  if (!s) return 'Re:';
  return REPLY_PREFIX.test(s) ? s : `Re: ${s}`;
}

/** How many Message-IDs a References header keeps (RFC 5322 allows trimming the middle). */
export const MAX_REFERENCES = 20;

/** The chain to send with a reply: the thread root and the most recent ids, de-duplicated. */
export function capReferences(ids: readonly string[]): string[] {
  const unique = [...new Set(ids.filter(Boolean))];
  if (unique.length <= MAX_REFERENCES) return unique;
  return [unique[0]!, ...unique.slice(unique.length - (MAX_REFERENCES - 1))];
}

/** `a@shop.example` → `shop.example` (the right-hand side of our Message-IDs). */
export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase() || 'localhost';
}

export function attachmentKind(contentType: string | undefined): Attachment['kind'] {
  const type = (contentType ?? '').toLowerCase();
  if (type.startsWith('image/')) return 'photo';
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return 'document';
}

export function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
