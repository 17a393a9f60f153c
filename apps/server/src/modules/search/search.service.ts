import { HIGHLIGHT_END, HIGHLIGHT_START, type SearchResult, type searchQuery } from '@switchboard/shared';
import type { z } from 'zod';
import type { AppContext } from '../../context.js';
import { can, missingPermission, type Actor } from '../identity/permissions.js';
import { ContactsService } from '../contacts/contacts.service.js';
import { phoneDigits } from '../contacts/contacts.normalise.js';
import { parseSearchQuery } from './search.query.js';
import { SearchRepository, tsQuery, type ConversationFilter } from './search.repository.js';

type Query = z.output<typeof searchQuery>;

/**
 * The one search box: messages (full text, Russian and English stemming), contacts (name, phone in any
 * format, e-mail, handle) and conversation numbers, each part shown only to who may see it.
 */
export class SearchService {
  private readonly repo: SearchRepository;
  private readonly contacts: ContactsService;

  constructor(private readonly ctx: AppContext) {
    this.repo = new SearchRepository(ctx.db);
    this.contacts = new ContactsService(ctx);
  }

  async search(actor: Actor, q: Query): Promise<SearchResult> {
    const conversations = can(actor, 'conversation.read');
    const contacts = can(actor, 'contact.read');
    if (!conversations && !contacts) throw missingPermission('conversation.read');
    const parsed = parseSearchQuery(q.q);
    const filter: ConversationFilter = {
      channelId: q.channelId,
      status: q.status,
      assigneeId: q.assignee === 'unassigned' ? null : q.assignee === 'me' ? actor.userId : q.assignee,
      teamId: q.teamId,
      tagId: q.tagId,
      from: q.from,
      to: q.to,
    };
    const ts = tsQuery(parsed.terms);
    const [messageRows, conversationRows, contactRows] = await Promise.all([
      conversations && ts ? this.repo.messages(actor.accountId, ts, filter, q.limit, [HIGHLIGHT_START, HIGHLIGHT_END]) : [],
      conversations && parsed.number !== null ? this.repo.conversationByNumber(actor.accountId, parsed.number, filter) : [],
      contacts
        ? this.contacts.repo.search(actor.accountId, q.q, parsed.phoneDigits ? phoneDigits(q.q) : undefined, Math.min(q.limit, 10))
        : [],
    ]);
    return {
      messages: messageRows.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() })),
      conversations: conversationRows.map((c) => ({
        ...c,
        status: c.status as SearchResult['conversations'][number]['status'],
        lastMessageAt: c.lastMessageAt.toISOString(),
      })),
      contacts: await this.contacts.summaries(actor.accountId, contactRows),
    };
  }
}
