import type { Suggestion } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { LoadedSettings } from '../ai/ai.settings.js';
import type { Retrieval } from '../ai/ai.search.js';
import { forAnalysis } from '../ai/text/text.limits.js';
import type { MessageRow } from '../conversations/conversations.repository.js';
import type { ConversationsService } from '../conversations/conversations.service.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { extractiveAnswer, toSource } from './assistant.compose.js';
import { answerPrompt, groundedAnswer } from './assistant.prompt.js';
import { AssistantRepository, type SuggestionRow } from './assistant.repository.js';
import type { TurnTarget } from './assistant.turns.js';

/**
 * A suggestion is offered only as sure as the bot must be to answer by itself: below the account's
 * confidence threshold it would more likely mislead than help (and never below this floor).
 */
const SUGGESTION_FLOOR = 0.2;
export const suggestionFloor = (threshold: number) => Math.max(SUGGESTION_FLOOR, threshold);

export function toSuggestion(r: SuggestionRow): Suggestion {
  return {
    id: r.id,
    conversationId: r.conversationId,
    text: r.text,
    confidence: r.confidence,
    sources: r.sources as Suggestion['sources'],
    status: r.status,
    createdAt: r.createdAt.toISOString(),
  };
}

/**
 * Proposes a reply to the operators of a conversation a person handles; with an LLM, its draft streams live.
 * Reads the first AI_TEXT_LIMIT characters of the message.
 */
export async function proposeSuggestion(
  ctx: AppContext,
  to: TurnTarget,
  message: MessageRow,
  loaded: LoadedSettings,
  retrieval: Retrieval | null,
): Promise<void> {
  const question = forAnalysis(message.text ?? '');
  const found = retrieval ?? (await ctx.ai.retrieve(to.accountId, question, 5));
  const top = found.hits[0];
  if (!top || found.confidence < suggestionFloor(loaded.settings.confidenceThreshold)) return;
  const repo = new AssistantRepository(ctx.db);
  const language = await repo.customerLanguage(ctx.db, to.accountId, to.conversationId);
  let text = extractiveAnswer(top, question);
  let sources = [toSource(top)];
  const llm = loaded.settings.answerMode === 'llm' ? await ctx.ai.llm(to.accountId, loaded) : null;
  if (llm?.endpoint.chatModel) {
    const draftId = crypto.randomUUID();
    const output = await llm
      .chat(answerPrompt(question, found.hits, language), {
        onDelta: (delta) =>
          ctx.bus.publishTransient(to.accountId, 'suggestion.draft', { conversationId: to.conversationId, draftId, delta }),
      })
      .catch(() => null);
    const grounded = output ? groundedAnswer(output, found.hits.length) : null;
    if (grounded) {
      text = grounded.text;
      sources = grounded.cited.map((n) => toSource(found.hits[n - 1]!));
    }
  }
  await transaction(ctx.pool, async (tx) => {
    const row = await repo.insertSuggestion(tx, { ...to, forMessageId: message.id, text, confidence: found.confidence, sources });
    await ctx.bus.publish(tx, to.accountId, 'suggestion.created', { conversationId: to.conversationId, suggestion: toSuggestion(row) });
  });
}

/** What operators do with suggestions: see the pending one, send it (as is or edited), or reject it. */
export class SuggestionsService {
  private readonly repo: AssistantRepository;

  constructor(
    private readonly ctx: AppContext,
    private readonly conversations: ConversationsService,
  ) {
    this.repo = new AssistantRepository(ctx.db);
  }

  async pending(actor: Actor, conversationId: string): Promise<Suggestion | null> {
    await this.conversations.get(actor, conversationId);
    const row = await this.repo.pendingSuggestion(actor.accountId, conversationId);
    // The threshold may have been raised since it was proposed.
    const { settings } = await this.ctx.ai.settings.load(actor.accountId);
    return row && row.confidence >= suggestionFloor(settings.confidenceThreshold) ? toSuggestion(row) : null;
  }

  async send(actor: Actor, conversationId: string, id: string, editedText?: string) {
    requirePermission(actor, 'conversation.reply');
    const suggestion = await this.claim(actor, conversationId, id, 'sent');
    const text = editedText ?? suggestion.text;
    try {
      const message = await this.conversations.reply(actor, conversationId, { text, private: false }, { fromSuggestion: true });
      await transaction(this.ctx.pool, (tx) =>
        this.repo.decideSuggestion(tx, id, {
          status: text === suggestion.text ? 'sent' : 'edited',
          decidedBy: actor.userId,
          messageId: message.id,
        }),
      );
      // Picked from an FAQ entry: the customer's question may become one of its wordings.
      const [source] = suggestion.sources as Suggestion['sources'];
      this.conversations.learning.considerInBackground(actor, {
        conversationId,
        messageId: message.id,
        text,
        ...(source?.kind === 'faq' ? { picked: { articleId: source.articleId, questionMessageId: suggestion.forMessageId } } : {}),
      });
      return message;
    } catch (err) {
      // Nothing was sent: the suggestion stays available.
      await transaction(this.ctx.pool, (tx) => this.repo.decideSuggestion(tx, id, { status: 'pending', decidedBy: null }));
      throw err;
    }
  }

  async reject(actor: Actor, conversationId: string, id: string): Promise<void> {
    requirePermission(actor, 'conversation.reply');
    await this.claim(actor, conversationId, id, 'rejected');
  }

  /** Locks a pending suggestion; a decided one cannot be decided again (double clicks, two operators). */
  private async claim(actor: Actor, conversationId: string, id: string, status: 'sent' | 'rejected'): Promise<SuggestionRow> {
    return transaction(this.ctx.pool, async (tx) => {
      const row = await this.repo.lockSuggestion(tx, actor.accountId, conversationId, id);
      if (!row) throw notFound('Suggestion');
      if (row.status !== 'pending') throw new AppError('conflict', `This suggestion was already ${row.status}`);
      await this.repo.decideSuggestion(tx, id, { status, decidedBy: actor.userId });
      return row;
    });
  }
}
