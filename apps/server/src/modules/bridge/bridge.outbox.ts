import type { ConversationStatus } from '@switchboard/shared';
import { transaction, type Tx } from '../../platform/db/transaction.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import { ConversationsRepository } from '../conversations/conversations.repository.js';
import { SettledHorizon, type OutboxEvent } from '../../platform/events/events.outbox.js';
import { BackgroundLoop } from '../../platform/background.js';
import { BridgeOutboxRepository, type BridgeState } from './bridge.outbox.repository.js';
import { groupChatOf, recipientsOf } from './bridge.recipients.js';
import { BridgeRepository } from './bridge.repository.js';
import { languageOf, texts } from './bridge.texts.js';

const TICK_MS = 500;
const BATCH = 500;

/** An operator's reply that did not (or may not) reach the customer. */
interface Failure {
  conversationId: string;
  messageId: string;
  status: 'failed' | 'dead' | 'uncertain';
  reason: string;
}

interface Bot {
  id: string;
  accountId: string;
  config: Record<string, unknown>;
  bridge: BridgeState;
}

/**
 * The bridge's outbox: reads the realtime `events` log (written in the same transaction as every
 * change) past a cursor kept on each operator bot, and enqueues `bridge.post` jobs in the same
 * transaction that moves the cursor — nothing is posted twice or lost when a process dies.
 *
 * The scan stops at a settled horizon (see `SettledHorizon`), so a late commit is never skipped.
 */
export class BridgeOutbox {
  private readonly repo: BridgeOutboxRepository;
  private readonly horizon: SettledHorizon;
  private readonly loop: BackgroundLoop;

  constructor(private readonly ctx: DeliveryContext) {
    this.repo = new BridgeOutboxRepository(ctx.db);
    this.horizon = new SettledHorizon(ctx.db);
    this.loop = new BackgroundLoop({
      name: 'bridge outbox scan',
      intervalMs: TICK_MS,
      errorDelayMs: TICK_MS,
      log: ctx.log,
      round: () => this.tick(),
    });
  }

  start(): void {
    this.loop.start(TICK_MS);
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  /** One round: note a horizon, and scan every bot with events up to the newest settled one. */
  async tick(): Promise<void> {
    const upTo = await this.horizon.next();
    if (upTo === undefined) return;
    for (const bot of await this.repo.botsWithWork(upTo)) {
      while (!this.loop.isStopped && (await this.scanBot(bot.id, upTo))) {
        // a full batch: more events are waiting
      }
    }
  }

  /** Handles one batch of one bot's events; true when a full batch suggests more. */
  private async scanBot(botChannelId: string, upTo: number): Promise<boolean> {
    return transaction(this.ctx.pool, async (tx) => {
      const locked = await this.repo.lockBot(tx.db, botChannelId);
      if (!locked) return false; // another process is on it
      const bot: Bot = { id: botChannelId, accountId: locked.accountId, config: locked.config, bridge: locked.bridge };
      const cursor = locked.bridge.cursor ?? (await this.repo.startCursor(tx.db, bot.accountId, locked.createdAt));
      if (cursor >= upTo) return false;
      const events = await this.repo.eventsAfter(tx.db, bot.accountId, cursor, upTo, BATCH);
      await this.handle(tx, bot, events);
      const full = events.length === BATCH;
      await this.repo.setCursor(tx.db, botChannelId, full ? events[events.length - 1]!.id : upTo);
      return full;
    });
  }

  private async handle(tx: Tx, bot: Bot, events: OutboxEvent[]): Promise<void> {
    const conversations = new Set<string>();
    const failures: Failure[] = [];
    for (const e of events) {
      const p = e.payload as {
        conversationId?: string;
        message?: { id: string; direction: string; private: boolean; status: string; failureReason: string | null };
        conversation?: { id: string; status: ConversationStatus };
      };
      if (e.type === 'message.created' && p.conversationId && p.message?.direction === 'in' && !p.message.private) {
        // The assistant's conversations reach people when it hands them over.
        if (p.conversation?.status !== 'bot') conversations.add(p.conversationId);
      } else if (e.type === 'conversation.updated' && p.conversation?.status === 'queued') {
        conversations.add(p.conversation.id);
      } else if (e.type === 'message.updated' && p.conversationId && p.message?.direction === 'out') {
        const { status } = p.message;
        if (status === 'failed' || status === 'dead' || status === 'uncertain') {
          failures.push({ conversationId: p.conversationId, messageId: p.message.id, status, reason: p.message.failureReason ?? status });
        }
      }
    }
    const convRepo = new ConversationsRepository(tx.db);
    for (const id of conversations) {
      const conv = await convRepo.get(tx.db, bot.accountId, id);
      if (!conv || conv.status === 'bot') continue;
      for (const to of await recipientsOf(tx.db, bot, conv)) {
        await this.ctx.queue.send(tx, 'bridge.post', {
          kind: 'sync',
          accountId: bot.accountId,
          botChannelId: bot.id,
          chatId: to.chatId,
          conversationId: id,
        });
      }
    }
    if (failures.length) await this.reportFailures(tx, bot, failures);
  }

  /**
   * Tells the operator whose Telegram message became a failed send, as a reply to that message; an
   * uncertain one (it may have reached the customer) is told apart, so nobody sends it twice unawares.
   */
  private async reportFailures(tx: Tx, bot: Bot, failures: Failure[]) {
    const repo = new BridgeRepository(tx.db);
    const links = groupChatOf(bot.config) ? [] : await repo.listLinks(bot.accountId, bot.id, tx.db);
    for (const f of failures) {
      for (const post of await repo.repliesOf(tx.db, bot.accountId, f.conversationId, f.messageId)) {
        if (post.botChannelId !== bot.id) continue;
        const lang = languageOf(links.find((l) => l.telegramChatId === post.chatId)?.userLocale);
        await this.ctx.queue.send(tx, 'bridge.post', {
          kind: 'notice',
          accountId: bot.accountId,
          botChannelId: bot.id,
          chatId: post.chatId,
          text: (f.status === 'uncertain' ? texts(lang).deliveryUncertain : texts(lang).deliveryFailed(f.reason)).slice(0, 4096),
          replyTo: post.messageId,
          ...(post.topicId ? { topicId: post.topicId } : {}),
        });
      }
    }
  }
}
