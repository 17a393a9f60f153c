import type { AppContext } from '../../context.js';
import type { AiSettings } from '@switchboard/shared';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import { defineJob } from '../../platform/queue/queue.js';
import { assistantEnabled } from '../channels/channels.dto.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import { ConversationsRepository } from '../conversations/conversations.repository.js';
import { classifyConversation } from './assistant.classify.js';
import { renderTemplate, sourceLine } from './assistant.compose.js';
import { decide, type Decision } from './assistant.decide.js';
import { userDisplayName } from './assistant.people.js';
import { AssistantRepository, type ConversationState } from './assistant.repository.js';
import { proposeSuggestion } from './assistant.suggestions.js';
import { ANSWER_PROMPT_VERSION } from './assistant.prompt.js';
import { handOver, publishConversation, sendAutomaticMessage, type TurnTarget } from './assistant.turns.js';
import { withinLimit } from '../accounts/accounts.limits.js';
import { accountIsActive } from '../accounts/accounts.status.js';

/**
 * `message.inbound`: routes one stored customer message. Classifies the conversation; while the bot
 * owns it (status `bot` on a channel with the assistant on) answers or hands over; while it waits for a
 * person, tells the customer "a manager is already on it" at most once per interval; and proposes a
 * reply to the operator. Slow work (retrieval, LLM) runs before the conversation row is locked; the
 * decision is then re-checked under the lock, so an operator who took over meanwhile wins. Analysis runs
 * in the analysis thread under a time limit: a message it cannot analyse in time is handed to a person
 * and the job completes (a retry would only be stopped again).
 */
export const messageInboundJob = defineJob<'message.inbound', DeliveryContext>({
  name: 'message.inbound',
  concurrency: 4,
  options: { retryLimit: 3, retryDelay: 2, retryBackoff: true, expireInSeconds: 120 },
  async handler({ accountId, messageId }, _meta, ctx) {
    const message = await new ConversationsRepository(ctx.db).getMessage(ctx.db, accountId, messageId);
    if (!message || message.direction !== 'in' || !message.text) {
      ctx.log.debug({ messageId }, 'message.inbound skipped: no customer text to route');
      return;
    }
    const repo = new AssistantRepository(ctx.db);
    const channel = await ctx.channels.load(accountId, message.channelId);
    const loaded = await ctx.ai.settings.load(accountId);
    const category = await classifyConversation(ctx, accountId, message.conversationId, loaded.settings);
    const before = await repo.conversationState(null, accountId, message.conversationId);
    if (!before || !channel) return;
    // A plan out of AI answers this month (or a suspended account) hands to people instead of answering.
    const botOn =
      assistantEnabled(channel.record.config) &&
      (await accountIsActive(ctx.db, accountId)) &&
      (await withinLimit(ctx.db, accountId, 'aiAnswersPerMonth'));
    const target: TurnTarget = { accountId, conversationId: before.id, channelId: before.channelId };

    let decision: Decision | null = null;
    if (botOn && before.status === 'bot') {
      const alwaysHuman = category ? ((await ctx.ai.repo.category(accountId, category))?.alwaysHuman ?? false) : false;
      decision = await decide(ctx.ai, {
        accountId,
        text: message.text,
        settings: loaded.settings,
        llm: await ctx.ai.llm(accountId, loaded),
        alwaysHuman,
        earlierText: await repo.earlierCustomerText(ctx.db, accountId, before.id, message.seq),
      });
    }

    const outcome = await transaction(ctx.pool, async (tx) => {
      const state = await repo.conversationState(tx, accountId, before.id);
      if (!state) return 'gone';
      let result: string;
      // Nothing changes for a conversation a person handles (only a suggestion may follow).
      if (decision && state.status === 'bot') {
        const showSource = loaded.settings.sourceLineChannels.includes(channel.record.type);
        result = await applyDecision(ctx, tx, target, state, decision, loaded.settings, showSource);
      } else if (botOn && state.status !== 'bot' && state.status !== 'resolved') result = await waitingNotice(ctx, tx, target, state);
      else if (!botOn && state.status === 'bot') {
        // The assistant was switched off while it had this conversation: people take it from here.
        await repo.setState(tx, accountId, state.id, { status: 'queued', botLowStreak: 0 });
        await ctx.hooks?.humanQueue?.(tx, accountId);
        result = 'queued';
      } else return 'human';
      if (result === 'human') return result;
      await publishConversation(ctx, tx, accountId, state.id);
      return result;
    });
    const unanalysed = decision?.reason === 'analysis_failed';
    if (unanalysed) ctx.log.warn({ messageId, outcome }, 'message.inbound: the message could not be analysed in time; handed to a person');
    else ctx.log.debug({ messageId, outcome, reason: decision?.reason }, 'message.inbound routed');
    if (outcome !== 'answered' && outcome !== 'gone' && !unanalysed && loaded.settings.suggestionsEnabled) {
      // After the commit above: a failure here must not retry the job (and repeat the customer's turn).
      await proposeSuggestion(ctx, target, message, loaded, decision?.retrieval ?? null).catch((err: unknown) =>
        ctx.log.warn({ err, messageId }, 'no suggestion proposed'),
      );
    }
  },
});

