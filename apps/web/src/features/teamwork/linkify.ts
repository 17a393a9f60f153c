/** A piece of message text: plain, a safe link, or an @mention of a colleague. */
export type TextPart = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string } | { kind: 'mention'; text: string };

// http(s) URLs, www. addresses and e-mail addresses; nothing else becomes a link (no javascript:, data:, …).
const LINK = /\b(?:https?:\/\/[^\s<>"']+|www\.[^\s<>"']+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)/giu;
const TRAILING = /[.,;:!?)\]}»"']+$/u;

/** Splits text into plain parts and links (and, given the names, @mentions). Only http, https and mailto links are made. */
export function linkify(text: string, mentionNames: string[] = []): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(LINK)) {
    let raw = m[0];
    const trail = TRAILING.exec(raw)?.[0] ?? '';
    raw = raw.slice(0, raw.length - trail.length);
    if (!raw) continue;
    const start = m.index;
    if (start > last) parts.push(...mentions(text.slice(last, start), mentionNames));
    const href =
      raw.includes('@') && !/^https?:/i.test(raw) && !raw.startsWith('www.')
        ? `mailto:${raw}`
        : /^www\./i.test(raw)
          ? `https://${raw}`
          : raw;
    parts.push({ kind: 'link', text: raw, href });
    last = start + raw.length;
  }
  if (last < text.length) parts.push(...mentions(text.slice(last), mentionNames));
  return parts;
}

function mentions(text: string, names: string[]): TextPart[] {
  const usable = names.filter(Boolean).sort((a, b) => b.length - a.length);
  if (usable.length === 0) return [{ kind: 'text', text }];
  const escaped = usable.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`@(?:${escaped.join('|')})`, 'gu');
  const out: TextPart[] = [];
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push({ kind: 'text', text: text.slice(last, m.index) });
    out.push({ kind: 'mention', text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ kind: 'text', text: text.slice(last) });
  return out;
}
