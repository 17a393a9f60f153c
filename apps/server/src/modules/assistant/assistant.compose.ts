import type { PassageSource } from '@switchboard/shared';
import type { SearchHit } from '../ai/ai.search.js';
import { analyse } from '../ai/text/text.tokenise.js';

const MAX_REPLY_CHARS = 600;
const SOURCE_LABEL = { ru: 'Источник', en: 'Source' } as const;

export function toSource(hit: SearchHit): PassageSource {
  return {
    articleId: hit.chunk.articleId,
    chunkId: hit.chunk.id,
    kind: hit.chunk.kind,
    title: hit.chunk.articleTitle,
    headingPath: hit.chunk.headingPath,
  };
}

/**
 * The local (no-LLM) reply: an FAQ's own answer, or the sentences of a document passage that best
 * match the question, in their original order, trimmed to a readable length.
 */
export function extractiveAnswer(hit: SearchHit, question: string): string {
  if (hit.chunk.kind === 'faq') return hit.chunk.text;
  return bestSentences(hit.chunk.text, question);
}

/** The short line under a bot answer that tells the customer where it came from ("Source: Delivery › Moscow"). */
export function sourceLine(sources: PassageSource[], language: 'ru' | 'en'): string | null {
  const names = [...new Set(sources.map((s) => [s.title, ...s.headingPath].join(' › ')))];
  if (names.length === 0) return null;
  return `${SOURCE_LABEL[language]}: ${names.slice(0, 2).join('; ')}`;
}

function bestSentences(text: string, question: string): string {
  const sentences = text
    .match(/[^.!?…]+(?:[.!?…]+|$)/gu)
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [text];
  if (text.length <= MAX_REPLY_CHARS) return text.trim();
  const wanted = new Set(analyse(question));
  const score = sentences.map((s) => analyse(s).filter((t) => wanted.has(t)).length);
  const best = score.indexOf(Math.max(...score));
  // Grow a window around the best sentence while it fits.
  let from = best;
  let to = best;
  let length = sentences[best]!.length;
  while (true) {
    const next = to + 1 < sentences.length ? sentences[to + 1]!.length : Infinity;
    const prev = from > 0 ? sentences[from - 1]!.length : Infinity;
    if (Math.min(next, prev) + length + 1 > MAX_REPLY_CHARS) break;
    if (next <= prev) {
      length += next + 1;
      to++;
    } else {
      length += prev + 1;
      from--;
    }
  }
  const excerpt = sentences.slice(from, to + 1).join(' ');
  return excerpt.length > MAX_REPLY_CHARS ? `${excerpt.slice(0, MAX_REPLY_CHARS - 1).trimEnd()}…` : excerpt;
}

/** Fills `{operator}` and similar placeholders of a configured template. */
export function renderTemplate(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (all, name: string) => vars[name] ?? all);
}
