import { eq } from 'drizzle-orm';
import type { Tx } from '../../platform/db/transaction.js';
import { users } from '../../platform/db/schema.js';
import { assistantEnabled } from '../channels/channels.dto.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import type { Actor } from '../identity/permissions.js';
import { ConversationsRepository, type ConversationRow } from '../conversations/conversations.repository.js';
import { AssistantRepository } from './assistant.repository.js';
import { renderTemplate } from './assistant.compose.js';
import { replyLanguage } from './assistant.decide.js';
import { sendAutomaticMessage } from './assistant.turns.js';

/**
 * What the AI first line records when people act on a conversation, for hand-over analytics
 * (queued → assigned → first response → resolved) and the greeting on take-over. Called by the
 * conversations service inside its transaction.
 */
export class TakeoverLedger {
  private readonly repo: AssistantRepository;

  constructor(private readonly ctx: DeliveryContext) {
    this.repo = new AssistantRepository(ctx.db);
  }

  /** A person takes the conversation (assigns it, or answers it while the bot or the queue had it). */
  async assigned(tx: Tx, conv: ConversationRow, assigneeId: string): Promise<void> {
    if (conv.status !== 'bot' && conv.status !== 'queued') return;
    let handover = await this.repo.currentHandover(tx, conv.accountId, conv.id);
    if (conv.status === 'bot' || !handover) {
      await this.repo.openHandover(tx, {
        accountId: conv.accountId,
        conversationId: conv.id,
        reason: 'operator_takeover',
        confidence: null,
      });
      handover = await this.repo.currentHandover(tx, conv.accountId, conv.id);
    }
    if (handover && !handover.assignedTo)
      await this.repo.updateHandover(tx, handover.id, { assignedTo: assigneeId, assignedAt: new Date() });
    await this.greet(tx, conv, assigneeId);
  }

  async replied(tx: Tx, conv: ConversationRow, actor: Actor): Promise<void> {
    if (conv.status === 'bot' || (conv.status === 'queued' && !conv.assigneeId)) await this.assigned(tx, conv, actor.userId);
    const handover = await this.repo.currentHandover(tx, conv.accountId, conv.id);
    if (handover && !handover.firstResponseAt) await this.repo.updateHandover(tx, handover.id, { firstResponseAt: new Date() });
    // Answered in the operator's own words: the pending suggestion is no longer current.
    await this.repo.supersedePending(tx, conv.accountId, conv.id);
  }

  async resolved(tx: Tx, conv: ConversationRow, actor: Actor): Promise<void> {
    const handover = await this.repo.currentHandover(tx, conv.accountId, conv.id);
    if (handover) await this.repo.updateHandover(tx, handover.id, { resolvedBy: actor.userId, resolvedAt: new Date() });
  }

  /** The optional greeting with the operator's name, in the customer's language. */
  private async greet(tx: Tx, conv: ConversationRow, operatorId: string): Promise<void> {
    const { settings } = await this.ctx.ai.settings.load(conv.accountId);
    if (!settings.greetingEnabled) return;
    const channel = await this.ctx.channels.load(conv.accountId, conv.channelId);
    if (!channel || !assistantEnabled(channel.record.config)) return;
    const [user] = await tx.db.select({ name: users.name }).from(users).where(eq(users.id, operatorId));
    const language = replyLanguage(await new ConversationsRepository(this.ctx.db).customerText(tx.db, conv.accountId, conv.id, 3));
    const text = renderTemplate(settings.greetingTemplate[language], { operator: user?.name ?? '' });
    await sendAutomaticMessage(
      this.ctx,
      tx,
      { accountId: conv.accountId, conversationId: conv.id, channelId: conv.channelId },
      text,
      { confidence: null, mode: 'local', kind: 'greeting', sources: [] },
      operatorId,
    );
  }
}
