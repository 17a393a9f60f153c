import type { Tx } from '../../platform/db/transaction.js';
import { assistantEnabled } from '../channels/channels.dto.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import type { Actor } from '../identity/permissions.js';
import type { ConversationRow } from '../conversations/conversations.repository.js';
import { AssistantRepository } from './assistant.repository.js';
import { renderTemplate } from './assistant.compose.js';
import { userDisplayName } from './assistant.people.js';
import { sendAutomaticMessage } from './assistant.turns.js';

/** The greeting when the person has no display name: no "My name is …" at all. */
const NAMELESS_GREETING = { ru: 'Здравствуйте! Я помогу вам с вашим вопросом.', en: 'Hello! I will help you with your question.' } as const;

/**
 * What the AI first line records when people act on a conversation, for hand-over analytics
 * (queued → assigned → first response → resolved), and the greeting in the person's name. Called by
 * the conversations service inside its transaction.
 */
export class TakeoverLedger {
  private readonly repo: AssistantRepository;

  constructor(private readonly ctx: DeliveryContext) {
    this.repo = new AssistantRepository(ctx.db);
  }

  /**
   * Someone takes the conversation or assigns it. Taking it oneself happens while looking at it: the customer
   * is greeted now. A colleague it is assigned to may not even have seen it: they greet when they open or
   * answer it (`opened`, `answering`).
   */
  async taken(tx: Tx, conv: ConversationRow, assigneeId: string, actor: Actor): Promise<void> {
    await this.assigned(tx, conv, assigneeId);
    if (assigneeId === actor.userId) await this.greetOnce(tx, conv, assigneeId);
  }

  /** A person has the conversation now (assigned, or answering it while the bot or the queue had it). */
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
    // "Someone has it now" is news to the customer: the next waiting notice may say so at once.
    await this.repo.setState(tx, conv.accountId, conv.id, { waitingNoticeAt: null });
  }

  /** The assignee opens the conversation for the first time since it was handed over: the customer is greeted. */
  async opened(tx: Tx, conv: ConversationRow, actor: Actor): Promise<void> {
    if (conv.assigneeId !== actor.userId || conv.status !== 'open') return;
    await this.greetOnce(tx, conv, actor.userId);
  }

  /** Before a person's first answer since the hand-over: the greeting goes first (if it has not gone yet). */
  async answering(tx: Tx, conv: ConversationRow, actor: Actor): Promise<void> {
    if (conv.status === 'bot' || (conv.status === 'queued' && !conv.assigneeId)) await this.assigned(tx, conv, actor.userId);
    if (!conv.assigneeId || conv.assigneeId === actor.userId) await this.greetOnce(tx, conv, actor.userId);
  }

  /** After a person's answer (see `answering` for what comes before it). */
  async replied(tx: Tx, conv: ConversationRow): Promise<void> {
    const handover = await this.repo.currentHandover(tx, conv.accountId, conv.id);
    if (handover && !handover.firstResponseAt) await this.repo.updateHandover(tx, handover.id, { firstResponseAt: new Date() });
    // Answered in the operator's own words: the pending suggestion is no longer current.
    await this.repo.supersedePending(tx, conv.accountId, conv.id);
  }

  async resolved(tx: Tx, conv: ConversationRow, actor: Actor): Promise<void> {
    const handover = await this.repo.currentHandover(tx, conv.accountId, conv.id);
    if (handover) await this.repo.updateHandover(tx, handover.id, { resolvedBy: actor.userId, resolvedAt: new Date() });
  }

  /**
   * The optional greeting in the person's display name, in the conversation's language: once per hand-over,
   * only where the bot talked to the customer before (a channel with the assistant on).
   */
  private async greetOnce(tx: Tx, conv: ConversationRow, operatorId: string): Promise<void> {
    const { settings } = await this.ctx.ai.settings.load(conv.accountId);
    if (!settings.greetingEnabled) return;
    const handover = await this.repo.currentHandover(tx, conv.accountId, conv.id);
    if (!handover || handover.firstResponseAt) return;
    if (await this.repo.greetedSince(tx, conv.accountId, conv.id, handover.queuedAt)) return;
    const channel = await this.ctx.channels.load(conv.accountId, conv.channelId);
    if (!channel || !assistantEnabled(channel.record.config)) return;
    const name = await userDisplayName(tx.db, operatorId);
    const language = await this.repo.customerLanguage(tx.db, conv.accountId, conv.id);
    const template = settings.greetingTemplate[language];
    const text = name
      ? renderTemplate(template, { operator: name })
      : template.includes('{operator}')
        ? NAMELESS_GREETING[language]
        : template;
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
