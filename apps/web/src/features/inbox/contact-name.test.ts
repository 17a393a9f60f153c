import { describe, expect, it } from 'vitest';
import { contactName } from './contact-name';

const contact = (c: { name?: string | null; username?: string | null }) => ({
  id: '00000000-0000-4000-8000-000000000000',
  externalId: 'v_123',
  name: c.name ?? null,
  username: c.username ?? null,
});

describe('contact name', () => {
  it('prefers the name, then a handle, then the provider id', () => {
    expect(contactName(contact({ name: ' Anna ', username: 'anna_k' }))).toBe('Anna');
    expect(contactName(contact({ username: 'anna_k' }))).toBe('@anna_k');
    expect(contactName(contact({}))).toBe('v_123');
  });

  it('shows an e-mail address as it is, not as @handle', () => {
    expect(contactName(contact({ username: 'anna@example.com' }))).toBe('anna@example.com');
  });
});
