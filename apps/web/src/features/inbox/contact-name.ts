import type { Conversation } from '@switchboard/shared';

/** A contact's handle as shown: `@username` for messenger handles, an e-mail address as it is. */
export function contactHandle(username: string): string {
  return username.includes('@') ? username : `@${username}`;
}

/** How a contact is called in the UI: their name, else their handle, else the provider's id. */
export function contactName(contact: Conversation['contact']): string {
  return contact.name?.trim() || (contact.username ? contactHandle(contact.username) : contact.externalId);
}
