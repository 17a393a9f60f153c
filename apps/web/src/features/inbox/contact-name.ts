import type { Conversation } from '@switchboard/shared';

/** How a contact is called in the UI: their name, else @username, else the provider's id. */
export function contactName(contact: Conversation['contact']): string {
  return contact.name?.trim() || (contact.username ? `@${contact.username}` : contact.externalId);
}
