import type { AppContext } from '../../context.js';
import { AppError } from '../../platform/http/errors.js';
import type { Actor } from '../identity/permissions.js';
import { KnowledgeService } from '../knowledge/knowledge.service.js';
import { words } from './text/text.tokenise.js';

/** As many extra wordings as an FAQ entry holds (the shared schema's limit on `alternatives`). */
export const MAX_WORDINGS = 50;
const MAX_WORDING_CHARS = 500;

export interface AddedWording {
  /** false when the entry already had this wording (same words, any case or punctuation). */
  added: boolean;
  articleId: string;
  alternatives: string[];
}

const sameWords = (a: string, b: string) => words(a).join(' ') === words(b).join(' ');

/**
 * Adds an extra wording to an FAQ entry: a way customers ask its question, indexed as the question
 * (the entry's `alternatives`, searched like its title). The entry gets a new version (its edit history
 * names who added it) and every process's search index follows. A wording the entry already has is not
 * added twice. Needs `knowledge.manage`.
 * @throws AppError not_found (no such entry), validation_failed (a document, empty text, or the entry's
 *   MAX_WORDINGS wordings are all taken).
 */
export async function addFaqWording(ctx: AppContext, actor: Actor, articleId: string, text: string): Promise<AddedWording> {
  const wording = text.trim().replace(/\s+/g, ' ').slice(0, MAX_WORDING_CHARS);
  if (words(wording).length === 0)
    throw new AppError('validation_failed', 'The wording has no words', [{ path: '/text', message: 'is empty' }]);
  const knowledge = new KnowledgeService(ctx);
  const article = await knowledge.get(actor, articleId);
  if (article.kind !== 'faq') throw new AppError('validation_failed', 'Extra wordings belong to FAQ entries, not documents');
  if ([article.question ?? '', ...article.alternatives].some((w) => sameWords(w, wording))) {
    return { added: false, articleId, alternatives: article.alternatives };
  }
  if (article.alternatives.length >= MAX_WORDINGS) {
    throw new AppError('validation_failed', `An FAQ entry holds at most ${MAX_WORDINGS} wordings; remove one first`);
  }
  const updated = await knowledge.update(actor, articleId, { alternatives: [...article.alternatives, wording] });
  return { added: true, articleId, alternatives: updated.alternatives };
}
