import type { Onboarding } from '@switchboard/shared';
import type { AppContext } from '../../context.js';
import { requirePermission, type Actor } from '../identity/permissions.js';
import { OnboardingRepository } from './onboarding.repository.js';

/** The first-run checklist of an account: which setup steps are done. */
export class OnboardingService {
  private readonly repo: OnboardingRepository;

  constructor(ctx: AppContext) {
    this.repo = new OnboardingRepository(ctx.db);
  }

  async status(actor: Actor): Promise<Onboarding> {
    requirePermission(actor, 'conversation.read');
    const f = await this.repo.facts(actor.accountId);
    const steps = { channel: f.channel, knowledge: f.knowledge, teammate: f.teammate, reply: f.reply };
    return { steps, hasConversations: f.conversations, done: Object.values(steps).every(Boolean) };
  }
}
