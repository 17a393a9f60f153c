/**
 * How much of one text the AI reads: routing, classification, retrieval and "test a question" see at most
 * the first 4,096 characters (Telegram's and WhatsApp's own cap, so their messages are read whole). An
 * e-mail or a pasted document can be megabytes; its question is at the start, and the cost of analysing
 * it must not grow with what a sender chooses to send. The stored and shown message stays whole.
 */
export const AI_TEXT_LIMIT = 4096;

/** The first `limit` characters of `text`, without splitting a surrogate pair at the cut. */
export function forAnalysis(text: string, limit = AI_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  const end = isHighSurrogate(text.charCodeAt(limit - 1)) ? limit - 1 : limit;
  return text.slice(0, end);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
