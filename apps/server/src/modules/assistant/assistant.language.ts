import { detectLanguage } from '../ai/text/text.language.js';

export type ReplyLanguage = 'ru' | 'en';

const WORD = /\p{L}{2,}/gu;
const CYRILLIC_WORD = /^\p{Script=Cyrillic}+$/u;
const LATIN_WORD = /^\p{Script=Latin}+$/u;
/** A message switches the conversation's language only when it is written in it, not when it quotes a code or a name. */
const SWITCH_WORDS = 3;

/** The customer's language for replies from one message alone: Russian unless the message is clearly English. */
export function replyLanguage(text: string): ReplyLanguage {
  return detectLanguage(text) === 'en' ? 'en' : 'ru';
}

/**
 * The language to reply in: the conversation's language (what the customer wrote before), unless the new
 * message clearly switches — at least three words in the other language and none in the conversation's.
 * "Order #A-1234, ok?" inside a Russian conversation is still Russian; "Do you deliver on Sundays?" is English.
 */
export function conversationLanguage(current: string, earlier: string): ReplyLanguage {
  const before = detectLanguage(earlier);
  if (before === 'other') return replyLanguage(current);
  const words = current.match(WORD) ?? [];
  const cyrillic = words.filter((w) => CYRILLIC_WORD.test(w)).length;
  const latin = words.filter((w) => LATIN_WORD.test(w)).length;
  if (before === 'ru') return latin >= SWITCH_WORDS && cyrillic === 0 ? 'en' : 'ru';
  return cyrillic >= SWITCH_WORDS && latin === 0 ? 'ru' : 'en';
}
