import type { ApiClient } from './api-client.js';

/** A message as the conversations API lists it (the fields channel tests look at). */
export interface ListedMessage {
  id: string;
  direction: string;
  text: string | null;
  status: string;
  failureReason: string | null;
  failureCode?: string | null;
  retryAt?: string | null;
  attachments: { kind: string; fileId: string; mimeType?: string }[];
}

/**
 * Reads conversations and messages through the API, as an operator sees them. `client` is a getter
 * because test files sign in inside `beforeAll`, after these readers are made.
 */
export function conversationReader(client: () => ApiClient) {
  /** The conversation of a channel with a contact (by the contact's provider id), if there is one yet. */
  const conversationOf = async (channelId: string, contactExternalId: string | number) => {
    const list = await client().get('/api/conversations?status=all&limit=200');
    return list.body.items.find(
      (c: { channelId: string; contact: { externalId: string } }) =>
        c.channelId === channelId && c.contact.externalId === String(contactExternalId),
    );
  };
  const messages = async (conversationId: string): Promise<ListedMessage[]> =>
    (await client().get(`/api/conversations/${conversationId}/messages`)).body.items as ListedMessage[];
  const messageById = async (conversationId: string, id: string): Promise<ListedMessage> => {
    const found = (await messages(conversationId)).find((m) => m.id === id);
    if (!found) throw new Error(`message ${id} is not in conversation ${conversationId}`);
    return found;
  };
  return { conversationOf, messages, messageById };
}