async function applyDecision(
  ctx: AppContext,
  tx: Tx,
  to: TurnTarget,
  state: ConversationState,
  d: Decision,
  settings: AiSettings,
  showSource: boolean,
) {
  const repo = new AssistantRepository(ctx.db);
  if (d.action === 'answer' && d.lowTurn && state.botLowStreak >= 1) {
    await handOver(ctx, tx, to, {
      reason: 'repeated_low_confidence',
      confidence: d.confidence,
      notice: settings.handoverMessage[d.language],
      mode: d.mode,
    });
    return 'handed_over';
  }
  if (d.action === 'handover') {
    await handOver(ctx, tx, to, { reason: d.reason!, confidence: d.confidence, notice: d.text, mode: d.mode });
    return 'handed_over';
  }
  const source = showSource ? sourceLine(d.sources, d.language) : null;
  await sendAutomaticMessage(ctx, tx, to, source ? `${d.text}\n\n${source}` : d.text, {
    confidence: d.confidence,
    mode: d.mode,
    kind: 'answer',
    sources: d.sources,
    ...(d.mode === 'llm' ? { promptVersion: ANSWER_PROMPT_VERSION } : {}),
  });
  await repo.setState(tx, to.accountId, to.conversationId, { botLowStreak: d.lowTurn ? state.botLowStreak + 1 : 0 });
  return 'answered';
}

/**
 * While the customer waits for a person, at most once per interval, tells them what is true: queued and
 * nobody has it yet ("passed to a manager"), or taken by someone who has neither greeted nor answered yet
 * (by their display name). Nothing once the person has greeted or answered.
 */
async function waitingNotice(ctx: AppContext, tx: Tx, to: TurnTarget, state: ConversationState) {
  const repo = new AssistantRepository(ctx.db);
  const { settings } = await ctx.ai.settings.load(to.accountId);
  let text: (language: 'ru' | 'en') => string;
  if (!state.assigneeId) {
    if (state.status !== 'queued') return 'human';
    text = (language) => settings.waitingMessage[language];
  } else {
    const handover = await repo.currentHandover(tx, to.accountId, to.conversationId);
    // Answered, or greeted in the person's name: the customer already knows who has it.
    if (!handover || handover.firstResponseAt) return 'human';
    if (await repo.greetedSince(tx, to.accountId, to.conversationId, handover.queuedAt)) return 'human';
    const name = await userDisplayName(tx.db, state.assigneeId);
    text = (language) => (name ? renderTemplate(settings.takenMessage[language], { operator: name }) : NAMELESS_TAKEN[language]);
  }
  const last = state.waitingNoticeAt?.getTime() ?? 0;
  if (Date.now() - last < settings.waitingIntervalMinutes * 60_000) return 'waiting_quiet';
  const language = await repo.customerLanguage(tx.db, to.accountId, to.conversationId);
  await sendAutomaticMessage(ctx, tx, to, text(language), { confidence: null, mode: 'local', kind: 'waiting', sources: [] });
  await repo.setState(tx, to.accountId, to.conversationId, { waitingNoticeAt: new Date() });
  return state.assigneeId ? 'taken_notice' : 'waiting_notice';
}

/** The "taken" notice when the person has no display name. */
const NAMELESS_TAKEN = {
  ru: 'Менеджер уже занимается вашим вопросом и скоро ответит.',
  en: 'A manager is already on it and will answer shortly.',
} as const;
