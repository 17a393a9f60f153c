/**
 * Phones, e-mails and the search text of a contact, in the one form they are stored and matched in.
 * Pure functions: used by inbound ingestion, the contacts service, the CSV import and search.
 */

/** Only the digits of a phone as typed, with a Russian trunk prefix (8…) turned into the country code (7…). */
export function phoneDigits(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8') && !raw.trim().startsWith('+')) return `7${digits.slice(1)}`;
  if (digits.length === 10 && digits.startsWith('9') && !raw.trim().startsWith('+')) return `7${digits}`;
  return digits;
}

/**
 * E.164 (`+79161234567`) when the number can be read as one: 8 916 123-45-67, +7 (916) 123 45 67,
 * 9161234567 (a Russian mobile without the country code), +44 20 7946 0958. Null when it is not a phone.
 */
export function normalisePhone(raw: string): string | null {
  if (!/^[\d\s()+\-.]+$/.test(raw.trim())) return null;
  const digits = phoneDigits(raw);
  if (digits.length < 10 || digits.length > 15) return null;
  return `+${digits}`;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A lower-cased address, or null when it is not one. */
export function normaliseEmail(raw: string): string | null {
  const e = raw.trim().toLowerCase();
  return EMAIL.test(e) ? e : null;
}

/** What the contact search matches by trigram: lower-cased name, phone digits (and E.164) and e-mails. */
export function contactSearchText(c: { name: string | null; phones: string[]; emails: string[] }): string {
  return [c.name ?? '', ...c.phones, ...c.emails].join(' ').toLowerCase().trim();
}

/**
 * The phone and e-mail a channel handle tells about its owner, for a contact seen for the first time:
 * WhatsApp handles show the number (`+7900…`), e-mail handles are addresses, the widget may carry one.
 */
export function inboundContactFacts(contact: { externalId: string; username: string | null }): { phones: string[]; emails: string[] } {
  const phones: string[] = [];
  const emails: string[] = [];
  for (const v of [contact.username, contact.externalId]) {
    if (!v) continue;
    const email = normaliseEmail(v);
    if (email && !emails.includes(email)) emails.push(email);
    else if (v.startsWith('+')) {
      const phone = normalisePhone(v);
      if (phone && !phones.includes(phone)) phones.push(phone);
    }
  }
  return { phones, emails };
}
