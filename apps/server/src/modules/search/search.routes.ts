import { searchQuery, searchResult } from '@switchboard/shared';
import type { App } from '../../platform/http/server.js';
import { actorOf } from '../identity/identity.auth.js';
import type { SearchService } from './search.service.js';

export function searchRoutes(app: App, search: SearchService): void {
  app.get(
    '/api/search',
    {
      config: { permission: 'conversation.read' },
      schema: {
        tags: ['search'],
        summary:
          'Search messages (full text: Russian and English stemming, ё = е, "phrases", -excluded, prefix*), contacts (name, phone in any format, e-mail, handle) and conversation numbers (#1042). Contacts need `contact.read`',
        querystring: searchQuery,
        response: { 200: searchResult },
      },
    },
    async (req) => search.search(actorOf(req), req.query),
  );
}
