import type { CannedResponse } from '@switchboard/shared';

export interface CannedContext {
  contactName: string | null;
  agentName: string;
  conversationNumber: number | null;
}

/** Fills `{{contact.name}}`, `{{agent.name}}` and `{{conversation.number}}`; an unknown variable stays as written. */
export function renderCanned(text: string, ctx: CannedContext): string {
  return text.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (whole, name: string) => {
    if (name === 'contact.name') return ctx.contactName ?? '';
    if (name === 'agent.name') return ctx.agentName;
    if (name === 'conversation.number') return ctx.conversationNumber !== null ? String(ctx.conversationNumber) : '';
    return whole;
  });
}

/** The language a conversation is in, judged from its text (Cyrillic → Russian). */
export function conversationLanguage(sample: string | null | undefined): 'ru' | 'en' {
  return /[а-яё]/i.test(sample ?? '') ? 'ru' : 'en';
}

/** Matches for the picker: by shortcut (prefix first) or text; the conversation's language first, then any-language ones. */
export function searchCanned(items: CannedResponse[], query: string, language: 'ru' | 'en'): CannedResponse[] {
  const q = query.toLowerCase();
  const rank = (c: CannedResponse) =>
    (c.shortcut.toLowerCase().startsWith(q) ? 0 : c.shortcut.toLowerCase().includes(q) ? 1 : 2) * 3 +
    (c.language === language ? 0 : c.language === null ? 1 : 2);
  return items
    .filter((c) => !q || c.shortcut.toLowerCase().includes(q) || c.text.toLowerCase().includes(q))
    .sort((a, b) => rank(a) - rank(b) || a.shortcut.localeCompare(b.shortcut))
    .slice(0, 8);
}
