import type { LearningMetrics, WordingOffer } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { addFaqWording } from '../ai/ai.wordings.js';
import { analyse, words } from '../ai/text/text.tokenise.js';
import { forAnalysis } from '../ai/text/text.limits.js';
import { ConversationsRepository } from '../conversations/conversations.repository.js';
import { requirePermission, type Actor, type Permission } from '../identity/permissions.js';
import { LearningRepository, type WordingOfferRow } from './assistant.learning.repository.js';
import { asksForHuman } from './assistant.triggers.js';

/** How much of an FAQ answer an operator's reply must repeat to count as "answered with that entry". */
const GIST_COVERAGE = 0.6;
const GIST_MIN_SHARED = 3;
/** A question to learn from has a few words: "ок", "спасибо" and "позовите оператора" teach nothing. */
const MIN_QUESTION_WORDS = 2;

/**
 * Share of the FAQ answer's content words that the reply repeats (stems, stop words left out). A reply
 * that rephrases the answer around its facts ("300 рублей, а от 5000 — бесплатно") scores high; a reply
 * about something else scores near 0.
 */
export function gistCoverage(reply: string, answer: string): number {
  const wanted = new Set(analyse(answer));
  if (wanted.size === 0) return 0;
  const said = new Set(analyse(reply));
  let shared = 0;
  for (const stem of wanted) if (said.has(stem)) shared++;
  if (shared < Math.min(GIST_MIN_SHARED, wanted.size)) return 0;
  return shared / wanted.size;
}

export const toWordingOffer = (r: WordingOfferRow): WordingOffer => ({
  id: r.id,
  conversationId: r.conversationId,
  question: r.question,
  articleId: r.articleId,
  articleTitle: r.articleTitle,
  via: r.via,
  similarity: r.similarity,
  status: r.status,
  confidenceBefore: r.confidenceBefore,
  confidenceAfter: r.confidenceAfter,
  createdAt: r.createdAt.toISOString(),
});

export interface OperatorAnswer {
  conversationId: string;
  /** The operator's message. */
  messageId: string;
  text: string;
  /** The FAQ entry of a suggestion the operator sent, and the customer message it answered. */
  picked?: { articleId: string; questionMessageId: string | null };
}

/**
 * Learning from operators: when a person answers a handed-over question with (the gist of) an FAQ entry,
 * or sends a suggestion drawn from one, the customer's wording is offered as an extra wording of that
 * entry — or added at once when the account lets the assistant learn by itself. Either way the next
 * customer who asks like that is answered by the bot.
 */
export class LearningService {
  private readonly repo: LearningRepository;

  constructor(private readonly ctx: AppContext) {
    this.repo = new LearningRepository(ctx.db);
  }

  /** Called after an operator's reply is committed; never fails the reply (errors are logged). */
  considerInBackground(actor: Actor, answer: OperatorAnswer): void {
    this.consider(actor, answer).catch((err: unknown) =>
      this.ctx.log.warn({ err, conversationId: answer.conversationId }, 'operator answer not considered for learning'),
    );
  }

  /** Returns the offer made (or learned), or null when there is nothing to learn. */
  async consider(actor: Actor, answer: OperatorAnswer): Promise<WordingOffer | null> {
    const { settings } = await this.ctx.ai.settings.load(actor.accountId);
    if (settings.learnFromOperators === 'off') return null;
    if (!(await this.repo.wasHandedOver(actor.accountId, answer.conversationId))) return null;
    const question = await this.questionAnswered(actor.accountId, answer);
    if (!question) return null;
    const target = answer.picked
      ? { articleId: answer.picked.articleId, similarity: 1 }
      : await this.entryRepeated(actor.accountId, answer.text);
    if (!target) return null;

    const before = await this.confidenceFor(actor.accountId, question.text, target.articleId);
    // Already answered by the bot with this entry, and confidently: there is nothing to learn. (A borderline
    // answer, within the low-confidence margin, is worth a wording: two of those in a row hand over.)
    if (before >= settings.confidenceThreshold + settings.lowConfidenceMargin) return null;
    const id = await this.repo.insertOffer({
      accountId: actor.accountId,
      conversationId: answer.conversationId,
      questionMessageId: question.id,
      question: question.text,
      articleId: target.articleId,
      via: answer.picked ? 'suggestion' : 'reply',
      similarity: target.similarity,
      confidenceBefore: before,
      operatorId: actor.userId,
    });
    if (!id) return null;
    if (settings.learnFromOperators === 'auto') {
      await this.repo.updateOffer(this.ctx.db, id, { status: 'auto_added', decidedAt: new Date() });
      await this.learn(teaching(actor), id).catch(async (err: unknown) => {
        await this.repo.updateOffer(this.ctx.db, id, { status: 'pending', decidedAt: null });
        throw err;
      });
    }
    const row = await this.repo.offer(this.ctx.db, actor.accountId, id);
    const offer = toWordingOffer(row!);
    await this.ctx.bus.publish(this.ctx.pool, actor.accountId, 'wording_offer.created', { conversationId: answer.conversationId, offer });
    return offer;
  }

