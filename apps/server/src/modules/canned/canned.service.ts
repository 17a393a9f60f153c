import type { CannedResponse } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { AppError, notFound } from '../../platform/http/errors.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { CannedRepository, type CannedRow } from './canned.repository.js';

const toCanned = (r: CannedRow): CannedResponse => ({
  id: r.id,
  shortcut: r.shortcut,
  text: r.text,
  language: r.language,
  shared: r.ownerUserId === null,
  ownerUserId: r.ownerUserId,
  updatedAt: r.updatedAt.toISOString(),
});

/**
 * Canned responses: shared ones are the account's (`canned.manage`), personal ones their author's
 * (anyone who may reply). Variables (`{{contact.name}}`, `{{agent.name}}`) are filled in by the reply box.
 */
export class CannedService {
  private readonly repo: CannedRepository;

  constructor(ctx: AppContext) {
    this.repo = new CannedRepository(ctx.db);
  }

  async list(actor: Actor, q?: string): Promise<CannedResponse[]> {
    requirePermission(actor, 'conversation.reply');
    return (await this.repo.visible(actor.accountId, actor.userId, q)).map(toCanned);
  }

  async create(
    actor: Actor,
    input: { shortcut: string; text: string; language: 'ru' | 'en' | null; shared: boolean },
  ): Promise<CannedResponse> {
    requirePermission(actor, input.shared ? 'canned.manage' : 'conversation.reply');
    const row = await this.repo.insert({
      accountId: actor.accountId,
      ownerUserId: input.shared ? null : actor.userId,
      shortcut: input.shortcut,
      text: input.text,
      language: input.language,
      createdBy: actor.userId,
    });
    if (!row) throw shortcutTaken(input.shortcut);
    return toCanned(row);
  }

  async update(
    actor: Actor,
    id: string,
    patch: { shortcut?: string | undefined; text?: string | undefined; language?: 'ru' | 'en' | null | undefined },
  ): Promise<CannedResponse> {
    await this.editable(actor, id);
    const clean = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    try {
      const row = await this.repo.update(actor.accountId, id, clean);
      return toCanned(row!);
    } catch (err) {
      if ((err as { code?: string }).code === '23505' || (err as { cause?: { code?: string } }).cause?.code === '23505') {
        throw shortcutTaken(patch.shortcut ?? '');
      }
      throw err;
    }
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.editable(actor, id);
    await this.repo.remove(actor.accountId, id);
  }

  /** Shared ones need `canned.manage`; a personal one is its owner's alone (others do not even see it). */
  private async editable(actor: Actor, id: string): Promise<CannedRow> {
    const row = await this.repo.get(actor.accountId, id);
    if (!row || (row.ownerUserId !== null && row.ownerUserId !== actor.userId)) throw notFound('Canned response');
    requirePermission(actor, row.ownerUserId === null ? 'canned.manage' : 'conversation.reply');
    return row;
  }
}

const shortcutTaken = (shortcut: string) => new AppError('conflict', `The shortcut "${shortcut}" is in use already`, { field: 'shortcut' });
