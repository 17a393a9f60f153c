import type { BridgeOverview, BridgeScope, LinkTokenResponse, OperatorLink, TelegramLoginRequest } from '@switchboard/shared';
import { randomToken, sha256 } from '../../platform/crypto/secret-box.js';
import { transaction } from '../../platform/db/transaction.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import type { TelegramSecrets } from '../channels/telegram/telegram.adapter.js';
import type { DeliveryContext } from '../conversations/conversations.delivery.js';
import { recordAudit } from '../identity/identity.audit.js';
import { can, requirePermission, type Actor } from '../identity/permissions.js';
import { checkTelegramLogin } from './bridge.login.js';
import { BridgeOutboxRepository, type BridgeState } from './bridge.outbox.repository.js';
import { defaultScope, groupChatOf } from './bridge.recipients.js';
import { BridgeRepository, type LinkRow } from './bridge.repository.js';

const TOKEN_TTL_MS = 15 * 60 * 1000;

type BotRow = Awaited<ReturnType<BridgeRepository['operatorBots']>>[number];

/** The web side of the bridge: linking a user's Telegram, listing and unlinking, who receives what. */
export class BridgeService {
  private readonly repo: BridgeRepository;

  constructor(private readonly ctx: DeliveryContext) {
    this.repo = new BridgeRepository(ctx.db);
  }

  /** The account's operator bot (the oldest, when there are several), or null. */
  private async bot(accountId: string): Promise<BotRow | null> {
    return (await this.repo.operatorBots(accountId))[0] ?? null;
  }

  private async requireBot(accountId: string): Promise<BotRow> {
    const bot = await this.bot(accountId);
    if (!bot) {
      throw new AppError(
        'bridge_not_configured',
        'This account has no operator bot: add a Telegram channel with purpose "operators" (Channels) first',
      );
    }
    return bot;
  }

  async overview(actor: Actor): Promise<BridgeOverview> {
    requirePermission(actor, 'bridge.use');
    const bot = await this.bot(actor.accountId);
    if (!bot) return { bot: null, link: null, links: can(actor, 'user.manage') ? [] : null };
    const links = (await this.repo.listLinks(actor.accountId, bot.id)).map((l) => toLink(l, bot));
    return {
      bot: {
        channelId: bot.id,
        channelName: bot.name,
        botUsername: typeof bot.config.botUsername === 'string' ? bot.config.botUsername : null,
        groupChatId: groupChatOf(bot.config),
      },
      link: links.find((l) => l.userId === actor.userId) ?? null,
      links: can(actor, 'user.manage') ? links : null,
    };
  }

  /** A one-time token for `/start` (kept hashed, 15 minutes) and the deep link carrying it. */
  async createLinkToken(actor: Actor): Promise<LinkTokenResponse> {
    requirePermission(actor, 'bridge.use');
    const bot = await this.requireBot(actor.accountId);
    const botUsername = bot.config.botUsername;
    if (typeof botUsername !== 'string')
      throw new AppError('bridge_not_configured', 'The operator bot is not connected yet (no bot username)');
    // 24 bytes → 32 base64url characters: within Telegram's 64-character `start` parameter (A-Z a-z 0-9 _ -).
    const token = randomToken(24);
    const expiresAt = new Date(Date.now() + TOKEN_TTL_MS);
    await this.repo.insertToken({
      tokenHash: sha256(token),
      accountId: actor.accountId,
      userId: actor.userId,
      botChannelId: bot.id,
      expiresAt,
    });
    return { token, deepLink: `https://t.me/${botUsername}?start=${token}`, botUsername, expiresAt: expiresAt.toISOString() };
  }

  /** Links the signed-in user to the Telegram account the Login Widget vouches for. */
  async telegramLogin(actor: Actor, data: TelegramLoginRequest): Promise<OperatorLink> {
    requirePermission(actor, 'bridge.use');
    const bot = await this.requireBot(actor.accountId);
    const loaded = await this.ctx.channels.load(actor.accountId, bot.id);
    if (!loaded) throw notFound('Operator bot');
    const check = checkTelegramLogin(data, (loaded.secrets as unknown as TelegramSecrets).botToken);
    if (check === 'bad_hash') throw new AppError('invalid_telegram_login', 'The Telegram login data is not signed by this operator bot');
    if (check === 'stale')
      throw new AppError('telegram_login_expired', 'The Telegram login is older than a day; sign in with Telegram again');
    const id = await transaction(this.ctx.pool, async (tx) => {
      const id = await this.repo.link(tx.db, {
        accountId: actor.accountId,
        userId: actor.userId,
        botChannelId: bot.id,
        // A private chat with a user has the user's id.
        telegramUserId: String(data.id),
        telegramChatId: String(data.id),
        username: data.username ?? null,
      });
      await recordAudit(tx.db, actor, 'bridge.linked', {
        targetType: 'operator_link',
        targetId: id,
        details: { via: 'login_widget', telegramUserId: String(data.id) },
      });
      return id;
    });
    const link = await this.repo.getLink(actor.accountId, id);
    return toLink(link!, bot);
  }

  async listLinks(actor: Actor): Promise<OperatorLink[]> {
    requirePermission(actor, 'bridge.use');
    const bot = await this.bot(actor.accountId);
    if (!bot) return [];
    const links = (await this.repo.listLinks(actor.accountId, bot.id)).map((l) => toLink(l, bot));
    return can(actor, 'user.manage') ? links : links.filter((l) => l.userId === actor.userId);
  }

  /** Unlinks: one's own link, or anyone's for owners and admins. */
  async unlink(actor: Actor, id: string): Promise<void> {
    const link = await this.repo.getLink(actor.accountId, id);
    if (!link) throw notFound('Telegram link');
    if (link.userId !== actor.userId) requirePermission(actor, 'user.manage');
    await transaction(this.ctx.pool, async (tx) => {
      await new BridgeRepository(tx.db).deleteLink(actor.accountId, id);
      await recordAudit(tx.db, actor, 'bridge.unlinked', { targetType: 'operator_link', targetId: id, details: { userId: link.userId } });
    });
  }

  /** Managers choose what a linked user receives. */
  async setScope(actor: Actor, id: string, scope: BridgeScope): Promise<OperatorLink> {
    requirePermission(actor, 'user.manage');
    const link = await this.repo.getLink(actor.accountId, id);
    if (!link) throw notFound('Telegram link');
    await transaction(this.ctx.pool, async (tx) => {
      await new BridgeOutboxRepository(tx.db).setScope(actor.accountId, link.botChannelId, link.userId, scope);
      await recordAudit(tx.db, actor, 'bridge.scope_changed', {
        targetType: 'operator_link',
        targetId: id,
        details: { userId: link.userId, scope },
      });
    });
    this.ctx.channels.forget(link.botChannelId);
    const bot = (await this.repo.operatorBots(actor.accountId)).find((b) => b.id === link.botChannelId);
    return toLink(link, bot);
  }
}

function toLink(l: LinkRow, bot: { state: Record<string, unknown> } | undefined): OperatorLink {
  const scopes = (bot?.state.bridge as BridgeState | undefined)?.scopes;
  return {
    id: l.id,
    userId: l.userId,
    userName: l.userName,
    userEmail: l.userEmail,
    role: l.role,
    telegramUserId: l.telegramUserId,
    telegramUsername: l.telegramUsername,
    scope: scopes?.[l.userId] ?? defaultScope(l.role),
    createdAt: l.createdAt.toISOString(),
  };
}