  async pending(actor: Actor, conversationId: string): Promise<{ items: WordingOffer[] }> {
    requirePermission(actor, 'conversation.read');
    if (!(await new ConversationsRepository(this.ctx.db).get(this.ctx.db, actor.accountId, conversationId))) throw notFound('Conversation');
    const rows = await this.repo.pendingOffers(actor.accountId, conversationId);
    return { items: rows.map(toWordingOffer) };
  }

  /**
   * "Add this wording to FAQ X" (one click). Whoever may answer the conversation may add the customer's
   * own words to the entry they answered with: the text is the customer's message, not free input.
   */
  async accept(actor: Actor, conversationId: string, id: string): Promise<WordingOffer> {
    requirePermission(actor, 'conversation.reply');
    await this.claim(actor, conversationId, id);
    try {
      await this.learn(teaching(actor), id);
    } catch (err) {
      await this.repo.updateOffer(this.ctx.db, id, { status: 'pending', decidedBy: null, decidedAt: null });
      throw err;
    }
    return toWordingOffer((await this.repo.offer(this.ctx.db, actor.accountId, id))!);
  }

  async dismiss(actor: Actor, conversationId: string, id: string): Promise<WordingOffer> {
    requirePermission(actor, 'conversation.reply');
    await this.claim(actor, conversationId, id, 'dismissed');
    return toWordingOffer((await this.repo.offer(this.ctx.db, actor.accountId, id))!);
  }

  async overview(actor: Actor, days: number): Promise<{ metrics: LearningMetrics; recent: WordingOffer[] }> {
    requirePermission(actor, 'ai.read');
    const { settings } = await this.ctx.ai.settings.load(actor.accountId);
    const [metrics, recent] = await Promise.all([
      this.repo.metrics(actor.accountId, days, settings.confidenceThreshold),
      this.repo.recentOffers(actor.accountId),
    ]);
    return { metrics, recent: recent.map(toWordingOffer) };
  }

  /** A pending offer of this conversation, taken for one decision (double clicks, two operators). */
  private async claim(actor: Actor, conversationId: string, id: string, status: 'added' | 'dismissed' = 'added') {
    await transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.offer(tx.db, actor.accountId, id, true);
      if (!row || row.conversationId !== conversationId) throw notFound('Wording offer');
      if (row.status !== 'pending') throw new AppError('conflict', `This wording offer was already ${row.status.replace('_', ' ')}`);
      await this.repo.updateOffer(tx.db, id, { status, decidedBy: actor.userId, decidedAt: new Date() });
    });
  }

  /** Adds the offer's question to its entry (the offer is already decided), then measures how sure the assistant is now. */
  private async learn(actor: Actor, id: string): Promise<void> {
    const offer = await this.repo.offer(this.ctx.db, actor.accountId, id);
    if (!offer) throw notFound('Wording offer');
    await addFaqWording(this.ctx, actor, offer.articleId, offer.question);
    const after = await this.confidenceFor(actor.accountId, offer.question, offer.articleId);
    await this.repo.updateOffer(this.ctx.db, id, { confidenceAfter: after });
  }

  /** The customer message the operator answered: the latest one before the reply that asks something. */
  private async questionAnswered(accountId: string, answer: OperatorAnswer) {
    if (answer.picked?.questionMessageId) {
      const m = await this.repo.message(accountId, answer.picked.questionMessageId);
      return m?.text && asksSomething(m.text) ? { id: m.id, text: forAnalysis(m.text) } : null;
    }
    const reply = await this.repo.message(accountId, answer.messageId);
    if (!reply) return null;
    const recent = await this.repo.customerMessagesBefore(accountId, answer.conversationId, reply.seq);
    const found = recent.find((m) => m.text && asksSomething(m.text));
    return found ? { id: found.id, text: forAnalysis(found.text!) } : null;
  }

  /** The FAQ entry whose answer the reply repeats best, if it repeats one well enough. */
  private async entryRepeated(accountId: string, reply: string) {
    let best: { articleId: string; similarity: number } | null = null;
    for (const faq of await this.repo.faqAnswers(accountId)) {
      const similarity = gistCoverage(reply, faq.answer ?? '');
      if (similarity >= GIST_COVERAGE && similarity > (best?.similarity ?? 0)) best = { articleId: faq.id, similarity };
    }
    return best;
  }

  /** How sure the assistant is of answering `question` with this entry (0 when another one ranks first). */
  private async confidenceFor(accountId: string, question: string, articleId: string): Promise<number> {
    const found = await this.ctx.ai.retrieve(accountId, question, 3);
    return found.hits[0]?.chunk.articleId === articleId ? found.confidence : 0;
  }
}

function asksSomething(text: string): boolean {
  const count = words(text).length;
  if (count < MIN_QUESTION_WORDS) return false;
  // "Позовите оператора" asks for a person, not about the entry.
  return !(count <= 4 && asksForHuman(text, []));
}

/**
 * The operator teaches the FAQ with the customer's own words (what the account's learning setting allows);
 * the entry's edit history names them. Only this narrow addition uses knowledge.manage on their behalf.
 */
function teaching(actor: Actor): Actor {
  const permissions = new Set<Permission>(actor.permissions);
  permissions.add('knowledge.read');
  permissions.add('knowledge.manage');
  return { ...actor, permissions };
}
